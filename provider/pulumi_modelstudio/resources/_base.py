"""Typed base of every dynamic provider: configuration, unknown-value handling and the generic diff."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    DiffResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown
from pulumi.runtime import rpc

from pulumi_modelstudio.core.finite import non_finite_inputs
from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.errors import APIConnectionError, APIError, APIStatusError, ProvisioningError
from pulumi_modelstudio.settings.config import ConnectionConfig

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient

__all__ = [
    "PENDING_PREFIX",
    "PROVIDER_KEY",
    "UNKNOWN",
    "ModelStudioProvider",
    "is_placeholder",
    "is_unknown",
    "may_have_landed",
    "progress",
    "readable_failures",
    "set_progress_sink",
    "warn_once",
    "whole_number",
    "whole_numbers",
]

PROVIDER_KEY = "__provider"
UNKNOWN: str = rpc.UNKNOWN
PENDING_PREFIX = "pending:"
"""Ids and model names of objects that wait for a training job to finish: `pending:<job_id>…`."""

_sink: Callable[[str], bool] | None = None
_warning_sink: Callable[[str], bool] | None = None
_warned: set[str] = set()
_STOCK_HOST_NOTE = (
    "warning: these dynamic resources run on Pulumi's stock dynamic-provider host, which cannot end a training "
    "wait on Ctrl-C, import existing objects or attach progress to resources. Fix: import the package classes "
    "instead (`from modelstudio_lora import LoraModel`, same arguments; see docs/packages.md)"
)
_noted = threading.Event()


def _note_stock_host() -> None:
    """Say once per process, when Pulumi's own `python -m pulumi.dynamic` serves these resources."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if getattr(spec, "name", "") == "pulumi.dynamic.__main__" and not _noted.is_set():
        _noted.set()
        sys.stderr.write(_STOCK_HOST_NOTE + "\n")
        sys.stderr.flush()


def is_unknown(value: object) -> bool:
    """Whether a preview placeholder hides the value, at any depth."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(is_unknown(v) for v in value)
    return False


def may_have_landed(exc: APIError) -> bool:
    """Whether a failed create may still have happened (no answer, or a 5xx): look it up before retrying."""
    return isinstance(exc, APIConnectionError) or (isinstance(exc, APIStatusError) and exc.status_code >= 500)


def whole_number(value: object) -> int | None:
    """`value` as an int when it is a whole number (gRPC delivers 1 as 1.0); None otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else None


