"""Waits follow the service's clock: an emulator's simulated one, learned from the emulator itself."""

from __future__ import annotations

import time
import urllib.request
from typing import Any

import pytest
from pulumi_modelstudio.settings.service_clock import EmulatorClock, RealClock, service_clock


def test_official_endpoints_are_never_probed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("probed")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    assert isinstance(service_clock("https://dashscope.aliyuncs.com/api/v1"), RealClock)
    assert isinstance(service_clock("https://dashscope-intl.aliyuncs.com/api/v1"), RealClock)


def test_an_emulator_is_recognised_and_its_speed_followed(emulator: Any) -> None:
    clock = service_clock(emulator.api_url)  # one per process: an earlier test may have seen another speed
    assert isinstance(clock, EmulatorClock)
    clock.now()  # each look at the clock reads the emulator's speed
    assert clock.speed == emulator.control("health")["speed"]

    emulator.control("clock", "POST", {"speed": 600})
    started = time.monotonic()
    clock.sleep(300)  # five simulated minutes at 600x: half a real second
    assert 0.3 < time.monotonic() - started < 3
    assert clock.speed == 600

    emulator.control("clock", "POST", {"speed": 0})
    before = clock.now()
    emulator.control("clock", "POST", {"advance_seconds": 120})
    assert clock.now() - before == pytest.approx(120, abs=1)


def test_something_that_is_not_an_emulator_runs_in_real_time(emulator: Any) -> None:
    assert isinstance(service_clock(f"{emulator.url}/not-here/api/v1"), RealClock)
    assert isinstance(service_clock("http://127.0.0.1:9/api/v1"), RealClock)  # nothing listens there
