"""Provider settings from `modelstudio:*` stack config, falling back to the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from provider.localdev import EMULATOR_API_KEY, EMULATOR_ENDPOINT, ensure_emulator

if TYPE_CHECKING:
    from provider.settings import ClientSettings

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

    def __repr__(self) -> str:
        """Never show the key."""
        return f"ProviderConfig(endpoint={self.endpoint!r}, region={self.region!r}, workspace={self.workspace!r})"

    @classmethod
    def from_pulumi_config(cls, config: _ConfigSource, env: Mapping[str, str] = os.environ) -> ProviderConfig:
        """Read `modelstudio:apiKey|endpoint|region|workspace|timeScale|emulatorDir|emulatorSpeed`."""

        def get(key: str) -> str | None:
            return _text(config.get(f"modelstudio:{key}"))

        base = cls.from_environment(env)
        speed = get("emulatorSpeed")
        scale = get("timeScale")
        return cls(
            api_key=get("apiKey") or base.api_key,
            endpoint=get("endpoint") or base.endpoint,
            region=get("region") or base.region,
            workspace=get("workspace") or base.workspace,
            time_scale=float(scale) if scale else base.time_scale,
            emulator_dir=get("emulatorDir") or base.emulator_dir,
            emulator_speed=float(speed) if speed else base.emulator_speed,
        )

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> ProviderConfig:
        """Settings from `DASHSCOPE_*` / `MODELSTUDIO_*` variables only."""
        scale = _text(env.get("MODELSTUDIO_TIME_SCALE"))
        speed = _text(env.get("MODELSTUDIO_EMULATOR_SPEED"))
        return cls(
            api_key=_text(env.get("DASHSCOPE_API_KEY")),
            endpoint=_text(env.get("DASHSCOPE_HTTP_BASE_URL")),
            region=_text(env.get("DASHSCOPE_REGION")),
            workspace=_text(env.get("DASHSCOPE_WORKSPACE")),
            time_scale=float(scale) if scale else None,
            emulator_dir=_text(env.get("MODELSTUDIO_EMULATOR_DIR")) or DEFAULT_EMULATOR_DIR,
            emulator_speed=float(speed) if speed else DEFAULT_EMULATOR_SPEED,
        )

    @property
    def uses_emulator(self) -> bool:
        """Whether the endpoint is the embedded local emulator."""
        return self.endpoint == EMULATOR_ENDPOINT

    def client_settings(self) -> ClientSettings:
        """Resolve into client settings, starting the embedded emulator when the endpoint asks for it."""
        from provider.settings import ClientSettings  # noqa: PLC0415 - only needed when the API is called

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
