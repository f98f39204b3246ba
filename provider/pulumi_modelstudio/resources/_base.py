"""Typed base of every dynamic provider: configuration, the client, and the conversions at the SDK boundary."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from pulumi_modelstudio.core.context import Context
from pulumi_modelstudio.core.finite import non_finite_inputs
from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.core.model import Diff, Failure, Props, Read, readable_failures
from pulumi_modelstudio.core.progress import progress, set_progress_sink, warn_once
from pulumi_modelstudio.core.registry import is_import_read
from pulumi_modelstudio.core.values import PROVIDER_KEY, UNKNOWN, whole_numbers, without_provider
from pulumi_modelstudio.settings.config import ConnectionConfig

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient

__all__ = [
    "PROVIDER_KEY",
    "UNKNOWN",
    "CoreProvider",
    "ModelStudioProvider",
    "ResourceCore",
    "check_result",
    "diff_result",
    "program_owner",
    "progress",
    "read_result",
    "set_progress_sink",
    "warn_once",
]


P = TypeVar("P", bound=Props)
InputsT = TypeVar("InputsT", bound=Props)
StateT = TypeVar("StateT", bound=Props)
_InputsT_contra = TypeVar("_InputsT_contra", bound=Props, contravariant=True)

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


def check_result(news: Mapping[str, Any], inputs: Props | None, failures: list[Failure]) -> CheckResult:
    """The checked inputs (as given when they could not be read) and failures the engine prints well."""
    given = cast("dict[str, Any]", whole_numbers(without_provider(news)))
    props = inputs.to_props() if inputs is not None else given
    readable = readable_failures(failures, props)
    return CheckResult(props, [CheckFailure(f.property, f.reason) for f in readable])


def diff_result(diff: Diff) -> DiffResult:
    """The SDK's form of a diff."""
    return DiffResult(
        changes=diff.changes,
        replaces=list(diff.replaces),
        stables=[],
        delete_before_replace=diff.delete_before_replace,
    )


def read_result(read: Read) -> ReadResult:
    """The SDK's form of a refresh or an import."""
    outs = read.state.to_props() if read.state is not None else {}
    inputs = read.inputs.to_props() if read.inputs is not None else None
    return ReadResult(read.id, outs, inputs)


class ModelStudioProvider(ResourceProvider):
    """Base provider: reads `modelstudio:*` config in `configure`; subclasses convert and delegate to a core.

    Only plain data lives on `self`: the owner of the resource (project, stack and resource name, which name and
    prove every object it creates) and nothing else; the API key is read in `configure()` inside the provider
    process and is dropped when pickled into state.
    """

    serialize_as_secret_always = False
    state_model: type[Props] = Props
    """What the resource records: its outputs are what `preview_update` carries over."""

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

    def context(self) -> Context:
        """What the resource core works with: the kept owner and a client per call."""
        return Context(Owner.from_data(self._owner), self.client, type(self).__name__)

    def owner(self, props: Mapping[str, Any]) -> Owner | None:
        """Who this resource is: kept on the provider, or read from state written before it was kept there."""
        return self.context().owner(Props.of(props))

    def label(self, props: Mapping[str, Any], fallback: str = "") -> str:
        """The resource name for progress lines and errors."""
        return self.context().label(Props.of(props), fallback)

    def configure(self, req: ConfigureRequest) -> None:
        """Read provider settings from stack config (secrets arrive unwrapped) with env fallbacks."""
        self._runtime_config = ConnectionConfig.from_pulumi_config(req.config)

    @property
    def config(self) -> ConnectionConfig:
        """Provider settings; from the environment alone when `configure` was never called."""
        if self._runtime_config is None:
            self._runtime_config = ConnectionConfig.from_environment()
        return self._runtime_config

    def checked(self, news: Mapping[str, Any], model: type[P], validate: Callable[[P], list[Failure]]) -> CheckResult:
        """Validate provider settings and the inputs read as `model` (checked further by `validate`).

        A NaN or infinite number anywhere is refused before anything else: no JSON request could carry it.
        """
        _note_stock_host()
        failures = [Failure("", problem) for problem in self.config.problems()]
        for warning in self.config.warnings():
            warn_once(warning)
        inputs, refused = model.parse(news)
        non_finite = [Failure(path, reason) for path, reason in non_finite_inputs(news)]
        if non_finite:
            return check_result(news, inputs, failures + non_finite)
        if inputs is not None:
            refused += validate(inputs)
        return check_result(news, inputs, failures + refused)

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

    def preview_update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any] | None:
        """The outputs `update` will return, when known without calling the service; None when only it can tell.

        A preview shows these (by default the new inputs with the recorded outputs) instead of the bare inputs,
        so dependents see the same values at preview and at `pulumi up`, and `pulumi up --plan` finds exactly
        the steps the saved plan holds.
        """
        del _id
        model = self.state_model
        return model.of(news).with_outputs_of(model.of(olds)).to_props()


def program_owner(resource_name: str) -> Owner:
    """The owner of `resource_name` in the project and stack of the running program."""
    return Owner(pulumi.get_project(), pulumi.get_stack(), resource_name)


class ResourceCore(Protocol[_InputsT_contra, StateT]):
    """What every resource core does for its provider, on typed properties."""

    def check(self, news: _InputsT_contra, /) -> list[Failure]:
        """The problems of the declared inputs (a check may also fill in derived inputs)."""
        ...

    def diff(self, id_: str, olds: StateT, news: _InputsT_contra, /) -> Diff:
        """What a change of the declared inputs does to the recorded object."""
        ...

    def create(self, props: _InputsT_contra, /) -> tuple[str, StateT]:
        """Make the object (or adopt this declaration's own); its id and state."""
        ...

    def update(self, id_: str, olds: StateT, news: _InputsT_contra, /) -> StateT:
        """The state after an in-place change."""
        ...

    def read(self, id_: str, props: StateT, /) -> Read:
        """Refresh the object recorded in `props`."""
        ...

    def import_read(self, id_: str, identity: Props, /) -> Read:
        """Read an existing object for an import."""
        ...

    def delete(self, id_: str, props: StateT, /) -> None:
        """Remove the object (or keep what must stay)."""
        ...


class CoreProvider(ModelStudioProvider, Generic[InputsT, StateT]):
    """A provider that reads the engine's dicts as `inputs_model` and `state_model` and hands them to its core."""

    inputs_model: type[InputsT]
    state_model: type[StateT]
    core_class: Callable[[Context], ResourceCore[InputsT, StateT]]
    """The resource core; see its methods for what each call does."""

    def _core(self) -> ResourceCore[InputsT, StateT]:
        return self.core_class(self.context())

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate provider settings and the declared inputs, before anything is sent."""
        return self.checked(news, self.inputs_model, self._core().check)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare the recorded state with the declared inputs."""
        return diff_result(self._core().diff(id_, self.state_model.of(olds), self.inputs_model.of(news)))

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Make the object, or adopt the one an interrupted run of this declaration made."""
        id_, state = self._core().create(self.inputs_model.of(props))
        return CreateResult(id_, state.to_props())

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Change the object in place (most changes only record the new inputs beside the outputs)."""
        state = self._core().update(id_, self.state_model.of(olds), self.inputs_model.of(news))
        return UpdateResult(state.to_props())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh (an object deleted outside Pulumi drops out of state), or import an existing object."""
        if is_import_read(props):
            return read_result(self._core().import_read(id_, Props.of(props)))
        return read_result(self._core().read(id_, self.state_model.of(props)))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Remove the object, unless something that stays still needs it."""
        self._core().delete(id_, self.state_model.of(props))
