"""Reads of resources being imported (`pulumi import`, the `import_` option): no state, so no pickled provider.

The provider registered for the resource's type (`pulumi_modelstudio.resources.registry`) reads the object by id,
and is stored in state like a create stores it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import Config, ConfigureRequest
from pulumi.runtime import proto, rpc
from pulumi.runtime._serialization import _serialize

from pulumi_modelstudio.resources._base import PROVIDER_KEY
from pulumi_modelstudio.resources._pickling import serialize_provider
from pulumi_modelstudio.resources.registry import identity_from_urn, provider_for_read, type_of_urn

__all__ = ["read_import"]


def read_import(request: proto.ReadRequest, config: Mapping[str, Any]) -> proto.ReadResponse:
    """Read the object `request.id` with the provider registered for the type in `request.urn`."""
    identity = identity_from_urn(request.urn)
    provider = provider_for_read({}, request.type or type_of_urn(request.urn))
    if provider is None:  # pragma: no cover - only when the request carries a provider
        msg = "no provider to read with"
        raise LookupError(msg)
    project = os.environ.get("PULUMI_PROJECT") or identity.get("project", "project")
    provider.configure(ConfigureRequest(Config(raw_config=dict(config), project_name=project)))
    result = provider.read(request.id, identity)
    pickled, _ = _serialize(True, serialize_provider, provider)  # noqa: FBT003 - allow_secrets, as a create does
    outs = {**(result.outs or {}), PROVIDER_KEY: pickled}
    inputs = {**(result.inputs or {}), PROVIDER_KEY: pickled}

    async def serialize() -> tuple[Any, Any]:
        return await rpc.serialize_properties(outs, {}), await rpc.serialize_properties(inputs, {})

    properties, declared = asyncio.run(serialize())
    return proto.ReadResponse(id=result.id or "", properties=properties, inputs=declared)
