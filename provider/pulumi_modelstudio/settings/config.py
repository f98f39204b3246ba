"""The one resolver of connection settings: `modelstudio:*` stack config (provider), command-line options (CLI)
and `DASHSCOPE_*` / `MODELSTUDIO_*` variables, in that order; the only module that reads those variables."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pulumi_modelstudio.errors import ConfigurationError
from pulumi_modelstudio.settings.embedded_emulator import EMULATOR_API_KEY, EMULATOR_ENDPOINT, ensure_emulator
from pulumi_modelstudio.settings.rules import (
    REGION_ENDPOINTS,
    api_base_url,
    endpoint_problem,
    header_value_problem,
    region_problem,
)

if TYPE_CHECKING:
    from pulumi_modelstudio.transport.client_settings import ClientSettings

__all__ = ["DEFAULT_EMULATOR_DIR", "MISSING_KEY", "ConnectionConfig", "project_root"]

DEFAULT_EMULATOR_DIR = ".state/emulator"
DEFAULT_EMULATOR_SPEED = 600.0
MISSING_KEY = (
    "No Model Studio API key: set it with `pulumi config set --secret modelstudio:apiKey sk-…` "
    "or `export DASHSCOPE_API_KEY=sk-…`; the local emulator needs none (`pulumi config set modelstudio:endpoint "
    "emulator`, or `--endpoint emulator` for a `modelstudio` command)"
)


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
_OPTIONS = {"api_key": "--api-key", "endpoint": "--endpoint", "region": "--region", "workspace": "--workspace"}
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
class ConnectionConfig:
    """How to reach the API, as declared; never raises while reading, and never holds a started emulator."""

    api_key: str | None = None
    endpoint: str | None = None
    region: str | None = None
    workspace: str | None = None
    time_scale: float | None = None
    emulator_dir: str = DEFAULT_EMULATOR_DIR
    emulator_speed: float = DEFAULT_EMULATOR_SPEED
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Where each setting came from (`modelstudio:region`, `--region`, `DASHSCOPE_REGION`), to name it in problems."""
    unreadable: tuple[str, ...] = ()
    """Settings that could not be read, each naming the setting and the fix."""

    def __repr__(self) -> str:
        """Never show the key."""
        return f"ConnectionConfig(endpoint={self.endpoint!r}, region={self.region!r}, workspace={self.workspace!r})"

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> ConnectionConfig:
        """Settings from `DASHSCOPE_*` / `MODELSTUDIO_*` variables only."""
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

    @classmethod
    def from_pulumi_config(cls, config: _ConfigSource, env: Mapping[str, str] = os.environ) -> ConnectionConfig:
        """`modelstudio:apiKey|endpoint|region|workspace|timeScale|emulatorDir|emulatorSpeed` over the environment."""

        def get(key: str) -> str | None:
            return _text(config.get(f"modelstudio:{key}"))

        base = cls.from_environment(env)
        given = {name: (get(key), f"modelstudio:{key}") for name, key in _KEYS.items()}
        numbers = {"time_scale": get("timeScale"), "emulator_speed": get("emulatorSpeed")}
        overridden = tuple(_ENV[name] for name, raw in numbers.items() if raw is not None)
        unreadable = [p for p in base.unreadable if not any(p.startswith(name) for name in overridden)]
        scale = _number(numbers["time_scale"], "modelstudio:timeScale", "time_scale", unreadable)
        speed = _number(numbers["emulator_speed"], "modelstudio:emulatorSpeed", "emulator_speed", unreadable)
        return replace(
            base._over(given),
            time_scale=scale or base.time_scale,
            emulator_dir=get("emulatorDir") or base.emulator_dir,
            emulator_speed=speed or base.emulator_speed,
            unreadable=tuple(unreadable),
        )

    @classmethod
    def from_options(
        cls,
        *,
        api_key: str | None = None,
        endpoint: str | None = None,
        region: str | None = None,
        workspace: str | None = None,
        env: Mapping[str, str] = os.environ,
    ) -> ConnectionConfig:
        """Command-line options (`--endpoint` ...) over the environment."""
        values = {"api_key": api_key, "endpoint": endpoint, "region": region, "workspace": workspace}
        return cls.from_environment(env)._over({n: (_text(v), _OPTIONS[n]) for n, v in values.items()})

    def _over(self, given: Mapping[str, tuple[str | None, str]]) -> ConnectionConfig:
        """These settings with every given (value, origin) in place of the current one."""
        chosen = {name: value for name, (value, _origin) in given.items() if value}
        origins = {**self.origins, **{name: origin for name, (value, origin) in given.items() if value}}
        return replace(self, **chosen, origins=origins)  # type: ignore[arg-type]

    def _origin(self, name: str) -> str:
        return self.origins.get(name, f"modelstudio:{_KEYS[name]}")

    @property
    def uses_emulator(self) -> bool:
        """Whether the endpoint is the embedded local emulator."""
        return self.endpoint == EMULATOR_ENDPOINT

    def emulator_folder(self) -> Path:
        """The embedded emulator's state folder: `emulator_dir` under the project root (absolute as given)."""
        return project_root() / self.emulator_dir

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

    def warnings(self) -> list[str]:
        """What will fail only when the API is called (a preview still works): a missing key."""
        return [] if self.api_key or self.uses_emulator else [MISSING_KEY]

    def client_settings(self) -> ClientSettings:
        """Resolve into client settings, starting the embedded emulator when the endpoint asks for it."""
        from pulumi_modelstudio.transport.client_settings import ClientSettings  # noqa: PLC0415 - only for API calls

        problems = self.problems() + self.warnings()
        if problems:
            raise ConfigurationError("; ".join(problems))
        region = self.region or "cn-beijing"
        if self.uses_emulator:
            endpoint = ensure_emulator(self.emulator_folder(), speed=self.emulator_speed)
            api_key, scale = self.api_key or EMULATOR_API_KEY, self.time_scale or self.emulator_speed
        else:
            endpoint = api_base_url(self.endpoint or REGION_ENDPOINTS[region])
            api_key, scale = str(self.api_key), self.time_scale or 1.0
        return ClientSettings(
            api_key=api_key,  # type: ignore[arg-type]
            endpoint=endpoint,
            region=region,  # type: ignore[arg-type]
            workspace=self.workspace,
            time_scale=scale,
        )
