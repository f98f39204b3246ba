"""A `pulumi preview` in this process: the program under Pulumi's mocks, each resource checked by its provider.

The program runs under `pulumi.runtime.set_mocks(preview=True)`. For every resource of this package the mocks do
what the engine and the provider host do at a preview of a stack with no state: unpickle the provider from the
resource's `__provider` input, configure it with the stack config, call `check` (no `diff`: nothing is recorded
yet) and, when the check passes, answer the checked inputs as the outputs (a preview's `Create` echoes them).
A check failure is printed as the engine prints it and fails the preview.
"""

from __future__ import annotations

import asyncio
import base64
import json
import runpy
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dill
import pulumi
from pulumi.dynamic import CheckResult, Config, ConfigureRequest
from pulumi.runtime._serialization import _deserialize
from pulumi_modelstudio.core.values import PROVIDER_KEY
from pulumi_modelstudio.errors import ModelStudioError
from pulumi_modelstudio.resources._base import ModelStudioProvider
from pulumi_modelstudio.resources.registry import PROVIDER_CLASSES

PROJECT = "modelstudio-lora"
"""The project name in Pulumi.yaml."""


class PreviewFailedError(Exception):
    """A resource failed at preview; the engine's messages are in `PreviewMocks.errors`."""


class NeedsEngineError(Exception):
    """The program declared something only the real engine can preview (a resource of another provider)."""


def _engine_message(typ: str, name: str, prop: str, inputs: Mapping[str, Any], reason: str) -> str:
    """A check failure as the engine prints it (diag errors 2002 and 2003)."""
    if not prop:
        return f"{typ} resource '{name}' has a problem: {reason}"
    return f"{typ} resource '{name}': property {prop} value {{{inputs.get(prop)}}} has a problem: {reason}"


class PreviewMocks(pulumi.runtime.Mocks):
    """The engine and the provider host of a preview, for the resources of this package."""

    def __init__(self, stack_config: Mapping[str, str]) -> None:
        """Providers are configured with `stack_config` (`modelstudio:*` and the rest), as the engine does."""
        self.stack_config = dict(stack_config)
        self.errors: list[str] = []
        self.checked: list[str] = []
        """The type of every resource whose provider check ran, in order."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        """Check one of our resources with its own provider; components pass through."""
        if not args.custom:
            return None, dict(args.inputs)
        if args.typ not in PROVIDER_CLASSES:
            msg = f"{args.typ} '{args.name}' is not a resource of this package: only the engine can preview it"
            raise NeedsEngineError(msg)
        self.checked.append(args.typ)
        result = self._check(args)
        messages = [_engine_message(args.typ, args.name, f.property, args.inputs, f.reason) for f in result.failures]
        if messages:
            self.errors.extend(messages)
            raise PreviewFailedError("\n".join(messages))
        return "", {**result.inputs, PROVIDER_KEY: args.inputs[PROVIDER_KEY]}

    def _check(self, args: pulumi.runtime.MockResourceArgs) -> CheckResult:
        """The provider's check; an expected error is the message the host answers with (no traceback)."""
        try:
            return self._provider(str(args.inputs[PROVIDER_KEY])).check({}, dict(args.inputs))
        except ModelStudioError as exc:
            self.errors.append(f"{args.typ} resource '{args.name}': {exc}")
            raise PreviewFailedError(str(exc)) from None

    def _provider(self, blob: str) -> ModelStudioProvider:
        """The provider pickled into the inputs, configured as the host configures it (`HostServicer.provider`)."""
        found: ModelStudioProvider = _deserialize(lambda: dill.loads(base64.b64decode(blob)))  # noqa: S301 - our own pickle
        found.configure(ConfigureRequest(Config(raw_config=self.stack_config, project_name=PROJECT)))
        return found

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        """No program here calls a provider function: only the engine could answer one."""
        msg = f"{args.token}: only the engine can answer a provider function"
        raise NeedsEngineError(msg)


def program_config(stack_config: Mapping[str, Any]) -> dict[str, str]:
    """Stack config as the engine hands it to a program: text as is, anything else as JSON."""
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in stack_config.items()}


def preview(program: Path, stack: str, stack_config: Mapping[str, Any]) -> PreviewMocks:
    """Run `program` as a preview of `stack`; the returned mocks hold the errors the preview printed.

    A program error (`pulumi.RunError`) and failed checks are errors of the preview; anything else the program
    or a provider raises is a crash and propagates with its traceback. The preview runs in a thread of its own, as
    a program runs in a process of its own: its own event loop, root stack resource and config.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="preview") as thread:
        return thread.submit(_preview, program, stack, program_config(stack_config)).result()


def _preview(program: Path, stack: str, config: dict[str, str]) -> PreviewMocks:
    mocks = PreviewMocks(config)
    with _own_event_loop():
        pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=True)
        pulumi.runtime.set_all_config(config, secret_keys=[k for k in config if k == "modelstudio:apiKey"])

        @pulumi.runtime.test  # type: ignore[untyped-decorator]
        def run() -> None:
            runpy.run_path(str(program), run_name="__main__")

        try:
            run()
        except PreviewFailedError:
            pass
        except pulumi.RunError as exc:
            mocks.errors.append(f"error: {exc}")
    return mocks


@contextmanager
def _own_event_loop() -> Iterator[None]:
    """An event loop for this thread, and one for each thread the mocks answer in, ended as `asyncio.run` ends
    one. The outputs of a resource that failed its check are left unread, as a program that stops at the failure
    leaves them: their exception is reported once, by the preview."""

    def report(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if not isinstance(context.get("exception"), PreviewFailedError):
            loop.default_exception_handler(context)

    answering: list[asyncio.AbstractEventLoop] = []

    def answer_with_own_loop() -> None:
        answering.append(asyncio.new_event_loop())
        asyncio.set_event_loop(answering[-1])

    loop = asyncio.new_event_loop()
    loop.set_exception_handler(report)
    loop.set_default_executor(ThreadPoolExecutor(thread_name_prefix="preview-rpc", initializer=answer_with_own_loop))
    asyncio.set_event_loop(loop)
    try:
        yield
    finally:
        left = asyncio.all_tasks(loop)  # what waits on a failed resource
        for task in left:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_default_executor())
        for ended in [*answering, loop]:
            ended.close()
        asyncio.set_event_loop(None)
