"""SQLite persistence: one table of JSON records per kind, plus metadata (clock, counters)."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

__all__ = ["Store"]


class Store:
    """Records keyed by (kind, id); every write is committed, so a restart loses nothing."""

    def __init__(self, data_dir: Path) -> None:
        """Open (or create) `data_dir/state.db`."""
        data_dir.mkdir(parents=True, exist_ok=True)
        self.dir = data_dir
        self._lock = threading.RLock()
        self._db = sqlite3.connect(data_dir / "state.db", check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS records (kind TEXT, id TEXT, seq INTEGER, body TEXT, PRIMARY KEY (kind, id))"
        )
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")

    def put(self, kind: str, ident: str, body: dict[str, Any]) -> None:
        """Insert or replace a record, keeping its first insertion order."""
        with self._lock:
            row = self._db.execute("SELECT seq FROM records WHERE kind=? AND id=?", (kind, ident)).fetchone()
            seq = row[0] if row else self._next_seq()
            self._db.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)", (kind, ident, seq, json.dumps(body)))

    def _next_seq(self) -> int:
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM records").fetchone()
        return int(row[0])

    def get(self, kind: str, ident: str) -> dict[str, Any] | None:
        """One record or None."""
        with self._lock:
            row = self._db.execute("SELECT body FROM records WHERE kind=? AND id=?", (kind, ident)).fetchone()
        return json.loads(row[0]) if row else None

    def all(self, kind: str) -> list[dict[str, Any]]:
        """Every record of a kind, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT body FROM records WHERE kind=? ORDER BY seq", (kind,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def meta(self, key: str) -> str | None:
        """A metadata value."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a metadata value."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def counter(self, name: str) -> int:
        """Next value of a named counter."""
        with self._lock:
            value = int(self.meta(f"counter:{name}") or 0) + 1
            self.set_meta(f"counter:{name}", str(value))
            return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._db.execute("DELETE FROM records")
            self._db.execute("DELETE FROM meta")

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
