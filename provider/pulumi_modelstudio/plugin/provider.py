"""`PackageProvider`: the custom-resource provider of the `modelstudio` package on the Pulumi SDK's provider server.

Every call runs the resource core in a worker thread (a wait for training never blocks another resource), with the
resource's URN in scope so progress lines reach the engine attached to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pulumi.provider.experimental import provider as sdk

from pulumi_modelstudio._version import __version__
from pulumi_modelstudio.core.waiters import request_stop, reset_stop
from pulumi_modelstudio.hosts.engine_log import EngineLog, current_urn
from pulumi_modelstudio.plugin import adapter
from pulumi_modelstudio.plugin.schema import schema_text
from pulumi_modelstudio.plugin.settings import configured, training_mode, training_problem
from pulumi_modelstudio.plugin.values import camel, echo, from_engine, to_engine
from pulumi_modelstudio.settings.config import ConnectionConfig

__all__ = ["WORKERS", "PackageProvider", "RefreshingCreate", "RefreshingRead", "RefreshingUpdate"]

WORKERS = 256
"""Calls served at once: every job may wait for the account's training slot without holding up the others."""

R = TypeVar("R")


class RefreshingCreate(sdk.CreateResponse):
    """A create response that may ask the engine to read the resource before its next update."""

    refresh_before_update: bool = False


class RefreshingRead(sdk.ReadResponse):
    """A read response that may ask the engine to read the resource before its next update."""

    refresh_before_update: bool = False


class RefreshingUpdate(sdk.UpdateResponse):
    """An update response that may ask the engine to read the resource before its next update."""

    refresh_before_update: bool = False


