"""Provider settings from `modelstudio:*` stack config, falling back to the environment."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pulumi_modelstudio.settings.local_emulator import EMULATOR_API_KEY, EMULATOR_ENDPOINT, ensure_emulator
from pulumi_modelstudio.settings.rules import REGION_ENDPOINTS, endpoint_problem, header_value_problem, region_problem

if TYPE_CHECKING:
    from pulumi_modelstudio.settings.client_settings import ClientSettings

__all__ = ["ProviderConfig", "project_root"]

DEFAULT_EMULATOR_DIR = ".state/emulator"
DEFAULT_EMULATOR_SPEED = 600.0


def project_root(start: Path | None = None) -> Path:
    """The nearest folder holding Pulumi.yaml (providers run in the program folder, not the project root)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "Pulumi.yaml").is_file():
            return folder
    return here


class _ConfigSource(Protocol):
    def get(self, key: str) -> object: ...


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


_KEYS = {"api_key": "apiKey", "endpoint": "endpoint", "region": "region", "workspace": "workspace"}
_ENV = {
    "api_key": "DASHSCOPE_API_KEY",
    "endpoint": "DASHSCOPE_HTTP_BASE_URL",
    "region": "DASHSCOPE_REGION",
    "workspace": "DASHSCOPE_WORKSPACE",
    "time_scale": "MODELSTUDIO_TIME_SCALE",
    "emulator_speed": "MODELSTUDIO_EMULATOR_SPEED",
}
_NUMBER_FIXES = {
    "time_scale": "use 1 for the real API (the default) or the emulator's speed, e.g. 600",
    "emulator_speed": f"use a positive number of simulated seconds per real second, e.g. {DEFAULT_EMULATOR_SPEED:g}",
}


def _number(raw: str | None, origin: str, field_name: str, problems: list[str]) -> float | None:
    """`raw` as a positive finite number; a problem naming `origin` otherwise."""
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if math.isfinite(value) and value > 0:
        return value
    problems.append(f"{origin} {raw!r} is not a positive number — {_NUMBER_FIXES[field_name]}")
    return None


@dataclass(frozen=True)
class ProviderConfig:
    """What the providers need to reach the API; lives only in the provider process, never in state."""

    api_key: str | None = None
    endpoint: str | None = None
    region: str | None = None
    workspace: str | None = None
    time_scale: float | None = None
    emulator_dir: str = DEFAULT_EMULATOR_DIR
    emulator_speed: float = DEFAULT_EMULATOR_SPEED
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Where each setting came from (`modelstudio:region`, `DASHSCOPE_REGION`), to name it in problems."""
    unreadable: tuple[str, ...] = ()
    """Settings that could not be read, each naming the setting and the fix."""

    def __repr__(self) -> str:
        """Never show the key."""
        return f"ProviderConfig(endpoint={self.endpoint!r}, region={self.region!r}, workspace={self.workspace!r})"

    @classmethod
    def from_pulumi_config(cls, config: _ConfigSource, env: Mapping[str, str] = os.environ) -> ProviderConfig:
        """Read `modelstudio:apiKey|endpoint|region|workspace|timeScale|emulatorDir|emulatorSpeed`; never raises."""

        def get(key: str) -> str | None:
            return _text(config.get(f"modelstudio:{key}"))

        base = cls.from_environment(env)
        origins = dict(base.origins)
        values: dict[str, str | None] = {}
        for name, key in _KEYS.items():
            given = get(key)
            values[name] = given or getattr(base, name)
            if given:
                origins[name] = f"modelstudio:{key}"
        given_numbers = {"time_scale": get("timeScale"), "emulator_speed": get("emulatorSpeed")}
        overridden = tuple(_ENV[name] for name, raw in given_numbers.items() if raw is not None)
        unreadable = [p for p in base.unreadable if not any(p.startswith(name) for name in overridden)]
        scale = _number(given_numbers["time_scale"], "modelstudio:timeScale", "time_scale", unreadable)
        speed = _number(given_numbers["emulator_speed"], "modelstudio:emulatorSpeed", "emulator_speed", unreadable)
        return cls(
            **values,
            time_scale=scale or base.time_scale,
            emulator_dir=get("emulatorDir") or base.emulator_dir,
            emulator_speed=speed or base.emulator_speed,
            origins=origins,
            unreadable=tuple(unreadable),
        )

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> ProviderConfig:
        """Settings from `DASHSCOPE_*` / `MODELSTUDIO_*` variables only; never raises."""
        unreadable: list[str] = []
        scale = _number(_text(env.get(_ENV["time_scale"])), _ENV["time_scale"], "time_scale", unreadable)
        speed = _number(_text(env.get(_ENV["emulator_speed"])), _ENV["emulator_speed"], "emulator_speed", unreadable)
        values = {name: _text(env.get(_ENV[name])) for name in _KEYS}
        return cls(
            **values,
            time_scale=scale,
            emulator_dir=_text(env.get("MODELSTUDIO_EMULATOR_DIR")) or DEFAULT_EMULATOR_DIR,
            emulator_speed=speed or DEFAULT_EMULATOR_SPEED,
            origins={name: _ENV[name] for name, value in values.items() if value},
            unreadable=tuple(unreadable),
        )

    def _origin(self, name: str) -> str:
        return self.origins.get(name, f"modelstudio:{_KEYS[name]}")

    def problems(self) -> list[str]:
        """Every setting that cannot work, naming it and the fix; nothing is started or called."""
        found = list(self.unreadable)
        region_issue = region_problem(self.region) if self.region else None
        if region_issue:
            found.append(f"{self._origin('region')} {region_issue}")
        if self.endpoint and not self.uses_emulator:
            example = REGION_ENDPOINTS.get(self.region or "cn-beijing", REGION_ENDPOINTS["cn-beijing"])
            endpoint_issue = endpoint_problem(self.endpoint, example)
            if endpoint_issue:
                found.append(f"{self._origin('endpoint')} {endpoint_issue}")
        for name in ("api_key", "workspace"):
            value = getattr(self, name)
            issue = header_value_problem(value) if value else None
            if issue:
                found.append(f"{self._origin(name)} {issue}")
        return found

    @property
    def uses_emulator(self) -> bool:
        """Whether the endpoint is the embedded local emulator."""
        return self.endpoint == EMULATOR_ENDPOINT

    def client_settings(self) -> ClientSettings:
        """Resolve into client settings, starting the embedded emulator when the endpoint asks for it."""
        from pulumi_modelstudio.settings.client_settings import ClientSettings  # noqa: PLC0415 - only needed when the API is called

        if self.uses_emulator:
            url = ensure_emulator(project_root() / self.emulator_dir, speed=self.emulator_speed)
            return ClientSettings.resolve(
                api_key=self.api_key or EMULATOR_API_KEY,
                endpoint=url,
                region=self.region,
                workspace=self.workspace,
                time_scale=self.time_scale or self.emulator_speed,
                env={},
            )
        return ClientSettings.resolve(
            api_key=self.api_key,
            endpoint=self.endpoint,
            region=self.region,
            workspace=self.workspace,
            time_scale=self.time_scale,
            env={},
        )
