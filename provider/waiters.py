"""One waiter for everything that takes time, with polling planned from the expected duration."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from provider.errors import WaitTimeoutError

__all__ = ["PollPlan", "wait_until"]

T = TypeVar("T")


@dataclass(frozen=True)
class PollPlan:
    """Sparse polls while the expected end is far, frequent ones near it.

    While more than `near_s` server-seconds remain, sleep half of what remains (clamped to
    [`min_s`, `max_s`]); after that poll every `near_s`. Times are server seconds; sleeps are divided by
    `time_scale`. A 77-minute job is noticed within 20 s of finishing with about 20 polls.
    """

    expected_s: float
    min_s: float = 5.0
    max_s: float = 600.0
    near_s: float = 20.0
    time_scale: float = 1.0

    def interval(self, elapsed_real_s: float) -> float:
        """Real seconds to sleep before the next poll."""
        elapsed = elapsed_real_s * self.time_scale
        remaining = self.expected_s - elapsed
        server_s = self.near_s if remaining <= self.near_s else min(self.max_s, max(self.min_s, remaining / 2))
        return server_s / self.time_scale


def wait_until(
    fetch: Callable[[], T],
    *,
    done: Callable[[T], bool],
    status: Callable[[T], str],
    what: str,
    ident: str,
    timeout_s: float,
    next_interval: Callable[[float], float],
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    on_poll: Callable[[T], None] | None = None,
) -> T:
    """Poll `fetch` until `done`, or raise WaitTimeoutError after `timeout_s` real seconds."""
    start = clock()
    while True:
        current = fetch()
        if on_poll is not None:
            on_poll(current)
        if done(current):
            return current
        elapsed = clock() - start
        if elapsed >= timeout_s:
            raise WaitTimeoutError(what=what, ident=ident, last_status=status(current), waited_s=elapsed)
        sleep(max(0.0, min(next_interval(elapsed), timeout_s - elapsed)))