class PackageProvider(sdk.Provider):
    """Serves `modelstudio:index:*` resources with the core the dynamic resources use."""

    def __init__(self, engine_address: str | None = None) -> None:
        """Start with settings from the environment until the engine configures the provider."""
        self._config = ConnectionConfig.from_environment()
        self._raw: dict[str, Any] = {}
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="modelstudio")
        self.engine = EngineLog()
        if engine_address:
            self.engine.connect(engine_address)

    # -- plumbing ------------------------------------------------------------------------------------------
    async def _run(self, urn: str, work: Callable[[], R]) -> R:
        """Run `work` in a worker thread with `urn` in scope."""

        def scoped() -> R:
            current_urn.urn = urn
            try:
                return work()
            finally:
                current_urn.urn = ""

        return await asyncio.get_running_loop().run_in_executor(self._pool, scoped)

    @property
    def training(self) -> str:
        """The configured default training mode."""
        return training_mode(self._raw)

    @property
    def config(self) -> ConnectionConfig:
        """The settings every core call uses."""
        return self._config

    # -- provider ------------------------------------------------------------------------------------------
    async def get_schema(self, request: sdk.GetSchemaRequest) -> sdk.GetSchemaResponse:
        """The committed package schema."""
        del request
        return sdk.GetSchemaResponse(schema=schema_text(__version__))

    async def check_config(self, request: sdk.CheckRequest) -> sdk.CheckResponse:
        """Settings that cannot work fail here, naming the setting and the fix."""
        _, raw = configured({}, from_engine(request.new_inputs))
        problem = training_problem(raw)
        failures = [sdk.CheckFailure("training", problem)] if problem else []
        return sdk.CheckResponse(inputs=echo(request.new_inputs), failures=failures)

    async def diff_config(self, request: sdk.DiffRequest) -> sdk.DiffResponse:
        """A settings change updates the provider in place; it never replaces what it manages."""
        olds, news = from_engine(request.old_state), from_engine(request.new_inputs)
        changed = sorted(k for k in set(olds) | set(news) if k != "version" and olds.get(k) != news.get(k))
        return sdk.DiffResponse(changes=bool(changed), diffs=changed)

    async def configure(self, request: sdk.ConfigureRequest) -> sdk.ConfigureResponse:
        """Read `modelstudio:*` settings; a new run starts with no stop request pending."""
        self._config, self._raw = configured(request.variables, from_engine(request.args))
        reset_stop()
        return sdk.ConfigureResponse(accept_secrets=True, supports_preview=True, accept_outputs=False)

    async def cancel(self) -> None:
        """The run is being cancelled (Ctrl-C, or the end of a run): every wait ends now and records its job."""
        request_stop()

    # -- resources -----------------------------------------------------------------------------------------
    async def check(self, request: sdk.CheckRequest) -> sdk.CheckResponse:
        """Validate and enrich inputs (dataset digests, run prices) with the core; unknowns are skipped."""
        news, olds = from_engine(request.new_inputs), from_engine(request.old_inputs)
        core = adapter.core_for(request.urn, self._config)
        declared = adapter.with_defaults(request.urn, news, training=self.training)
        result = await self._run(request.urn, lambda: core.check(dict(olds), declared))
        failures = [sdk.CheckFailure(_schema_path(f.property), f.reason) for f in result.failures or []]
        return sdk.CheckResponse(inputs=to_engine(result.inputs or {}, news.secrets), failures=failures)

    async def diff(self, request: sdk.DiffRequest) -> sdk.DiffResponse:
        """Replace or update as the core decides."""
        olds, news = from_engine(request.old_state), from_engine(request.new_inputs)
        core = adapter.core_for(request.urn, self._config)
        result = await self._run(request.urn, lambda: core.diff(request.resource_id, dict(olds), dict(news)))
        replaces = [camel(name) for name in result.replaces or []]
        changed = sorted(camel(k) for k in news if k in olds and olds.get(k) != news.get(k))
        return sdk.DiffResponse(
            changes=result.changes,
            replaces=replaces,
            delete_before_replace=bool(result.delete_before_replace),
            diffs=sorted(set(changed) | set(replaces)),
        )

    async def create(self, request: sdk.CreateRequest) -> sdk.CreateResponse:
        """Create with the core; a preview only echoes the inputs (nothing is called)."""
        if request.preview:
            return sdk.CreateResponse(resource_id="", properties=echo(request.properties))
        props = from_engine(request.properties)
        core = adapter.core_for(request.urn, self._config)
        result = await self._run(request.urn, lambda: core.create(dict(props)))
        outcome = adapter.created(core, str(result.id), dict(result.outs or {}))
        response = RefreshingCreate(outcome.id, to_engine(outcome.outputs, props.secrets))
        response.refresh_before_update = outcome.refresh_before_update
        return response

    async def read(self, request: sdk.ReadRequest) -> sdk.ReadResponse:
        """Refresh with the core; with no state at all, read an existing object for `pulumi import`."""
        props = from_engine(request.properties) if request.properties else from_engine(request.inputs)
        core = adapter.core_for(request.urn, self._config)
        result = await self._run(request.urn, lambda: core.read(request.resource_id, dict(props)))
        outcome = adapter.created(core, str(result.id or ""), dict(result.outs or {}))
        inputs = to_engine(result.inputs, props.secrets) if result.inputs is not None else echo(request.inputs)
        response = RefreshingRead(outcome.id, to_engine(outcome.outputs, props.secrets), inputs)
        response.refresh_before_update = outcome.refresh_before_update
        return response

    async def update(self, request: sdk.UpdateRequest) -> sdk.UpdateResponse:
        """Update in place with the core; a preview calls nothing and answers the outputs the update will have.

        The core foresees them when it can (`preview_update`: a saved plan then holds at `pulumi up --plan`); for a
        job the update waits on, the outputs it keeps are shown and what training produces is unknown.
        """
        olds, news = from_engine(request.olds), from_engine(request.news)
        core = adapter.core_for(request.urn, self._config)
        if request.preview:
            foreseen = core.preview_update(request.resource_id, dict(olds), dict(news))
            kept = foreseen if foreseen is not None else adapter.while_training(core, olds, news)
            return sdk.UpdateResponse(properties=to_engine(kept, news.secrets | olds.secrets))
        result = await self._run(request.urn, lambda: core.update(request.resource_id, dict(olds), dict(news)))
        outcome = adapter.created(core, request.resource_id, dict(result.outs or {}))
        response = RefreshingUpdate(to_engine(outcome.outputs, news.secrets | olds.secrets))
        response.refresh_before_update = outcome.refresh_before_update
        return response

    async def delete(self, request: sdk.DeleteRequest) -> None:
        """Delete with the core."""
        props = from_engine(request.properties)
        core = adapter.core_for(request.urn, self._config)
        await self._run(request.urn, lambda: core.delete(request.resource_id, dict(props)))

    async def construct(self, request: sdk.ConstructRequest) -> sdk.ConstructResponse:
        """Build the `LoraModel` component from the package resources."""
        from pulumi_modelstudio.plugin.component import construct  # noqa: PLC0415 - only components need the SDK classes

        return await construct(request, self.training)


def _schema_path(path: str) -> str:
    """A core property path (`hyper_parameters.max_steps`) as the schema names it (`hyperParameters.max_steps`)."""
    head, dot, rest = path.partition(".")
    return camel(head) + dot + rest if head else path
