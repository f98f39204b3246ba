"""The dynamic-provider host for this package: a dynamic-provider host, plus reads for resources being imported.

`pulumi import` and the `import_` resource option read an existing object by id with no prior state, so
there is no pickled provider to load and Pulumi's host fails. This host reads such a resource with the provider
registered for its type (`pulumi_modelstudio.resources.registry`) and stores that provider in state like a create does.
A project names it as its `pulumi-python` plugin (this repository's `scripts/hosts/`, see docs/adoption.md); it is
not put on PATH, so it never serves other projects. It stops when the engine that started it is gone.
"""

from __future__ import annotations

import asyncio
import os
import runpy
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import grpc
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import proto, rpc
from pulumi.runtime._serialization import _serialize
from pulumi.runtime.proto import provider_pb2_grpc

__all__ = ["add_import_read", "main"]

PROVIDER_KEY = "__provider"
_WATCH_INTERVAL_S = 1.0


def add_import_read(servicer: Any) -> None:
    """Make `servicer.Read` read resources being imported; every other read goes to the original."""
    original: Callable[[Any, Any], Any] = servicer.Read

    def read(request: Any, context: grpc.ServicerContext) -> Any:
        if PROVIDER_KEY in request.properties.fields or PROVIDER_KEY in request.inputs.fields:
            return original(request, context)
        return _import_read(servicer, request, context)

    servicer.Read = read


def _import_read(servicer: Any, request: Any, context: grpc.ServicerContext) -> Any:
    # Loaded on the first import only: the host starts as fast as Pulumi's own.
    from pulumi_modelstudio.errors import ModelStudioError  # noqa: PLC0415
    from pulumi_modelstudio.resources.registry import identity_from_urn, provider_for_read, type_of_urn  # noqa: PLC0415

    identity = identity_from_urn(request.urn)
    try:
        provider = provider_for_read({}, request.type or type_of_urn(request.urn))
        if provider is None:  # pragma: no cover - only when the request carries a provider
            msg = "no provider to read with"
            raise LookupError(msg)
        project = os.environ.get("PULUMI_PROJECT") or identity.get("project", "project")
        provider.configure(ConfigureRequest(Config(raw_config=dict(servicer._config), project_name=project)))
        result = provider.read(request.id, identity)
    except ModelStudioError as exc:
        context.abort(grpc.StatusCode.UNKNOWN, str(exc))
    pickled, _ = _serialize(True, serialize_provider, provider)  # noqa: FBT003 - allow_secrets, as a create does
    outs = {**(result.outs or {}), PROVIDER_KEY: pickled}
    inputs = {**(result.inputs or {}), PROVIDER_KEY: pickled}

    async def serialize() -> tuple[Any, Any]:
        return await rpc.serialize_properties(outs, {}), await rpc.serialize_properties(inputs, {})

    properties, declared = asyncio.run(serialize())
    return proto.ReadResponse(id=result.id or "", properties=properties, inputs=declared)


def _exit_with_engine() -> None:
    """Stop this process (SIGTERM) when the engine that started it is gone (e.g. `pulumi` was killed)."""
    engine = os.getppid()

    def watch() -> None:
        while os.getppid() == engine:
            time.sleep(_WATCH_INTERVAL_S)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="engine-watchdog", daemon=True).start()


def main() -> None:
    """Run the dynamic provider host with the import read added.

    The host is `pulumi_modelstudio.hosts.dynamic_host`; it registers its servicer through
    `add_ResourceProviderServicer_to_server`, where the read is added.
    """
    register = provider_pb2_grpc.add_ResourceProviderServicer_to_server

    def register_with_import_read(servicer: Any, server: grpc.Server) -> None:
        add_import_read(servicer)
        register(servicer, server)

    provider_pb2_grpc.add_ResourceProviderServicer_to_server = register_with_import_read
    _exit_with_engine()
    runpy.run_module("pulumi_modelstudio.hosts.dynamic_host", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
