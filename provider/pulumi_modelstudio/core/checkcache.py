"""A small on-disk cache of preview checks that already passed, keyed by content digest and provider version."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from pulumi_modelstudio._version import __version__

__all__ = ["CheckCache", "cache_dir"]

_LOCK = threading.Lock()
_read: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
"""Cache files as last parsed in this process, by path, with the (mtime, size) they had."""


def cache_dir() -> Path:
    """`$XDG_CACHE_HOME/modelstudio-lora` (default `~/.cache/modelstudio-lora`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "modelstudio-lora"


class CheckCache:
    """JSON map from a check key to its summary; a corrupt or missing file is simply empty."""

    def __init__(self, path: Path) -> None:
        """Use the cache file at `path`."""
        self.path = path

    @classmethod
    def default(cls) -> CheckCache:
        """The per-user cache shared by every stack on this machine, one file per provider version.

        A release that changes a rule or a default never reads what an earlier one concluded.
        """
        return cls(cache_dir() / f"check-cache-{__version__}.json")

    def _load(self) -> dict[str, Any]:
        """The map (read-only: copy before changing it); parsed again only when the file changed."""
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            known = _read.get(str(self.path))
            if known is not None and known[0] == stamp:
                return known[1]
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        cache = data if isinstance(data, dict) else {}
        _read[str(self.path)] = (stamp, cache)
        return cache

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored summary for `key`, if any."""
        with _LOCK:
            value = self._load().get(key)
        return value if isinstance(value, dict) else None

    def put(self, key: str, summary: dict[str, Any]) -> None:
        """Store a summary; written atomically so concurrent readers never see half a file."""
        with _LOCK:
            data = dict(self._load())
            data[key] = summary
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".check-cache-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out)
            Path(tmp).replace(self.path)
