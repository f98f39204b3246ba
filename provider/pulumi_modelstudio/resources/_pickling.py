"""Pickling providers into state without the Pulumi SDK's pickler leak.

`pulumi.dynamic.dynamic.serialize_provider`, which `pulumi.dynamic.Resource.__init__` calls for every dynamic
resource, wraps `pickle._Pickler._batch_setitems` in one more sorting layer on each call and never takes it off:
a program with hundreds of dynamic resources dies of RecursionError. `flat_pickler()` takes the layers off.
`ModelStudioResource` (the base of every resource class here) calls it before each declaration, and
`serialize_provider` before it pickles a provider itself (the provider host's import read).
"""

from __future__ import annotations

import pickle
from typing import Any

import pulumi
import pulumi.dynamic.dynamic as sdk_dynamic
from pulumi.dynamic import ResourceProvider

__all__ = ["ModelStudioResource", "flat_pickler", "serialize_provider"]


def _unwrapped(method: Any) -> Any:
    """`pickle._Pickler._batch_setitems` without the sorting layers the Pulumi SDK stacked on it."""
    while getattr(method, "__qualname__", "") != "_Pickler._batch_setitems" and getattr(method, "__closure__", None):
        method = next(c.cell_contents for c in method.__closure__ if callable(c.cell_contents))
    return method


_PICKLER_ITEMS = _unwrapped(getattr(pickle._Pickler, "_batch_setitems", None))


def flat_pickler() -> None:
    """Take the SDK's sorting layers off the pickler (the SDK adds exactly one back on its next call)."""
    setattr(pickle._Pickler, "_batch_setitems", _PICKLER_ITEMS)  # noqa: B010 - a private attribute of pickle


def serialize_provider(provider: ResourceProvider) -> str:
    """The SDK's provider pickle (sorted, base64), from a flat pickler."""
    flat_pickler()
    return str(sdk_dynamic.serialize_provider(provider))


class ModelStudioResource(pulumi.dynamic.Resource):
    """A dynamic resource whose provider is pickled from a flat pickler."""

    def __init__(
        self,
        provider: ResourceProvider,
        name: str,
        props: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare the resource (the SDK pickles `provider` into its `__provider` input)."""
        flat_pickler()
        super().__init__(provider, name, props, opts)
