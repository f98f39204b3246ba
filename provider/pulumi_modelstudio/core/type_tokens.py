"""Resource type tokens: the one a URN names, and the class a `module:Class` path names."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["class_at", "type_of_urn"]


def type_of_urn(urn: str) -> str:
    """The resource type of `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` ("" for no URN)."""
    parts = urn.split("::")
    if len(parts) < 4:
        return ""
    return parts[2].rsplit("$", 1)[-1]


def class_at(path: str) -> type[Any]:
    """The class `package.module:Class` names, its module imported on first use."""
    module_name, _, class_name = path.partition(":")
    found: type[Any] = getattr(importlib.import_module(module_name), class_name)
    return found
