"""The gRPC servicer: the SDK's provider server, with expected failures as plain messages and refresh flags.

The Pulumi SDK's server appends a Python traceback to every error and has no way to ask for a refresh before the
next update; this servicer answers those calls itself and leaves the rest (Construct, GetPluginInfo) to the SDK.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import grpc
from google.protobuf import empty_pb2
from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime import proto

from pulumi_modelstudio.errors import ModelStudioError
from pulumi_modelstudio.plugin.provider import PackageProvider

__all__ = ["PackageServicer"]

R = TypeVar("R")

_KINDS = {
    sdk.PropertyDiffKind.ADD: proto.PropertyDiff.ADD,
    sdk.PropertyDiffKind.UPDATE: proto.PropertyDiff.UPDATE,
}


async def _answer(context: Any, call: Callable[[], Awaitable[R]]) -> R:
    """Run one call; an expected failure becomes its message, anything else its traceback (a bug)."""
    try:
        return await call()
    except (ModelStudioError, ValueError) as exc:
        await context.abort(grpc.StatusCode.UNKNOWN, str(exc))
    except Exception:  # anything else is a bug: show where
        await context.abort(grpc.StatusCode.UNKNOWN, traceback.format_exc())
    raise AssertionError  # pragma: no cover - abort always raises


def _answered(method: Callable[[Any, Any], Awaitable[R]]) -> Callable[[Any, Any, Any], Coroutine[Any, Any, R]]:
    """The gRPC method `(self, request, context)` that answers with `method(self, request)` as `_answer` does."""

    @functools.wraps(method)
    async def serve(self: Any, request: Any, context: Any) -> R:
        return await _answer(context, lambda: method(self, request))

    return serve


def _wire(props: dict[str, PropertyValue]) -> Any:
    return PropertyValue.marshal_map(props)


def _olds_news(request: Any) -> tuple[dict[str, PropertyValue], dict[str, PropertyValue]]:
    """The recorded and the declared properties of a check, diff or update request."""
    return PropertyValue.unmarshal_map(request.olds), PropertyValue.unmarshal_map(request.news)


def _state(resp: Any) -> dict[str, Any]:
    """The outputs and refresh flag that every create, read and update answer carries."""
    return {
        "properties": _wire(resp.properties),
        "refresh_before_update": bool(getattr(resp, "refresh_before_update", False)),
    }


class PackageServicer(ProviderServicer):
    """Serves the `modelstudio` provider."""

    def __init__(self, provider: PackageProvider, version: str, engine_address: str) -> None:
        """Serve `provider` as plugin `version` for the engine at `engine_address`."""
        super().__init__([], version, provider, engine_address)
        self._package = provider

    async def Handshake(self, request: Any, context: Any) -> Any:  # noqa: N802 - gRPC method name
        """Accept the engine's handshake (its address is where progress lines go)."""
        del context
        if request.engine_address and not self._package.engine.connected:
            self._package.engine.connect(request.engine_address)
        return proto.ProviderHandshakeResponse(accept_secrets=True, accept_resources=True, accept_outputs=False)

    async def Cancel(self, request: Any, context: Any) -> Any:  # noqa: N802
        """End every wait now."""
        del request, context
        await self._package.cancel()
        return empty_pb2.Empty()

    @_answered
    async def Check(self, request: Any) -> Any:  # noqa: N802
        """Validate inputs."""
        olds, news = _olds_news(request)
        resp = await self._package.check(sdk.CheckRequest(request.urn, olds, news, request.randomSeed))
        failures = [proto.CheckFailure(property=f.property, reason=f.reason) for f in resp.failures or []]
        return proto.CheckResponse(inputs=_wire(resp.inputs or {}), failures=failures)

    @_answered
    async def Diff(self, request: Any) -> Any:  # noqa: N802
        """Compare recorded state with declared inputs."""
        olds, news = _olds_news(request)
        ignored = list(request.ignoreChanges)
        resp = await self._package.diff(sdk.DiffRequest(request.urn, request.id, olds, news, ignored))
        if resp.changes is None:
            changes = proto.DiffResponse.DIFF_UNKNOWN
        else:
            changes = proto.DiffResponse.DIFF_SOME if resp.changes else proto.DiffResponse.DIFF_NONE
        return proto.DiffResponse(
            replaces=resp.replaces,
            stables=resp.stables,
            deleteBeforeReplace=resp.delete_before_replace,
            changes=changes,
            diffs=resp.diffs,
        )

    @_answered
    async def Create(self, request: Any) -> Any:  # noqa: N802
        """Create one resource."""
        resp = await self._package.create(
            sdk.CreateRequest(
                request.urn, PropertyValue.unmarshal_map(request.properties), request.timeout, request.preview
            )
        )
        return proto.CreateResponse(id=resp.resource_id or "", **_state(resp))

    @_answered
    async def Read(self, request: Any) -> Any:  # noqa: N802
        """Read one resource (refresh or import)."""
        resp = await self._package.read(
            sdk.ReadRequest(
                request.urn,
                request.id,
                PropertyValue.unmarshal_map(request.properties),
                PropertyValue.unmarshal_map(request.inputs),
            )
        )
        return proto.ReadResponse(id=resp.resource_id or "", inputs=_wire(resp.inputs), **_state(resp))

    @_answered
    async def Update(self, request: Any) -> Any:  # noqa: N802
        """Update one resource in place."""
        olds, news = _olds_news(request)
        resp = await self._package.update(
            sdk.UpdateRequest(
                request.urn,
                request.id,
                olds,
                news,
                timeout=request.timeout,
                ignore_changes=list(request.ignoreChanges),
                preview=request.preview,
            )
        )
        return proto.UpdateResponse(**_state(resp))

    @_answered
    async def Delete(self, request: Any) -> Any:  # noqa: N802
        """Delete one resource."""
        await self._package.delete(
            sdk.DeleteRequest(
                request.urn, request.id, PropertyValue.unmarshal_map(request.properties), timeout=request.timeout
            )
        )
        return empty_pb2.Empty()

    async def Construct(self, request: Any, context: Any) -> Any:  # noqa: N802
        """Build a component; a declaration that cannot work fails with its message only."""
        return await _answer(context, lambda: self._construct(request, context))
