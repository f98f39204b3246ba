"""The log of API requests (control requests are not logged), read by tests through `/_emulator/requests`."""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["RequestLog"]


class RequestLog:
    """Thread-safe, oldest first."""

    def __init__(self) -> None:
        """Empty."""
        self._entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(self, entry: dict[str, Any]) -> None:
        """Append one entry."""
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        """A copy of every entry."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
