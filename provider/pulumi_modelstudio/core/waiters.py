"""One waiter for everything that takes time, with polling planned from the expected duration.

Every wait can be stopped: `request_stop()` (called when `pulumi` is interrupted) wakes each sleeping waiter at
once with `RunInterruptedError`, so the caller can record what it started and return within seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from pulumi_modelstudio.errors import RunInterruptedError, WaitTimeoutError

__all__ = ["REAL_TIME", "PollPlan", "Timing", "pause", "request_stop", "reset_stop", "stop_requested", "wait_until"]

T = TypeVar("T")

_STOP = threading.Event()


def request_stop() -> None:
    """Ask every wait in this process to end now (the run is being interrupted)."""
    _STOP.set()


def reset_stop() -> None:
    """Forget a stop request (a new run served by the same process)."""
    _STOP.clear()


def stop_requested() -> bool:
    """Whether the run is being interrupted."""
    return _STOP.is_set()


def pause(seconds: float) -> None:
    """Sleep `seconds` of real time; raise RunInterruptedError as soon as a stop is requested."""
    if _STOP.wait(max(0.0, seconds)):
        msg = "the run is being interrupted"
        raise RunInterruptedError(msg)


class Timing(Protocol):
    """How a wait sleeps and reads the time: a client does both in the service's seconds."""

    def sleep(self, seconds: float, /) -> None:
        """Sleep `seconds`."""
        ...

    def clock(self) -> float:
        """Seconds since some fixed moment."""
        ...


class _RealTime:
    """Real seconds; a sleep ends at once when a stop is requested."""

    sleep = staticmethod(pause)
    clock = staticmethod(time.monotonic)


REAL_TIME: Timing = _RealTime()


@dataclass(frozen=True)
class PollPlan:
    """Sparse polls while the expected end is far, frequent ones near it.

    While more than `near_s` seconds remain, sleep half of what remains (clamped to [`min_s`, `max_s`]); after
    that poll every `near_s`. All times are the service's seconds: a 77-minute job is noticed within 20 s of
    finishing with about 20 polls.
    """

    expected_s: float
    min_s: float = 5.0
    max_s: float = 600.0
    near_s: float = 20.0

    def interval(self, elapsed_s: float) -> float:
        """Seconds to sleep before the next poll."""
        remaining = self.expected_s - elapsed_s
        return self.near_s if remaining <= self.near_s else min(self.max_s, max(self.min_s, remaining / 2))


def wait_until(
    fetch: Callable[[], T],
    *,
    done: Callable[[T], bool],
    status: Callable[[T], str],
    what: str,
    ident: str,
    timeout_s: float,
    next_interval: Callable[[float], float],
    timing: Timing = REAL_TIME,
    on_poll: Callable[[T], None] | None = None,
) -> T:
    """Poll `fetch` until `done`, or raise WaitTimeoutError after `timeout_s` seconds of `timing`'s clock."""
    start = timing.clock()
    while True:
        if stop_requested():
            msg = f"stopped waiting for {what} {ident}: the run is being interrupted"
            raise RunInterruptedError(msg)
        current = fetch()
        if on_poll is not None:
            on_poll(current)
        if done(current):
            return current
        elapsed = timing.clock() - start
        if elapsed >= timeout_s:
            raise WaitTimeoutError(what=what, ident=ident, last_status=status(current), waited_s=elapsed)
        timing.sleep(max(0.0, min(next_interval(elapsed), timeout_s - elapsed)))
