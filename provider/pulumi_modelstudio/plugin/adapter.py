"""The plugin's requests mapped onto the resource core: one core provider object per call, owned by the URN.

Only this module knows how the core is called; the server speaks the engine's protocol and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi.runtime import rpc

from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.core.model import Role
from pulumi_modelstudio.core.type_tokens import class_at, type_of_urn
from pulumi_modelstudio.errors import ModelStudioError
from pulumi_modelstudio.plugin.schema import PACKAGE

if TYPE_CHECKING:
    from pulumi_modelstudio.resources._base import ModelStudioProvider
    from pulumi_modelstudio.settings.config import ConnectionConfig

__all__ = ["CORE_CLASSES", "Outcome", "UnknownTypeError", "core_for", "owner_of", "while_training"]

CORE_CLASSES: Mapping[str, str] = {
    f"{PACKAGE}:index:Dataset": "pulumi_modelstudio.resources.dataset:DatasetProvider",
    f"{PACKAGE}:index:FineTuneJob": "pulumi_modelstudio.resources.fine_tune_job:FineTuneJobProvider",
    f"{PACKAGE}:index:CheckpointExport": "pulumi_modelstudio.resources.checkpoint_export:CheckpointExportProvider",
    f"{PACKAGE}:index:Deployment": "pulumi_modelstudio.resources.deployment:DeploymentProvider",
}
"""Each package resource type and the core that implements it (the same one the dynamic resources use)."""

_JOB_NAMES = frozenset({"job_id", "job_name", "sent_hyper_parameters"})
"""What an update of a job still training keeps: it waits for the job, so its status and results may change."""


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


def core_for(urn: str, config: ConnectionConfig) -> ModelStudioProvider:
    """The core provider for the resource `urn` names, owned by it and configured with the plugin's settings."""
    kind = type_of_urn(urn)
    if kind not in CORE_CLASSES:
        known = ", ".join(sorted(CORE_CLASSES))
        msg = f"{kind or urn!r} is not a resource of the {PACKAGE} package; it provides {known}"
        raise UnknownTypeError(msg)
    core: ModelStudioProvider = class_at(CORE_CLASSES[kind])(owner_of(urn))
    core._runtime_config = config
    return core


def with_defaults(urn: str, inputs: Mapping[str, Any], *, training: str) -> dict[str, Any]:
    """`inputs` with the schema's defaults for what a program left out (not every language applies them), and a
    FineTuneJob's `wait` from the provider's `training` setting."""
    from pulumi_modelstudio.plugin.schema import RESOURCES  # noqa: PLC0415
    from pulumi_modelstudio.plugin.values import snake  # noqa: PLC0415

    kind = next((k for k in RESOURCES if k.token == type_of_urn(urn)), None)
    if kind is None:
        return dict(inputs)
    defaults = {snake(field.name): field.default for field in kind.inputs if field.default is not None}
    if kind.name == "FineTuneJob":
        defaults["wait"] = training == "wait"
    filled = dict(inputs)
    for name, default in defaults.items():
        if filled.get(name) is None:
            filled[name] = default
    return filled


def created(core: ModelStudioProvider, id_: str, outs: Mapping[str, Any]) -> Outcome:
    """An outcome of `core` with the refresh flag the core asks for (a job still training)."""
    outputs = dict(outs)
    return Outcome(id_, outputs, None, bool(id_) and core.needs_refresh(outputs))


def while_training(core: ModelStudioProvider, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
    """What an update that waits (for a job still training) keeps at preview: its names; results stay unknown."""
    model = core.state_model
    kept = model.of(news).with_outputs_of(model.of(olds)).to_props()
    for name in model.fields_with(Role.OUTPUT):
        if name not in _JOB_NAMES:
            kept[name] = rpc.UNKNOWN
    return kept
