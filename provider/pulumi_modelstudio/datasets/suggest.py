"""For a dataset path that does not exist: the nearest existing folder or .zip, shown the way it was declared."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from pulumi_modelstudio.settings.config import project_root

__all__ = ["nearest_source", "shown_path"]

_CUTOFF = 0.6
"""How alike two names must be (difflib ratio) to suggest one for the other."""


def _names(folder: Path, *, last: bool) -> list[str]:
    """Folders in `folder` (and, for the last part of the path, .zip files); empty when it cannot be listed."""
    try:
        with os.scandir(folder) as items:
            return sorted(
                item.name
                for item in items
                if item.is_dir() or (last and item.is_file() and item.name.lower().endswith(".zip"))
            )
    except OSError:
        return []


def _closest(name: str, candidates: list[str]) -> str | None:
    by_case = [c for c in candidates if c.lower() == name.lower()]
    if by_case:
        return by_case[0]
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=_CUTOFF)
    return found[0] if found else None


def nearest_source(path: Path) -> Path | None:
    """The existing folder or .zip whose path is closest to `path`, part by part; None when none is close."""
    parts = path.parts
    known = Path(parts[0]) if path.is_absolute() else Path()
    start = 1 if path.is_absolute() else 0
    while start < len(parts) and (known / parts[start]).exists():
        known /= parts[start]
        start += 1
    if start == len(parts):
        return None
    for index in range(start, len(parts)):
        match = _closest(parts[index], _names(known, last=index == len(parts) - 1))
        if match is None:
            return None
        known /= match
    return known


def shown_path(path: Path) -> str:
    """`path` as a person declares it: relative to the project root when it lies inside it, else as given."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(project_root()))
    except ValueError:
        return str(path)
