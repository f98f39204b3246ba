"""Values as the engine delivers them: unknowns at preview (at any depth), whole numbers as floats, placeholders."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, TypeVar, Union

from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic_core import core_schema

from pulumi_modelstudio.core.bookkeeping import PROVIDER_KEY, UNKNOWN
from pulumi_modelstudio.core.serving import PENDING_PREFIX

__all__ = [
    "PENDING_PREFIX",
    "PROVIDER_KEY",
    "UNKNOWN",
    "UNKNOWN_VALUE",
    "Unknowable",
    "UnknownValue",
    "engine_value",
    "is_placeholder",
    "is_unknown",
    "pending_marker",
    "whole_number",
    "whole_numbers",
    "wire_value",
    "without_provider",
]


T = TypeVar("T")


class UnknownValue:
    """A value not known at preview (a `pulumi.output.Unknown` or the engine's placeholder string)."""

    _instance: UnknownValue | None = None

    def __new__(cls) -> UnknownValue:
        """The one marker."""
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        """`<unknown>`."""
        return "<unknown>"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """Accepted as itself only: `engine_value` turns every placeholder into this marker first."""
        del source, handler
        return core_schema.is_instance_schema(cls)


UNKNOWN_VALUE = UnknownValue()
Unknowable = Union[T, UnknownValue]  # noqa: UP007 - a generic alias: `T | UnknownValue` cannot be subscripted
"""A field type that admits the preview's unknown marker."""


def _is_sdk_unknown(value: object) -> bool:
    """Whether `value` is a `pulumi.output.Unknown` (none can exist before the SDK is loaded, so it is not loaded)."""
    output = sys.modules.get("pulumi.output")
    return output is not None and isinstance(value, output.Unknown)


def is_unknown(value: object) -> bool:
    """Whether a preview placeholder hides the value, at any depth."""
    if isinstance(value, UnknownValue) or _is_sdk_unknown(value):
        return True
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(is_unknown(v) for v in value)
    if isinstance(value, BaseModel):
        return any(is_unknown(getattr(value, name)) for name in type(value).model_fields)
    return False


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


def engine_value(value: object) -> object:
    """A property value ready for a typed model: placeholders become `UNKNOWN_VALUE`, whole floats ints."""
    if _is_sdk_unknown(value) or (isinstance(value, str) and value == UNKNOWN):
        return UNKNOWN_VALUE
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: engine_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [engine_value(v) for v in value]
    return value


def wire_value(value: object) -> object:
    """A value for the engine: `UNKNOWN_VALUE` becomes its placeholder string again, at any depth."""
    if isinstance(value, UnknownValue):
        return UNKNOWN
    if isinstance(value, dict):
        return {k: wire_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [wire_value(v) for v in value]
    return value


def without_provider(props: Mapping[str, Any]) -> dict[str, Any]:
    """The properties without the pickled provider."""
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


def is_placeholder(value: object) -> bool:
    """Whether an id or model name stands for something that waits for training (`pending:…`)."""
    return isinstance(value, str) and value.startswith(PENDING_PREFIX)


def pending_marker(*parts: str) -> str:
    """`pending:<part>:<part>…`: what dependents see while training goes on."""
    return PENDING_PREFIX + ":".join(parts)
