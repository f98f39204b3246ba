"""Typed base of every dynamic provider: configuration, the client, and the conversions at the SDK boundary."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from pulumi.dynamic import CheckFailure, CheckResult, ConfigureRequest, DiffResult, ReadResult, ResourceProvider

from pulumi_modelstudio.core.context import Context
from pulumi_modelstudio.core.finite import non_finite_inputs
from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.core.model import Diff, Failure, Props, Read, readable_failures
from pulumi_modelstudio.core.progress import progress, set_progress_sink, warn_once
from pulumi_modelstudio.core.values import PROVIDER_KEY, UNKNOWN, whole_numbers, without_provider
from pulumi_modelstudio.settings.config import ConnectionConfig

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient

__all__ = [
    "PROVIDER_KEY",
    "UNKNOWN",
    "ModelStudioProvider",
    "check_result",
    "diff_result",
    "progress",
    "read_result",
    "set_progress_sink",
    "warn_once",
]


P = TypeVar("P", bound=Props)

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
    state_model: ClassVar[type[Props]] = Props
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
