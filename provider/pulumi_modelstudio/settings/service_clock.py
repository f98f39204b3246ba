"""The service's clock: waits are planned in service seconds, and an emulator's simulated speed is learned from
its own `GET /_emulator/health` (so a speed change or a jump of its clock is followed)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Protocol

from pulumi_modelstudio.core.waiters import pause

__all__ = ["EmulatorClock", "RealClock", "ScaledClock", "ServiceClock", "emulator_health", "service_clock"]

_OFFICIAL_HOST_SUFFIX = ".aliyuncs.com"
_PROBE_TIMEOUT_S = 2.0
_SLEEP_CHUNK_S = 1.0
"""Longest real sleep between two looks at the emulator's clock (it may be advanced or change speed meanwhile)."""


class ServiceClock(Protocol):
    """The service's time: waits are planned and measured in its seconds."""

    def now(self) -> float:
        """Seconds on the service's clock (only differences matter)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Let `seconds` of service time pass (interrupted when the run is stopped)."""
        ...


class RealClock:
    """A real service: its seconds are ours."""

    def now(self) -> float:
        """Monotonic real seconds."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Sleep real seconds."""
        pause(seconds)


class _NoAnswerError(Exception):
    """Nothing answered HTTP (yet)."""


def _probe(base: str) -> dict[str, Any] | None:
    """The emulator's health answer; None when `base` answers but not like an emulator; _NoAnswerError when silent."""
    try:
        with urllib.request.urlopen(f"{base}/_emulator/health", timeout=_PROBE_TIMEOUT_S) as resp:  # noqa: S310
            body = json.load(resp)
    except urllib.error.HTTPError:
        return None
    except (OSError, ValueError) as exc:
        raise _NoAnswerError(str(exc)) from exc
    if not isinstance(body, dict) or not body.get("ok") or not isinstance(body.get("speed"), int | float):
        return None
    return body


def emulator_health(base: str) -> dict[str, Any] | None:
    """The health answer of the emulator at `base` (a URL without `/api/v1`), or None when none answers."""
    try:
        return _probe(base)
    except _NoAnswerError:
        return None


class EmulatorClock:
    """An emulator's simulated clock, read from the emulator itself, so a speed change or a jump is followed."""

    def __init__(self, base: str, health: dict[str, Any]) -> None:
        """Start from one health answer of the emulator at `base`."""
        self.base = base
        self._set(health)

    def _set(self, health: dict[str, Any]) -> None:
        self.speed = float(health["speed"])
        self._sim = float(health.get("now") or 0.0)
        self._real = time.monotonic()

    def now(self) -> float:
        """Simulated seconds; extrapolated from the last answer when the emulator does not answer (restarting)."""
        health = emulator_health(self.base)
        if health is not None:
            self._set(health)
            return self._sim
        return self._sim + (time.monotonic() - self._real) * self.speed

    def sleep(self, seconds: float) -> None:
        """Wait until `seconds` simulated seconds have passed; a frozen clock (speed 0) waits for an advance."""
        target = self.now() + seconds
        while (remaining := target - self.now()) > 0:
            real = remaining / self.speed if self.speed > 0 else _SLEEP_CHUNK_S
            pause(min(real, _SLEEP_CHUNK_S))


_CLOCKS: dict[str, ServiceClock] = {}


class ScaledClock:
    """A service that runs `scale` times faster than real time and does not say so itself."""

    def __init__(self, scale: float) -> None:
        """Service seconds per real second."""
        self.scale = scale

    def now(self) -> float:
        """Real monotonic seconds, scaled."""
        return time.monotonic() * self.scale

    def sleep(self, seconds: float) -> None:
        """Sleep the real share of `seconds`."""
        pause(seconds / self.scale)


def service_clock(api_url: str, *, fallback_scale: float = 1.0) -> ServiceClock:
    """The clock of the service behind `api_url`: an emulator's simulated one when it is an emulator.

    Official Model Studio endpoints are never probed; any other endpoint is asked for `/_emulator/health` once
    per process. An endpoint that does not answer like an emulator runs in real time, or `fallback_scale` times
    faster when a speed is configured (`modelstudio:timeScale`).
    """
    plain: ServiceClock = RealClock() if fallback_scale == 1.0 else ScaledClock(fallback_scale)
    host = urllib.parse.urlsplit(api_url).hostname or ""
    if host.endswith(_OFFICIAL_HOST_SUFFIX):
        return plain
    known = _CLOCKS.get(api_url)
    if known is not None:
        return known
    base = api_url.rstrip("/").removesuffix("/api/v1")
    try:
        health = _probe(base)
    except _NoAnswerError:
        return plain  # not cached: the emulator may still be starting
    clock = EmulatorClock(base, health) if health is not None else plain
    _CLOCKS[api_url] = clock
    return clock
