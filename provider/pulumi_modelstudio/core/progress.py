"""Progress lines for the person running `pulumi up`: to the engine when a host installed a sink, else stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable

__all__ = ["progress", "set_progress_sink", "warn_once"]

_sink: Callable[[str], bool] | None = None
_warning_sink: Callable[[str], bool] | None = None
_warned: set[str] = set()


def set_progress_sink(sink: Callable[[str], bool] | None, warnings: Callable[[str], bool] | None = None) -> None:
    """Route progress lines and warnings (the provider host sends them to the engine, attached to the resource)."""
    global _sink, _warning_sink
    _sink, _warning_sink = sink, warnings


def warn_once(message: str) -> None:
    """Show a warning once per provider process (the host sends it to the engine as a warning)."""
    if message in _warned:
        return
    _warned.add(message)
    if _warning_sink is not None and _warning_sink(message):
        return
    sys.stderr.write(f"warning: {message}\n")
    sys.stderr.flush()


def progress(resource: str, message: str) -> None:
    """Write one progress line for the person running `pulumi up`."""
    if _sink is not None and _sink(message):
        return
    sys.stderr.write(f"[{resource}] {message}\n")
    sys.stderr.flush()
