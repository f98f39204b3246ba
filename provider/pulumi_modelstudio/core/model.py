"""Typed resource properties: declared fields with their diff role, read from and written to the engine's dicts.

Every field says what a change of it means: `replace` (a new object), `update` (in place), `output` (set by the
provider, carried over by updates) or informational (recorded, never compared). A model keeps the properties it
does not declare (state written by other releases) as they were, so state round-trips unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple, Self, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pulumi_modelstudio.core.values import PROVIDER_KEY, engine_value, is_unknown, wire_value

__all__ = ["Diff", "Failure", "Props", "Read", "Role", "changed", "declared", "declared_diff", "readable_failures"]


class Role(StrEnum):
    """What a change of a field means."""

    REPLACE = "replace"
    UPDATE = "update"
    OUTPUT = "output"
    INFO = "info"


def declared(default: Any = None, *, role: Role = Role.INFO, problem: str = "", required: bool = False) -> Any:
    """A field with its diff role and the check failure (a format string of `value`) for a value it refuses;
    a `required` field refuses a missing value too."""
    return Field(default, json_schema_extra={"role": role.value, "problem": problem, "required": required})


class Failure(NamedTuple):
    """A check failure: the property (a dotted path for nested values) and the reason with the fix."""

    property: str
    reason: str


@dataclass(frozen=True)
class Diff:
    """The fields whose change forces a replacement, and whether anything changes in place."""

    replaces: tuple[str, ...] = ()
    updates: bool = False
    delete_before_replace: bool = False

    @property
    def changes(self) -> bool:
        """Whether the object changes at all."""
        return bool(self.replaces) or self.updates


@dataclass(frozen=True)
class Read:
    """What a refresh or an import found: the id and state, None when the object is gone, and the inputs."""

    id: str
    state: Props | None
    inputs: Props | None = None

    @classmethod
    def gone(cls) -> Read:
        """The object no longer exists: it drops out of state."""
        return cls("", None)


class Props(BaseModel):
    """Properties of a resource; the identity fields are those earlier releases recorded in state."""

    model_config = ConfigDict(defer_build=True, extra="allow", strict=True)

    resource_name: str | None = None
    """The resource name, as recorded by releases that kept the owner in state."""
    project: str | None = None
    """The project, as recorded by releases that kept the owner in state."""
    stack: str | None = None
    """The stack, as recorded by releases that kept the owner in state."""

    @classmethod
    def _data(cls, props: Mapping[str, Any]) -> dict[str, Any]:
        return {str(k): engine_value(v) for k, v in props.items() if k != PROVIDER_KEY}

    @classmethod
    def parse(cls, props: Mapping[str, Any]) -> tuple[Self | None, list[Failure]]:
        """Declared inputs for a check: the model, or None and one failure per refused field."""
        data = cls._data(props)
        failures: dict[str, Failure] = {}
        parsed: Self | None = None
        try:
            parsed = cls.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else ""
                problem = cls._problem(name)
                reason = problem.format(value=data.get(name)) if problem else str(error["msg"])
                failures.setdefault(name, Failure(name, reason))
        for name, info in cls.model_fields.items():
            if _meta(info.json_schema_extra, "required") is True and data.get(name) is None:
                failures.setdefault(name, Failure(name, cls._problem(name).format(value=None)))
        return (None if failures else parsed), list(failures.values())

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> Self:
        """Properties from the engine or from state; a value of an unexpected type is kept as it is."""
        data = cls._data(props)
        try:
            return cls.model_validate(data)
        except ValidationError:
            return cast("Self", cls.model_construct(**data))

    def to_props(self) -> dict[str, Any]:
        """The properties as the engine records them (only those set, unknowns as the engine's placeholder)."""
        dumped = wire_value(self.model_dump(exclude_unset=True))
        return dict(dumped) if isinstance(dumped, dict) else {}

    def is_set(self, name: str) -> bool:
        """Whether the properties this model was read from hold `name`."""
        return name in self.model_fields_set

    @classmethod
    def fields_with(cls, role: Role) -> tuple[str, ...]:
        """The names of the fields declared with `role`, in declaration order."""
        return tuple(name for name, info in cls.model_fields.items() if _meta(info.json_schema_extra, "role") == role)

    @classmethod
    def _problem(cls, name: str) -> str:
        info = cls.model_fields.get(name)
        problem = _meta(info.json_schema_extra, "problem") if info is not None else None
        return problem if isinstance(problem, str) else ""

    def recorded_inputs(self) -> Props:
        """These properties without the outputs: what a refresh records as the inputs."""
        return Props.of(self.model_dump(exclude_unset=True, exclude=set(type(self).fields_with(Role.OUTPUT))))

    def with_outputs_of(self, old: Props) -> Self:
        """These properties with the outputs `old` recorded (what an update without an API call returns)."""
        carried = self.model_copy()
        for name in type(self).fields_with(Role.OUTPUT):
            if old.is_set(name):
                setattr(carried, name, getattr(old, name))
        return carried


def _meta(extra: object, key: str) -> object:
    """One item of the metadata `declared` attached to a field."""
    return extra.get(key) if isinstance(extra, dict) else None


def changed(old: object, new: object) -> bool:
    """Whether a declared value changed; an unknown one may change."""
    return is_unknown(new) or old != new


def declared_diff(old: Props, new: Props, *, delete_before_replace: bool = False) -> Diff:
    """Replace when a `replace` field changed or is unknown; update in place for an `update` field."""
    replaces = tuple(n for n in type(new).fields_with(Role.REPLACE) if changed(getattr(old, n, None), getattr(new, n)))
    updates = any(changed(getattr(old, n, None), getattr(new, n)) for n in type(new).fields_with(Role.UPDATE))
    return Diff(replaces, updates, delete_before_replace)


def readable_failures(failures: list[Failure], props: Mapping[str, Any]) -> list[Failure]:
    """Check failures the engine prints well: a nested, unset or unknown property goes into the reason.

    The engine prints `property P value {V}` from the top-level input named P, which shows `{<nil>}` for a path
    such as `hyper_parameters.max_steps` or for a value that is not set.
    """
    readable = []
    for failure in failures:
        value = props.get(failure.property) if failure.property else None
        if failure.property and (value is None or is_unknown(value)):
            readable.append(Failure("", f"{failure.property}: {failure.reason}"))
        else:
            readable.append(failure)
    return readable
