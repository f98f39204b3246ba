"""Read a dataset from a folder or a .zip through one small interface."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from provider.datasets.rules import NOISE_NAMES

__all__ = ["Entry", "open_entry", "scan"]


@dataclass(frozen=True)
class Entry:
    """One file of the dataset: its name inside the dataset and size."""

    name: str
    size: int
    is_dir: bool = False


def _noise(name: str) -> bool:
    return any(part in NOISE_NAMES or part.startswith("._") for part in name.split("/"))


def scan(source: Path) -> list[Entry]:
    """Every entry of the folder (recursively, so sub-folders can be reported) or zip, sorted by name."""
    entries: list[Entry] = []
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            name = path.relative_to(source).as_posix()
            if _noise(name):
                continue
            entries.append(Entry(name, 0 if path.is_dir() else path.stat().st_size, path.is_dir()))
    else:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if _noise(info.filename):
                    continue
                entries.append(Entry(info.filename.rstrip("/"), info.file_size, info.is_dir()))
    return sorted(entries, key=lambda e: e.name)


@contextmanager
def open_entry(source: Path, name: str) -> Iterator[IO[bytes]]:
    """A binary stream of one entry."""
    if source.is_dir():
        with (source / name).open("rb") as stream:
            yield stream
    else:
        with zipfile.ZipFile(source) as archive, archive.open(name) as stream:
            yield stream