def whole_numbers(value: object) -> object:
    """`value` with every whole float turned back into an int, at any depth (gRPC delivers 33 as 33.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole_numbers(v) for v in value]
    return value


def readable_failures(failures: list[CheckFailure], inputs: Mapping[str, Any]) -> list[CheckFailure]:
    """Check failures the engine prints well: a nested, unset or unknown property goes into the reason.

    The engine prints `property P value {V}` from the top-level input named P, which shows `{<nil>}` for a path
    such as `hyper_parameters.max_steps` or for a value that is not set.
    """
    readable = []
    for failure in failures:
        value = inputs.get(failure.property) if failure.property else None
        if failure.property and (value is None or is_unknown(value)):
            readable.append(CheckFailure("", f"{failure.property}: {failure.reason}"))
        else:
            readable.append(failure)
    return readable


def is_placeholder(value: object) -> bool:
    """Whether an id or model name stands for something that waits for training (`pending:…`)."""
    return isinstance(value, str) and value.startswith(PENDING_PREFIX)


def set_progress_sink(sink: Callable[[str], bool] | None, warnings: Callable[[str], bool] | None = None) -> None:
    """Route progress lines and warnings (the provider host sends them to the engine, attached to the resource)."""
    global _sink, _warning_sink
    _sink, _warning_sink = sink, warnings


def warn_once(message: str) -> None:
    """Show a warning once per provider process (the host sends it to the engine as a warning)."""
    if message in _warned:
        return
    _warned.add(message)
    if _warning_sink is not None and _warning_sink(message):
        return
    sys.stderr.write(f"warning: {message}\n")
    sys.stderr.flush()


def progress(resource: str, message: str) -> None:
    """Write one progress line for the person running `pulumi up`."""
    if _sink is not None and _sink(message):
        return
    sys.stderr.write(f"[{resource}] {message}\n")
    sys.stderr.flush()


class ModelStudioProvider(ResourceProvider):
    """Base provider: reads `modelstudio:*` config in `configure`, diffs by declared field roles.

    Subclasses declare which input fields force a replacement (`replace_on`) and which can change in place
    (`update_on`); anything else is informational. Only plain data lives on `self`: the owner of the resource
    (project, stack and resource name, which name and prove every object it creates) and nothing else; the
    API key is read in `configure()` inside the provider process and is dropped when pickled into state.
    """

    serialize_as_secret_always = False
    replace_on: ClassVar[tuple[str, ...]] = ()
    update_on: ClassVar[tuple[str, ...]] = ()
    output_fields: ClassVar[tuple[str, ...]] = ()
    delete_before_replace: ClassVar[bool] = False

    def __init__(self, owner: Owner | None = None) -> None:
        super().__init__()
        self._runtime_config: ConnectionConfig | None = None
        self._owner: dict[str, str] | None = owner.as_data() if owner else None

    def __getstate__(self) -> dict[str, Any]:
        """Pickle plain data only: never the configuration that holds the API key."""
        state = dict(self.__dict__)
        state["_runtime_config"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore from state (also state pickled by earlier releases); configuration arrives in `configure`."""
        self.__dict__.update({"_runtime_config": None, "_owner": None})
        self.__dict__.update(state)

    def owner(self, props: Mapping[str, Any]) -> Owner | None:
        """Who this resource is: kept on the provider, or read from state written before it was kept there."""
        kept = Owner.from_data(self._owner)
        if kept is not None:
            return kept
        return Owner.from_data(
            {"project": props.get("project"), "stack": props.get("stack"), "resource": props.get("resource_name")}
        )

    def require_owner(self, props: Mapping[str, Any]) -> Owner:
        """The owner, needed to name and find what this resource creates."""
        owner = self.owner(props)
        if owner is None:
            msg = (
                f"{type(self).__name__}: no owner (project, stack, resource name) to name what it creates. "
                "Fix: declare the resource with its class from `provider` (it records the owner)."
            )
            raise ProvisioningError(msg)
        return owner

    def label(self, props: Mapping[str, Any], fallback: str = "") -> str:
        """The resource name for progress lines and errors."""
        kept = Owner.from_data(self._owner)
        if kept is not None:
            return kept.resource
        name = props.get("resource_name")
        return name if isinstance(name, str) and name else fallback

    def configure(self, req: ConfigureRequest) -> None:
        """Read provider settings from stack config (secrets arrive unwrapped) with env fallbacks."""
        self._runtime_config = ConnectionConfig.from_pulumi_config(req.config)

    @property
    def config(self) -> ConnectionConfig:
        """Provider settings; from the environment alone when `configure` was never called."""
        if self._runtime_config is None:
            self._runtime_config = ConnectionConfig.from_environment()
        return self._runtime_config

    @contextlib.contextmanager
    def client(self) -> Iterator[ModelStudioClient]:
        """A client built for this call only (nothing network-related is kept on the provider)."""
        from pulumi_modelstudio.settings.open_client import open_client  # noqa: PLC0415 - previews need no HTTP stack

        with open_client(self.config) as client:
            yield client

    def needs_refresh(self, outs: Mapping[str, Any]) -> bool:
        """Whether the engine should read this object again before the next update (something still runs)."""
        del outs
        return False

    # -- check -------------------------------------------------------------------------------------------
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate provider settings and known inputs, skip preview placeholders, and add derived inputs."""
        _note_stock_host()
        inputs: dict[str, Any] = {k: whole_numbers(v) for k, v in news.items()}
        failures = [CheckFailure("", problem) for problem in self.config.problems()]
        for warning in self.config.warnings():
            warn_once(warning)
        failures += [CheckFailure(path, reason) for path, reason in non_finite_inputs(inputs)] or self.validate(inputs)
        return CheckResult(inputs, readable_failures(failures, inputs))

    def validate(self, inputs: dict[str, Any]) -> list[CheckFailure]:
        """Subclass hook: check (and enrich in place) the inputs; return failures."""
        del inputs
        return []

    # -- diff --------------------------------------------------------------------------------------------
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replace when a `replace_on` field changed or is unknown; update for `update_on` fields."""
        from pulumi_modelstudio.resources.adoption import adopted_diff  # noqa: PLC0415 - adoption builds on this module

        adopted = adopted_diff(self, olds, news)
        if adopted is not None:
            return adopted
        replaces: list[str] = []
        changes = False
        for name in self.replace_on:
            if self._changed(olds, news, name):
                replaces.append(name)
        for name in self.update_on:
            if self._changed(olds, news, name):
                changes = True
        return DiffResult(
            changes=bool(replaces) or changes,
            replaces=replaces,
            stables=[],
            delete_before_replace=self.delete_before_replace,
        )

    @staticmethod
    def _changed(olds: Mapping[str, Any], news: Mapping[str, Any], name: str) -> bool:
        new = news.get(name)
        if is_unknown(new):
            return True
        return bool(olds.get(name) != new)

    # -- update ------------------------------------------------------------------------------------------
    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Default update: no API call; keep the outputs and record the new informational inputs."""
        return UpdateResult(self.carry_outputs(olds, news))

    def carry_outputs(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        """New inputs plus the previous outputs, without the pickled provider."""
        outs = {k: v for k, v in news.items() if k != PROVIDER_KEY}
        for name in self.output_fields:
            if name in olds:
                outs[name] = olds[name]
        return outs
