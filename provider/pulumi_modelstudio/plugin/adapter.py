"""The plugin's requests mapped onto the resource core: one core provider object per call, owned by the URN.

Only this module knows how the core is called; the server speaks the engine's protocol and nothing else.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.errors import ModelStudioError
from pulumi_modelstudio.plugin.schema import PACKAGE

if TYPE_CHECKING:
    from pulumi_modelstudio.resources._base import ModelStudioProvider
    from pulumi_modelstudio.settings.config import ConnectionConfig

__all__ = ["CORE_CLASSES", "Outcome", "UnknownTypeError", "core_for", "owner_of"]

CORE_CLASSES: Mapping[str, str] = {
    f"{PACKAGE}:index:Dataset": "pulumi_modelstudio.resources.dataset:DatasetProvider",
    f"{PACKAGE}:index:FineTuneJob": "pulumi_modelstudio.resources.fine_tune_job:FineTuneJobProvider",
    f"{PACKAGE}:index:CheckpointExport": "pulumi_modelstudio.resources.checkpoint_export:CheckpointExportProvider",
    f"{PACKAGE}:index:Deployment": "pulumi_modelstudio.resources.deployment:DeploymentProvider",
}
"""Each package resource type and the core that implements it (the same one the dynamic resources use)."""


class UnknownTypeError(ModelStudioError, LookupError):
    """A request names a resource type this package does not have."""


@dataclass(frozen=True)
class Outcome:
    """What a create, read or update produced: id, core-shaped outputs and inputs, whether to read it again."""

    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any] | None = None
    refresh_before_update: bool = False


def owner_of(urn: str) -> Owner:
    """Project, stack and resource name of `urn:pulumi:<stack>::<project>::<type>::<name>`."""
    parts = urn.split("::")
    if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
        msg = f"cannot read the owner of {urn!r}: not a resource URN"
        raise UnknownTypeError(msg)
    return Owner(parts[1], parts[0].removeprefix("urn:pulumi:"), parts[-1])


def type_of(urn: str) -> str:
    """The resource type of a URN (the last one of a parent chain)."""
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) >= 4 else ""


def core_for(urn: str, config: ConnectionConfig) -> ModelStudioProvider:
    """The core provider for the resource `urn` names, owned by it and configured with the plugin's settings."""
    kind = type_of(urn)
    target = CORE_CLASSES.get(kind)
    if target is None:
        known = ", ".join(sorted(CORE_CLASSES))
        msg = f"{kind or urn!r} is not a resource of the {PACKAGE} package; it provides {known}"
        raise UnknownTypeError(msg)
    module_name, _, class_name = target.partition(":")
    core_class: type[ModelStudioProvider] = getattr(importlib.import_module(module_name), class_name)
    core = core_class(owner_of(urn))
    core._runtime_config = config
    return core


def with_defaults(urn: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """`inputs` with the schema's defaults for what a program left out (not every language applies them)."""
    from pulumi_modelstudio.plugin.schema import RESOURCES  # noqa: PLC0415
    from pulumi_modelstudio.plugin.values import snake  # noqa: PLC0415

    kind = next((k for k in RESOURCES if k.token == type_of(urn)), None)
    filled = dict(inputs)
    for field in kind.inputs if kind else ():
        if field.default is not None and filled.get(snake(field.name)) is None:
            filled[snake(field.name)] = field.default
    return filled


def created(core: ModelStudioProvider, id_: str, outs: Mapping[str, Any]) -> Outcome:
    """An outcome of `core` with the refresh flag the core asks for (a job still training)."""
    outputs = dict(outs)
    return Outcome(id_, outputs, None, bool(id_) and core.needs_refresh(outputs))
