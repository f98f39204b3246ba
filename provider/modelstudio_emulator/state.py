"""What every area shares: records, the simulated clock, the lock, settings and compatibility readings."""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from modelstudio_emulator.clock import SIM_EPOCH, SimClock
from modelstudio_emulator.compat import Compat
from modelstudio_emulator.lifecycle import Schedule, schedule
from modelstudio_emulator.records import JobRecord, Repository
from modelstudio_emulator.store import Store

__all__ = ["DEFAULT_WORKSPACE", "JOB_QUOTA", "Settings", "State"]

DEFAULT_WORKSPACE = "llm-default"
JOB_QUOTA = 20


@dataclass(frozen=True)
class Settings:
    """Fixed for the life of a server."""

    region: str = "cn-beijing"
    job_quota: int = JOB_QUOTA


class State:
    """The account's records and simulated time. Thread-safe."""

    def __init__(self, data_dir: Path, *, speed: float, settings: Settings, compat: Compat) -> None:
        """Open the store under `data_dir` and continue its persisted simulated clock."""
        self.data_dir = data_dir
        self.store = Store(data_dir)
        self.records = Repository(self.store)
        self.settings = settings
        self.compat = compat
        self.lock = threading.RLock()
        self.files_dir.mkdir(parents=True, exist_ok=True)
        saved = self.store.meta("sim_now")
        self.clock = SimClock(float(saved) if saved else SIM_EPOCH, speed)

    @property
    def files_dir(self) -> Path:
        """Where uploaded bytes live."""
        return self.data_dir / "files"

    def file_path(self, file_id: str) -> Path:
        """Where the bytes of a file are."""
        return self.files_dir / file_id

    def now(self) -> float:
        """Simulated now; persisted so a restart continues from here."""
        now = self.clock.now()
        self.store.set_meta("sim_now", repr(now))
        return now

    def advance(self, seconds: float) -> None:
        """Move simulated time forward."""
        self.clock.advance(seconds)
        self.now()

    def schedule(self) -> Schedule:
        """The training schedule of every job of the account."""
        return schedule(self.records.all(JobRecord))

    def reset(self) -> None:
        """Forget every record and stored file (the clock and compatibility readings stay)."""
        with self.lock:
            now = self.clock.now()
            self.store.clear()
            self.store.set_meta("sim_now", repr(now))
            shutil.rmtree(self.files_dir, ignore_errors=True)
            self.files_dir.mkdir(parents=True, exist_ok=True)
