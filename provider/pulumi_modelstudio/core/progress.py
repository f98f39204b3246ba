"""Progress lines for the person running `pulumi up`: to the engine when a host installed a sink, else stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable

__all__ = ["progress", "set_progress_sink"]

_sink: Callable[[str], bool] | None = None


def set_progress_sink(sink: Callable[[str], bool] | None) -> None:
    """Route progress lines (the provider host sends them to the engine, attached to the resource at work)."""
    global _sink  # noqa: PLW0603 - one sink per provider process, installed by the host
    _sink = sink


def progress(resource: str, message: str) -> None:
    """Write one progress line for the person running `pulumi up`."""
    if _sink is not None and _sink(message):
        return
    sys.stderr.write(f"[{resource}] {message}\n")
    sys.stderr.flush()
