"""Pieces of the generated Markdown reports (docs/performance.md, docs/reliability.md)."""

from __future__ import annotations

import platform
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

__all__ = ["produced", "table"]


def produced(command: str, seconds: float) -> str:
    """`Produced by COMMAND on <when> (<machine>, Python <version>, <seconds> s in all).`"""
    when = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Produced by {command} on {when} ({platform.machine()}, Python {platform.python_version()}, "
        f"{seconds:.0f} s in all)."
    )


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """The lines of a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines
