"""`python -m pulumi_modelstudio.hosts.dynamic_host`: the host the Pulumi engine starts for dynamic resources.

It speaks the same protocol as the Pulumi SDK's `python -m pulumi.dynamic` and serves any dynamic resource, and
adds what long trainings need:

- `Cancel` (the first Ctrl-C of `pulumi up`) ends every wait at once: a job being waited for is returned as it
  is, so the stack records it and `pulumi` exits within seconds;
- a second Ctrl-C makes the engine stop the host (SIGINT) in the middle of a create: a job that create started
  would never be recorded, so it is cancelled rather than left training unseen;
- a large worker pool, so jobs waiting for the account's training slot never hold up other resources;
- jobs that are still training are marked "refresh before update": every later `pulumi up` or `preview` reads
  them first and sees them finish, even without `--refresh`;
- progress lines go to the engine attached to the resource they describe;
- expected failures (bad input, API errors, failed jobs) are reported as their message, without a traceback.
"""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from concurrent import futures
from typing import Any, TypeVar

import dill
import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.dynamic import Config, ConfigureRequest, ResourceProvider
from pulumi.metadata import get_project
from pulumi.runtime import Settings, configure, proto, rpc
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime._serialization import _deserialize
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, provider_pb2_grpc

from pulumi_modelstudio.core.waiters import request_stop
from pulumi_modelstudio.errors import ModelStudioError
from pulumi_modelstudio.resources._base import PROVIDER_KEY, set_progress_sink
from pulumi_modelstudio.resources.fine_tune_job import cancel_unrecorded_jobs

__all__ = ["HostServicer", "main"]

WORKERS = 128
"""Concurrent calls served: every job may wait for the training slot for days without blocking the others."""

R = TypeVar("R")
_local = threading.local()


def _urn() -> str:
    return str(getattr(_local, "urn", ""))


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
        _local.urn = getattr(request, "urn", "")
        try:
            return method(self, request)
        except ModelStudioError as exc:
            context.abort(grpc.StatusCode.UNKNOWN, str(exc))
        except Exception:  # anything else is a bug: show where
            context.abort(grpc.StatusCode.UNKNOWN, traceback.format_exc())
        finally:
            _local.urn = ""
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
        self._engine: engine_pb2_grpc.EngineStub | None = None
        if engine_address:
            self._connect(engine_address)

    # -- plumbing ------------------------------------------------------------------------------------------
    def _connect(self, engine_address: str) -> None:
        channel = grpc.insecure_channel(engine_address, options=_GRPC_CHANNEL_OPTIONS)
        self._engine = engine_pb2_grpc.EngineStub(channel)
        set_progress_sink(self.log)

    def log(self, message: str) -> bool:
        """Send one line to the engine, attached to the resource being worked on; False when it cannot."""
        if self._engine is None:
            return False
        try:
            self._engine.Log(engine_pb2.LogRequest(severity=engine_pb2.INFO, message=message, urn=_urn()))
        except grpc.RpcError:
            return False
        return True

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

    @staticmethod
    def _refresh_before_update(provider: ResourceProvider, outs: Mapping[str, Any]) -> bool:
        check: Callable[[Mapping[str, Any]], bool] | None = getattr(provider, "needs_refresh", None)
        return bool(check(outs)) if check is not None else False

    # -- lifecycle -----------------------------------------------------------------------------------------
    def Handshake(  # noqa: N802 - gRPC method name
        self, request: proto.ProviderHandshakeRequest, context: grpc.ServicerContext
    ) -> proto.ProviderHandshakeResponse:
        """Learn the engine's address; plain values only (no secrets, resources or outputs as inputs)."""
        del context
        if request.engine_address and self._engine is None:
            self._connect(request.engine_address)
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
        provider = self.provider(props)
        result = provider.create(props)
        outs = dict(result.outs or {})
        outs[PROVIDER_KEY] = props[PROVIDER_KEY]
        refresh = self._refresh_before_update(provider, outs)
        return proto.CreateResponse(id=result.id, properties=_serialize(outs), refresh_before_update=refresh)

    @_served
    def Read(self, request: proto.ReadRequest) -> proto.ReadResponse:  # noqa: N802
        """Refresh one object from the service."""
        props = rpc.deserialize_properties(request.properties)
        if not props and request.inputs is not None:
            props = rpc.deserialize_properties(request.inputs)
        provider = self.provider(props)
        result = provider.read(request.id, props)
        outs = dict(result.outs or {})
        outs[PROVIDER_KEY] = props[PROVIDER_KEY]
        fields: dict[str, Any] = {"id": result.id, "properties": _serialize(outs)}
        if result.inputs is not None:
            fields["inputs"] = _serialize({**result.inputs, PROVIDER_KEY: props[PROVIDER_KEY]})
        fields["refresh_before_update"] = bool(result.id) and self._refresh_before_update(provider, outs)
        return proto.ReadResponse(**fields)

    @_served
    def Update(self, request: proto.UpdateRequest) -> proto.UpdateResponse:  # noqa: N802
        """Update in place; a preview calls nothing and answers the outputs the update will have when the provider
        knows them (`preview_update`), else the new inputs."""
        if request.preview:
            return self._preview_update(request)
        olds = rpc.deserialize_properties(request.olds)
        news = rpc.deserialize_properties(request.news)
        provider = self.provider(news)
        result = provider.update(request.id, olds, news)
        outs = dict(result.outs or {})
        outs[PROVIDER_KEY] = news[PROVIDER_KEY]
        refresh = self._refresh_before_update(provider, outs)
        return proto.UpdateResponse(properties=_serialize(outs), refresh_before_update=refresh)

    def _preview_update(self, request: proto.UpdateRequest) -> proto.UpdateResponse:
        """The outputs a preview shows: what `update` will answer, so a saved plan holds at `pulumi up --plan`."""
        olds = rpc.deserialize_properties(request.olds, keep_unknowns=True)
        news = rpc.deserialize_properties(request.news, keep_unknowns=True)
        provider = self._provider_of(olds, news)
        foresee: Callable[[str, dict[str, Any], dict[str, Any]], dict[str, Any] | None] | None = getattr(
            provider, "preview_update", None
        )
        outs = foresee(request.id, olds, news) if foresee is not None else None
        if outs is None:
            return proto.UpdateResponse(properties=request.news)
        outs[PROVIDER_KEY] = news[PROVIDER_KEY]
        return proto.UpdateResponse(properties=_serialize(outs))

    @_served
    def Delete(self, request: proto.DeleteRequest) -> empty_pb2.Empty:  # noqa: N802
        """Delete one object."""
        props = rpc.deserialize_properties(request.properties)
        self.provider(props).delete(request.id, props)
        return empty_pb2.Empty()


def main() -> int:
    """Serve until the engine stops the host; print the port first, as the plugin protocol asks."""
    engine = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    servicer = HostServicer(engine)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=WORKERS), options=_GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    received: list[int] = []
    stopped = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        received.append(signum)
        stopped.set()

    signal.signal(signal.SIGINT, on_signal)  # the engine stops its plugins with SIGINT
    signal.signal(signal.SIGTERM, on_signal)  # the wrapper's watchdog: the engine itself is gone
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    stopped.wait()
    request_stop()
    if received[0] == signal.SIGINT:
        for job_id in cancel_unrecorded_jobs():
            sys.stderr.write(f"cancelled job {job_id}: the run was terminated before the stack could record it\n")
    server.stop(grace=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
