"""`LoraModel` as a package component: the same chain as the dynamic one, built from the package resources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import pulumi
from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.runtime import rpc

from pulumi_modelstudio.plugin.schema import COMPONENTS, PACKAGE
from pulumi_modelstudio.plugin.values import from_engine, snake, to_engine
from pulumi_modelstudio.resources.lora_model import LoraModel

__all__ = ["PackageLoraModel", "construct"]

TOKEN = f"{PACKAGE}:index:LoraModel"
_KIND = next(kind for kind in COMPONENTS if kind.token == TOKEN)
_ARGUMENTS = {snake(field.name): field for field in _KIND.inputs}
"""The component's arguments by their Python names, as the schema declares them."""
_OUTPUTS = tuple((snake(field.name), field.name) for field in _KIND.outputs)
"""The component's outputs: Python attribute and schema name."""


def _package_parts() -> dict[str, Any]:
    import modelstudio_lora  # noqa: PLC0415 - the generated package classes, shipped in the same wheel

    return {
        "Dataset": modelstudio_lora.Dataset,
        "FineTuneJob": modelstudio_lora.FineTuneJob,
        "CheckpointExport": modelstudio_lora.CheckpointExport,
        "Deployment": modelstudio_lora.Deployment,
    }


class PackageLoraModel(LoraModel):
    """The `LoraModel` chain made of `modelstudio:index:*` resources."""

    parts: ClassVar[dict[str, Any]] = {}


async def _state(value: pulumi.Output[Any]) -> PropertyValue:
    """An output as a property value that keeps its secrecy and the resources it depends on."""
    known = await value.is_known()
    secret = await value.is_secret()
    urns = [await r.urn.future() for r in await value.resources()]
    deps = [u for u in urns if isinstance(u, str)]
    if not known:
        return PropertyValue(rpc.UNKNOWN, secret, deps)
    plain = await value.future()
    wired = to_engine({"v": plain})["v"]
    return wired.with_secret(secret).with_dependencies(deps)


async def construct(request: sdk.ConstructRequest, training: str) -> sdk.ConstructResponse:
    """Register the component and its resources; answer with its outputs once known."""
    if request.resource_type != TOKEN:
        msg = f"{request.resource_type!r} is not a component of the {PACKAGE} package; it provides {TOKEN}"
        raise ValueError(msg)
    if not PackageLoraModel.parts:
        PackageLoraModel.parts = _package_parts()
    component = PackageLoraModel(request.name, opts=request.options, **_arguments(request.inputs, training))
    state = {camel: await _state(getattr(component, name)) for name, camel in _OUTPUTS}
    urn = await component.urn.future()
    return sdk.ConstructResponse(str(urn), state, {k: set(v.dependencies) for k, v in state.items()})


def _arguments(inputs: Mapping[str, PropertyValue], training: str) -> dict[str, Any]:
    """The declared arguments (whole numbers as int); `training` defaults to the provider's setting."""
    args: dict[str, Any] = {"training": training}
    for name, value in from_engine(inputs).items():
        field = _ARGUMENTS.get(name)
        if field is not None and value is not None:
            args[name] = int(value) if field.integer and isinstance(value, float) else value
    return args
