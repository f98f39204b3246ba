"""Read a dataset from a folder or a .zip through one small interface that never follows a link out of it."""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from pulumi_modelstudio.datasets.rules import NOISE_NAMES

__all__ = [
    "Entry",
    "EntryKind",
    "NotRegularFileError",
    "is_noise",
    "open_entry",
    "open_regular",
    "scan",
    "source_kind",
]

EntryKind = Literal["file", "folder", "symlink", "pipe", "socket", "device", "other"]

_ZIP_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


class NotRegularFileError(OSError):
    """A dataset entry is a link, pipe, device or folder where a regular file is needed."""


@dataclass(frozen=True)
class Entry:
    """One entry of the dataset: its name inside the dataset, size and what it is (never followed)."""

    name: str
    size: int
    kind: EntryKind = "file"
    encrypted: bool = False
    """A zip entry that needs a password."""
    compression_ok: bool = True
    """A zip entry compressed with a method Python can read."""
    empty: bool = False
    """A folder that holds nothing but operating-system clutter."""
    children: tuple[str, ...] = ()
    """A folder's own entries (names inside the dataset, `sub/0_0.png`; folders end in `/`), clutter skipped."""

    @property
    def is_dir(self) -> bool:
        """Whether this is a folder."""
        return self.kind == "folder"

    @property
    def is_file(self) -> bool:
        """Whether this is a regular file that can be read."""
        return self.kind == "file" and not self.encrypted and self.compression_ok


def is_noise(name: str) -> bool:
    """Operating-system clutter (`.DS_Store`, `__MACOSX/`, `._x`) that is skipped, never read."""
    return any(part in NOISE_NAMES or part.startswith("._") for part in name.split("/"))


def _kind(mode: int) -> EntryKind:
    checks: tuple[tuple[EntryKind, bool], ...] = (
        ("file", stat.S_ISREG(mode)),
        ("folder", stat.S_ISDIR(mode)),
        ("symlink", stat.S_ISLNK(mode)),
        ("pipe", stat.S_ISFIFO(mode)),
        ("socket", stat.S_ISSOCK(mode)),
        ("device", stat.S_ISCHR(mode) or stat.S_ISBLK(mode)),
    )
    return next((kind for kind, hit in checks if hit), "other")


def source_kind(source: Path) -> EntryKind | None:
    """What `source` itself is (a link to a folder or zip is followed); None when it does not exist."""
    try:
        return _kind(source.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return None


@contextmanager
def open_regular(path: Path, *, follow: bool) -> Iterator[IO[bytes]]:
    """Open a regular file for reading; links (unless `follow`), pipes and devices are refused, never waited on."""
    flags = _OPEN_FLAGS | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            msg = f"{path.name} is a symbolic link"
            raise NotRegularFileError(errno.ELOOP, msg) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            msg = f"{path.name} is a {_kind(mode)}, not a regular file"
            raise NotRegularFileError(errno.EINVAL, msg)
        os.set_blocking(fd, True)
        stream = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with stream:
        yield stream


def _folder_listing(folder: Path, prefix: str) -> tuple[str, ...] | None:
    """The names in a sub-folder, as `prefix/name` (`/` after folders), never followed; None if unreadable."""
    try:
        with os.scandir(folder) as items:
            return tuple(
                sorted(
                    f"{prefix}/{item.name}{'/' if item.is_dir(follow_symlinks=False) else ''}"
                    for item in items
                    if not is_noise(item.name)
                )
            )
    except OSError:
        return None


def _scan_folder(source: Path) -> list[Entry]:
    """Top-level entries only: sub-folders are reported, never entered; links are reported, never followed."""
    entries: list[Entry] = []
    with os.scandir(source) as items:
        for item in items:
            if is_noise(item.name):
                continue
            try:
                info = item.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            kind = _kind(info.st_mode)
            listing = _folder_listing(Path(item.path), item.name) if kind == "folder" else None
            size = info.st_size if kind == "file" else 0
            entries.append(Entry(item.name, size, kind, empty=listing == (), children=listing or ()))
    return entries


def _zip_kind(info: zipfile.ZipInfo) -> EntryKind:
    if info.is_dir():
        return "folder"
    mode = info.external_attr >> 16
    return _kind(mode) if stat.S_IFMT(mode) else "file"


def _scan_zip(source: Path) -> list[Entry]:
    """Every entry of the zip as listed (duplicates kept, so they can be reported)."""
    with open_regular(source, follow=True) as raw, zipfile.ZipFile(raw) as archive:
        infos = [i for i in archive.infolist() if not is_noise(i.filename.rstrip("/"))]
    nested = {i.filename.rstrip("/").rsplit("/", 1)[0] for i in infos if "/" in i.filename.rstrip("/")}
    return [
        Entry(
            info.filename.rstrip("/"),
            info.file_size,
            _zip_kind(info),
            encrypted=bool(info.flag_bits & 0x1),
            compression_ok=info.compress_type in _ZIP_METHODS,
            empty=info.is_dir() and info.filename.rstrip("/") not in nested,
        )
        for info in infos
    ]


def scan(source: Path) -> list[Entry]:
    """Every entry of the folder (top level) or zip, sorted by name; nothing is opened but the zip itself."""
    entries = _scan_folder(source) if source.is_dir() else _scan_zip(source)
    return sorted(entries, key=lambda e: e.name)


@contextmanager
def open_entry(source: Path, name: str) -> Iterator[IO[bytes]]:
    """A binary stream of one regular file of the dataset; anything else raises NotRegularFileError."""
    if "/" in name or "\\" in name or name in ("", ".", ".."):
        msg = f"{name} is not a top-level file of the dataset"
        raise NotRegularFileError(errno.EINVAL, msg)
    if source.is_dir():
        with open_regular(source / name, follow=False) as stream:
            yield stream
        return
    with open_regular(source, follow=True) as raw, zipfile.ZipFile(raw) as archive:
        info = archive.getinfo(name)
        entry = Entry(
            name, info.file_size, _zip_kind(info), bool(info.flag_bits & 0x1), info.compress_type in _ZIP_METHODS
        )
        if not entry.is_file:
            msg = f"{name} is not a readable regular file in the zip"
            raise NotRegularFileError(errno.EINVAL, msg)
        with archive.open(info) as stream:
            yield stream
