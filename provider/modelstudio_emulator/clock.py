"""Simulated time: runs `speed` times faster than real time, can be advanced, survives restarts."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["SimClock", "fmt_iso", "fmt_iso_ms", "fmt_job", "fmt_task"]

SIM_EPOCH = datetime(2026, 6, 3, 1, 10, 0, tzinfo=UTC).timestamp()


class SimClock:
    """sim_now = anchor_sim + (real_now - anchor_real) x speed; speed 0 freezes time."""

    def __init__(self, sim_now: float, speed: float, real: Callable[[], float] = time.time) -> None:
        """Start at `sim_now` running at `speed`."""
        self._real = real
        self._lock = threading.Lock()
        self._anchor_sim = sim_now
        self._anchor_real = real()
        self.speed = speed

    def now(self) -> float:
        """Current simulated time (epoch seconds)."""
        with self._lock:
            return self._anchor_sim + (self._real() - self._anchor_real) * self.speed

    def set_speed(self, speed: float) -> None:
        """Change speed without jumping."""
        with self._lock:
            self._anchor_sim += (self._real() - self._anchor_real) * self.speed
            self._anchor_real = self._real()
            self.speed = speed

    def advance(self, seconds: float) -> None:
        """Jump forward."""
        with self._lock:
            self._anchor_sim += seconds


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def fmt_job(ts: float) -> str:
    """`2026-06-03 01:10:47` (jobs, files)."""
    return _dt(ts).strftime("%Y-%m-%d %H:%M:%S")


def fmt_iso(ts: float) -> str:
    """`2026-06-03T01:10:47` (checkpoints)."""
    return _dt(ts).strftime("%Y-%m-%dT%H:%M:%S")


def fmt_iso_ms(ts: float) -> str:
    """`2026-06-03T01:10:47.123` (deployments)."""
    return _dt(ts).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(ts * 1000) % 1000:03d}"


def fmt_task(ts: float) -> str:
    """`2026-06-03 01:10:47.123` (tasks)."""
    return _dt(ts).strftime("%Y-%m-%d %H:%M:%S.") + f"{int(ts * 1000) % 1000:03d}"
