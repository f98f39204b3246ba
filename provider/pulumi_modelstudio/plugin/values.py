"""Property values between the engine's wire form and the plain dicts the resource core reads and writes.

The schema names properties in camelCase (`fileId`); the core keys them in snake_case (`file_id`), as the dynamic
resources record them. Only top-level names are translated: nested values (hyper-parameters) keep the API's names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime import rpc

from pulumi_modelstudio.core.values import PROVIDER_KEY

__all__ = ["HIDDEN_KEYS", "Plain", "camel", "echo", "from_engine", "snake", "to_engine"]

HIDDEN_KEYS = frozenset({PROVIDER_KEY, "project", "stack", "resource_name"})
"""Core keys that never reach the engine: the pickled provider and the owner, which the URN already names."""

_UPPER = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name: str) -> str:
    """`fileId` -> `file_id` (`sha256` stays)."""
    return _UPPER.sub("_", name).lower()


def camel(name: str) -> str:
    """`file_id` -> `fileId`."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _plain(value: PropertyValue, secrets: set[str], key: str) -> Any:
    if value.is_secret:
        secrets.add(key)
    inner = value.value
    if isinstance(inner, Computed):
        return rpc.UNKNOWN
    if isinstance(inner, Mapping):
        return {k: _plain(v, secrets, key) for k, v in inner.items()}
    if isinstance(inner, tuple | list):
        return [_plain(v, secrets, key) for v in inner]
    return inner


class Plain(dict[str, Any]):
    """Core-shaped properties (snake_case keys, unknowns as the SDK's placeholder) and which ones were secret."""

    secrets: set[str]

    def __init__(self, values: Mapping[str, Any], secrets: set[str] | None = None) -> None:
        """Keep `values` and the names of the secret ones."""
        super().__init__(values)
        self.secrets = set(secrets or ())


def from_engine(props: Mapping[str, PropertyValue]) -> Plain:
    """Engine properties as the core reads them: snake_case keys, secrets unwrapped (and remembered)."""
    secrets: set[str] = set()
    values: dict[str, Any] = {}
    for name, value in props.items():
        key = snake(name)
        values[key] = _plain(value, secrets, key)
    return Plain(values, secrets)


def _wire(value: Any) -> PropertyValue:
    if value is None:
        return PropertyValue.null()
    if isinstance(value, bool | str | float):
        return PropertyValue(value)  # an unknown stays the wire's unknown string: the SDK cannot marshal Computed
    if isinstance(value, int):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        return PropertyValue({str(k): _wire(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return PropertyValue([_wire(v) for v in value])
    return PropertyValue(str(value))


def echo(props: Mapping[str, PropertyValue]) -> dict[str, PropertyValue]:
    """Engine properties sent back unchanged (a preview), with unknowns in a form the SDK can marshal."""
    return to_engine(from_engine(props), from_engine(props).secrets)


def to_engine(values: Mapping[str, Any], secrets: set[str] | frozenset[str] = frozenset()) -> dict[str, PropertyValue]:
    """Core properties for the engine: camelCase keys, owner and pickles dropped, secret inputs kept secret."""
    return {
        camel(key): _wire(value).with_secret(key in secrets) for key, value in values.items() if key not in HIDDEN_KEYS
    }
