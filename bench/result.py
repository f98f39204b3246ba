"""One benchmark figure with its target."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Result"]


@dataclass
class Result:
    """What was measured, against which target, and how."""

    name: str
    measured: str
    target: str
    met: bool
    details: list[str] = field(default_factory=list)
