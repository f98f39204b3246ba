"""Provider settings from the plugin's Configure request: `modelstudio:*` config, secrets unwrapped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_modelstudio.core.serving import TRAINING_MODES
from pulumi_modelstudio.plugin.schema import PACKAGE
from pulumi_modelstudio.plugin.values import camel
from pulumi_modelstudio.settings.config import ConnectionConfig

__all__ = ["TRAINING_MODES", "configured", "training_mode"]


def _config_map(variables: Mapping[str, str], args: Mapping[str, Any]) -> dict[str, Any]:
    """`modelstudio:<key>` -> value, from the provider's inputs first, then the engine's config variables."""
    found: dict[str, Any] = {}
    for key, value in variables.items():
        name = key.rsplit(":", 1)[-1]  # `modelstudio:apiKey` and the older `modelstudio:config:apiKey`
        found[f"{PACKAGE}:{name}"] = value
    for name, value in args.items():
        if value is not None and name != "version":
            found[f"{PACKAGE}:{camel(name)}"] = value
    return found


def configured(variables: Mapping[str, str], args: Mapping[str, Any]) -> tuple[ConnectionConfig, dict[str, Any]]:
    """The core's settings and the raw `modelstudio:*` map they were read from."""
    raw = _config_map(variables, args)
    return ConnectionConfig.from_pulumi_config(raw), raw


def training_mode(raw: Mapping[str, Any]) -> str:
    """`wait` or `submit`, from `modelstudio:training` (default `wait`)."""
    value = str(raw.get(f"{PACKAGE}:training") or "wait").strip()
    return value if value in TRAINING_MODES else "wait"


def training_problem(raw: Mapping[str, Any]) -> str | None:
    """A problem naming `modelstudio:training` when it is neither `wait` nor `submit`."""
    value = raw.get(f"{PACKAGE}:training")
    if value is None or str(value).strip() in TRAINING_MODES:
        return None
    return f"{PACKAGE}:training {value!r} is not a training mode — use 'wait' or 'submit'"
