"""The waiter and its poll plan, on a fake clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from pulumi_modelstudio.core import waiters
from pulumi_modelstudio.core.waiters import PollPlan, pause, request_stop, wait_until
from pulumi_modelstudio.errors import RunInterruptedError, WaitTimeoutError

T = TypeVar("T")


@pytest.fixture(autouse=True)
def _fresh_stop() -> Iterator[None]:
    waiters.reset_stop()
    yield
    waiters.reset_stop()


def _wait(
    fetch: Callable[[], T], *, timeout_s: float, every_s: float, done: Callable[[T], bool] = lambda _s: False, **kw: Any
) -> object:
    """`wait_until` for one job named j1, polled every `every_s` seconds."""
    every = lambda _elapsed: every_s  # noqa: E731 - one fixed interval
    return wait_until(
        fetch, done=done, status=str, what="job", ident="j1", timeout_s=timeout_s, next_interval=every, **kw
    )


class FakeTime:
    """A clock that only moves when slept on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def test_polls_until_done() -> None:
    fake = FakeTime()
    seen: list[str] = []
    result = _wait(
        lambda: "done" if fake.now >= 30 else "busy",
        done=lambda s: s == "done",
        timeout_s=100,
        every_s=10,
        timing=fake,
        on_poll=seen.append,
    )
    assert result == "done"
    assert seen == ["busy", "busy", "busy", "done"]


def test_times_out_with_the_last_status() -> None:
    fake = FakeTime()
    with pytest.raises(WaitTimeoutError) as err:
        _wait(lambda: "RUNNING", timeout_s=25, every_s=10, timing=fake)
    assert err.value.last_status == "RUNNING"
    assert fake.now == pytest.approx(25)


def test_a_stop_wakes_a_sleeping_wait_at_once() -> None:
    threading.Timer(0.2, request_stop).start()
    started = time.monotonic()
    with pytest.raises(RunInterruptedError):
        _wait(lambda: "RUNNING", timeout_s=3600, every_s=3600)
    assert time.monotonic() - started < 2
    with pytest.raises(RunInterruptedError):
        pause(10)


@pytest.mark.parametrize("minutes", [5, 30, 77, 110, 240])
def test_a_job_is_noticed_within_30_s_with_few_polls(minutes: int) -> None:
    fake = FakeTime()
    end = minutes * 60.0
    plan = PollPlan(expected_s=end)
    polls: list[float] = []

    def fetch() -> float:
        polls.append(fake.now)
        return fake.now

    noticed = wait_until(
        fetch,
        done=lambda t: t >= end,
        status=str,
        what="job",
        ident="j",
        timeout_s=10 * end,
        next_interval=plan.interval,
        timing=fake,
    )
    assert noticed - end <= 30
    assert len(polls) <= 60


def test_intervals_are_clamped() -> None:
    plan = PollPlan(expected_s=100_000, min_s=5, max_s=600, near_s=20)
    assert plan.interval(0) == pytest.approx(600)
    assert PollPlan(expected_s=4, min_s=5).interval(0) == pytest.approx(20)
    near = PollPlan(expected_s=100)
    assert near.interval(95) == pytest.approx(20)
