"""The provider host's gRPC servicer: serves every dynamic resource, reads imports, ends waits on Cancel."""

from __future__ import annotations

import asyncio
import base64
import os
import threading
import traceback
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import dill
import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.dynamic import Config, ConfigureRequest, ResourceProvider
from pulumi.metadata import get_project
from pulumi.runtime import Settings, configure, proto, rpc
from pulumi.runtime._serialization import _deserialize
from pulumi.runtime.proto import provider_pb2_grpc

from pulumi_modelstudio.core.waiters import request_stop
from pulumi_modelstudio.errors import ModelStudioError
from pulumi_modelstudio.hosts._import_read import read_import
from pulumi_modelstudio.hosts.engine_log import EngineLog, current_urn
from pulumi_modelstudio.resources._base import PROVIDER_KEY

__all__ = ["HostServicer"]

R = TypeVar("R")
W = TypeVar("W")


def _serialize(props: Mapping[str, Any]) -> struct_pb2.Struct:
    loop = asyncio.new_event_loop()
    try:
        result: struct_pb2.Struct = loop.run_until_complete(rpc.serialize_properties(dict(props), {}))
    finally:
        loop.close()
    return result


def _served(method: Callable[[HostServicer, Any], R]) -> Callable[..., R]:
    """Run one RPC with its resource in scope; expected errors become their message, others a traceback."""

    def wrapper(self: HostServicer, request: Any, context: grpc.ServicerContext) -> R:
        current_urn.urn = getattr(request, "urn", "")
        try:
            return method(self, request)
        except ModelStudioError as exc:
            context.abort(grpc.StatusCode.UNKNOWN, str(exc))
        except Exception:  # anything else is a bug: show where
            context.abort(grpc.StatusCode.UNKNOWN, traceback.format_exc())
        finally:
            current_urn.urn = ""
        raise AssertionError  # pragma: no cover - abort always raises

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


