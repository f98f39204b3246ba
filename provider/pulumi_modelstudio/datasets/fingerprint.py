"""Content digest of a dataset, cached per file by its identity so previews do not re-hash.

A file's identity is its path, inode, size, modification time and change time: an edit that keeps the size and
restores the modification time still changes the change time, which no user tool can set back.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

from pulumi_modelstudio.datasets.source import Entry, NotRegularFileError, open_entry, scan

__all__ = ["CHUNK", "Digests", "content_sha256", "entry_key", "file_sha256"]

CHUNK = 1024 * 1024
_LOCK = threading.Lock()


def _cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "modelstudio-lora" / "hash-cache.json"


_read: dict[str, tuple[tuple[int, int], dict[str, str]]] = {}
"""The cache file as last parsed in this process, by path, with the (mtime, size) it had."""


def _load() -> dict[str, str]:
    """The cache (read-only: copy before changing it); parsed again only when the file changed."""
    path = _cache_path()
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        known = _read.get(str(path))
        if known is not None and known[0] == stamp:
            return known[1]
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    cache = data if isinstance(data, dict) else {}
    _read[str(path)] = (stamp, cache)
    return cache


def _save(cache: dict[str, str]) -> None:
    path = _cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".hash-cache-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(cache, out)
    Path(tmp).replace(path)


def file_sha256(source: Path, name: str) -> str:
    """sha256 of one entry, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open_entry(source, name) as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def entry_key(source: Path, entry: Entry, root: Path | None = None) -> str:
    """The cache key of one file's digest; take it before reading the file, so a later edit misses the cache.

    `root` is `source.resolve()` when the caller already has it (a preview looks at many files).
    """
    if source.is_dir():
        path = (root or source.resolve()) / entry.name
        info = os.lstat(path)
        return f"{path}|{info.st_ino}|{info.st_size}|{info.st_mtime_ns}|{info.st_ctime_ns}"
    info = source.stat()
    return f"{source.resolve()}|{info.st_ino}|{info.st_mtime_ns}|{info.st_ctime_ns}!{entry.name}|{entry.size}"


class Digests:
    """Builds the content digest from per-file digests in name order, and remembers them in the cache."""

    def __init__(self, source: Path) -> None:
        """Collect digests of files of `source`."""
        self.source = source
        self._outer = hashlib.sha256()
        self._learned: dict[str, str] = {}

    def add(self, entry: Entry, digest: str, key: str) -> None:
        """Fold in one file (call in sorted name order); `key` is its `entry_key`, taken before reading it."""
        self._outer.update(f"{entry.name}\0{entry.size}\0{digest}\n".encode())
        self._learned[key] = digest

    def finish(self) -> str:
        """The content digest; new per-file digests go to the cache so later previews need no re-hash."""
        if self._learned:
            with _LOCK:
                cache = dict(_load())
                if any(cache.get(k) != v for k, v in self._learned.items()):
                    cache.update(self._learned)
                    _save(cache)
        return self._outer.hexdigest()


def content_sha256(source: Path) -> str:
    """Digest of sorted (name, size, sha256) of every file: independent of zip packing and timestamps.

    Raises NotRegularFileError for a link, pipe or device: their content is never read.
    """
    with _LOCK:
        cache = _load()
    digests = Digests(source)
    root = source.resolve()
    for entry in scan(source):
        if entry.is_dir:
            continue
        if not entry.is_file:
            msg = f"{entry.name} is a {entry.kind}, not a regular file"
            raise NotRegularFileError(msg)
        key = entry_key(source, entry, root)
        digest = cache.get(key) or file_sha256(source, entry.name)
        digests.add(entry, digest, key)
    return digests.finish()
