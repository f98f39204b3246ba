"""Compatibility switches: one key per behaviour the documentation leaves open, each with its readings."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["COMPAT_ENV", "READINGS", "Compat", "CompatError", "parse_compat"]

COMPAT_ENV = "MODELSTUDIO_EMULATOR_COMPAT"

READINGS: dict[str, tuple[str, ...]] = {
    "job_name": ("echo", "job_id"),
    "deployed_model": ("model_name", "hex"),
    "deployment_delete": ("object", "status"),
    "finished_job_delete": ("allow", "refuse"),
    "deployment_name": ("echo", "absent"),
}
"""Every key with its readings; the first is the default, the last the `strict` one."""

PRESETS = ("default", "strict")


class CompatError(ValueError):
    """An unknown key, reading or preset; the message lists the valid ones."""


@dataclass(frozen=True)
class _Choice:
    key: str
    value: str


def _check(key: str, value: str) -> _Choice:
    if key not in READINGS:
        msg = f"unknown compat key {key!r}; known keys: {', '.join(READINGS)}"
        raise CompatError(msg)
    if value not in READINGS[key]:
        msg = f"compat {key} must be one of {', '.join(READINGS[key])}, not {value!r}"
        raise CompatError(msg)
    return _Choice(key, value)


def preset(name: str) -> dict[str, str]:
    """The full map of a preset (`default` or `strict`)."""
    if name not in PRESETS:
        msg = f"compat preset must be one of {', '.join(PRESETS)}, not {name!r}"
        raise CompatError(msg)
    index = 0 if name == "default" else -1
    return {key: readings[index] for key, readings in READINGS.items()}


def parse_compat(text: str) -> dict[str, str]:
    """`"strict"`, `"default"` or `"KEY=VALUE,KEY=VALUE"` (presets may be mixed in) as a partial map."""
    result: dict[str, str] = {}
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        if "=" not in item:
            result.update(preset(item))
            continue
        key, _, value = item.partition("=")
        choice = _check(key.strip(), value.strip())
        result[choice.key] = choice.value
    return result


class Compat:
    """The readings in force; thread-safe and changeable at run time."""

    def __init__(self, settings: Mapping[str, str] | str | None = None) -> None:
        """Start from the defaults, then apply `settings` (a map or the text form)."""
        self._lock = threading.Lock()
        self._values = preset("default")
        if settings is not None:
            self.update(parse_compat(settings) if isinstance(settings, str) else dict(settings))

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> Compat:
        """Readings from `MODELSTUDIO_EMULATOR_COMPAT` (defaults when unset)."""
        text = (env if env is not None else os.environ).get(COMPAT_ENV, "")
        return cls(text or None)

    def update(self, values: Mapping[str, object]) -> None:
        """Apply `{"preset": NAME}` first, then each `KEY: VALUE`; all or nothing."""
        merged = self.as_dict()
        name = values.get("preset")
        if name is not None:
            merged = preset(str(name))
        for key, value in values.items():
            if key != "preset":
                choice = _check(str(key), str(value))
                merged[choice.key] = choice.value
        with self._lock:
            self._values = merged

    def as_dict(self) -> dict[str, str]:
        """The current map."""
        with self._lock:
            return dict(self._values)

    def __getitem__(self, key: str) -> str:
        """The reading of `key`."""
        with self._lock:
            return self._values[key]

    def reads(self, key: str, value: str) -> bool:
        """Whether `key` is at reading `value`."""
        _check(key, value)
        return self[key] == value