class HostServicer(provider_pb2_grpc.ResourceProviderServicer):
    """Serves dynamic resources: the provider object travels pickled in the `__provider` property."""

    def __init__(self, engine_address: str | None) -> None:
        """Remember where the engine listens (progress lines are sent there)."""
        self._config: dict[str, Any] = {}
        self._providers: dict[str, ResourceProvider] = {}
        self._lock = threading.Lock()
        self.engine = EngineLog()
        if engine_address:
            self.engine.connect(engine_address)

    # -- plumbing ------------------------------------------------------------------------------------------

    def provider(self, props: Mapping[str, Any]) -> ResourceProvider:
        """The provider pickled into `props`, unpickled and configured once per process."""
        blob = str(props[PROVIDER_KEY])
        configure(Settings(project=os.environ.get("PULUMI_PROJECT", "project"), stack="stack"))  # per thread
        found = self._providers.get(blob)
        if found is not None:
            return found
        with self._lock:
            found = self._providers.get(blob)
            if found is None:
                found = _deserialize(lambda: dill.loads(base64.b64decode(blob)))  # noqa: S301 - the engine's own state
                found.configure(ConfigureRequest(Config(raw_config=self._config, project_name=get_project())))
                self._providers[blob] = found
        return found

    def _provider_of(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> ResourceProvider:
        return self.provider(olds if news.get(PROVIDER_KEY) == rpc.UNKNOWN else news)

    def _applied(
        self, props: Mapping[str, Any], work: Callable[[ResourceProvider], W]
    ) -> tuple[W, struct_pb2.Struct, bool]:
        """`work` done by the provider pickled in `props`: its result, the outputs to record (the pickled provider
        kept) and whether the engine should read them again before the next update."""
        provider = self.provider(props)
        result = work(provider)
        kept = {**(getattr(result, "outs", None) or {}), PROVIDER_KEY: props[PROVIDER_KEY]}
        check: Callable[[Mapping[str, Any]], bool] | None = getattr(provider, "needs_refresh", None)
        return result, _serialize(kept), bool(check(kept)) if check is not None else False

    # -- lifecycle -----------------------------------------------------------------------------------------
    def Handshake(  # noqa: N802 - gRPC method name
        self, request: proto.ProviderHandshakeRequest, context: grpc.ServicerContext
    ) -> proto.ProviderHandshakeResponse:
        """Learn the engine's address; plain values only (no secrets, resources or outputs as inputs)."""
        del context
        if request.engine_address and not self.engine.connected:
            self.engine.connect(request.engine_address)
        return proto.ProviderHandshakeResponse(accept_secrets=False, accept_resources=False, accept_outputs=False)

    def GetPluginInfo(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> proto.PluginInfo:  # noqa: N802
        """The host's version."""
        del request, context
        return proto.PluginInfo(version="0.1.0")

    def Configure(  # noqa: N802
        self, request: proto.ConfigureRequest, context: grpc.ServicerContext
    ) -> proto.ConfigureResponse:
        """Keep the stack config; each provider reads it when first unpickled."""
        del context
        config = rpc.deserialize_properties(request.args)
        self._config = {k: rpc.unwrap_rpc_secret(v) for k, v in config.items()}
        return proto.ConfigureResponse(acceptSecrets=False, supportsPreview=True)

    def Cancel(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> empty_pb2.Empty:  # noqa: N802
        """The run is being cancelled (Ctrl-C): end every wait now."""
        del request, context
        request_stop()
        return empty_pb2.Empty()

    # -- resources -----------------------------------------------------------------------------------------
    @_served
    def Check(self, request: proto.CheckRequest) -> proto.CheckResponse:  # noqa: N802
        """Validate and enrich inputs."""
        olds = rpc.deserialize_properties(request.olds, keep_unknowns=True)
        news = rpc.deserialize_properties(request.news, keep_unknowns=True)
        provider = self._provider_of(olds, news)
        result = provider.check(olds, news)
        inputs = dict(result.inputs or {})
        inputs[PROVIDER_KEY] = news[PROVIDER_KEY]
        failures = [proto.CheckFailure(property=f.property, reason=f.reason) for f in result.failures or []]
        return proto.CheckResponse(inputs=_serialize(inputs), failures=failures)

    @_served
    def Diff(self, request: proto.DiffRequest) -> proto.DiffResponse:  # noqa: N802
        """Compare recorded and declared inputs."""
        olds = rpc.deserialize_properties(request.olds, keep_unknowns=True)
        news = rpc.deserialize_properties(request.news, keep_unknowns=True)
        result = self._provider_of(olds, news).diff(request.id, olds, news)
        fields: dict[str, Any] = {}
        if result.changes is None:
            fields["changes"] = proto.DiffResponse.DIFF_UNKNOWN
        else:
            fields["changes"] = proto.DiffResponse.DIFF_SOME if result.changes else proto.DiffResponse.DIFF_NONE
        if result.replaces is not None:
            fields["replaces"] = result.replaces
        if result.delete_before_replace is not None:
            fields["deleteBeforeReplace"] = result.delete_before_replace
        return proto.DiffResponse(**fields)

    @_served
    def Create(self, request: proto.CreateRequest) -> proto.CreateResponse:  # noqa: N802
        """Create (a preview only echoes the inputs: nothing is called)."""
        if request.preview:
            return proto.CreateResponse(properties=request.properties)
        props = rpc.deserialize_properties(request.properties)
        result, outs, refresh = self._applied(props, lambda provider: provider.create(props))
        return proto.CreateResponse(id=result.id, properties=outs, refresh_before_update=refresh)

    @_served
    def Read(self, request: proto.ReadRequest) -> proto.ReadResponse:  # noqa: N802
        """Refresh one object from the service; with no pickled provider in state, import it by id."""
        if PROVIDER_KEY not in request.properties.fields and PROVIDER_KEY not in request.inputs.fields:
            return read_import(request, self._config)
        props = rpc.deserialize_properties(request.properties)
        if not props and request.inputs is not None:
            props = rpc.deserialize_properties(request.inputs)
        result, outs, refresh = self._applied(props, lambda provider: provider.read(request.id, props))
        fields: dict[str, Any] = {
            "id": result.id,
            "properties": outs,
            "refresh_before_update": bool(result.id) and refresh,
        }
        if result.inputs is not None:
            fields["inputs"] = _serialize({**result.inputs, PROVIDER_KEY: props[PROVIDER_KEY]})
        return proto.ReadResponse(**fields)

    @_served
    def Update(self, request: proto.UpdateRequest) -> proto.UpdateResponse:  # noqa: N802
        """Update in place (a preview only echoes the new inputs)."""
        if request.preview:
            return proto.UpdateResponse(properties=request.news)
        olds = rpc.deserialize_properties(request.olds)
        news = rpc.deserialize_properties(request.news)
        _, outs, refresh = self._applied(news, lambda provider: provider.update(request.id, olds, news))
        return proto.UpdateResponse(properties=outs, refresh_before_update=refresh)

    @_served
    def Delete(self, request: proto.DeleteRequest) -> empty_pb2.Empty:  # noqa: N802
        """Delete one object."""
        props = rpc.deserialize_properties(request.properties)
        self.provider(props).delete(request.id, props)
        return empty_pb2.Empty()
