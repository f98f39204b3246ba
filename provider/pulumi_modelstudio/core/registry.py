"""Reads that import an existing object: how to tell them apart and where the resource is declared."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_modelstudio.core.type_tokens import type_of_urn
from pulumi_modelstudio.core.values import PROVIDER_KEY
from pulumi_modelstudio.errors import ModelStudioError

__all__ = ["IDENTITY_KEYS", "NotImportableError", "identity_from_urn", "is_import_read", "type_of_urn"]

IDENTITY_KEYS = frozenset({PROVIDER_KEY, "resource_name", "project", "stack"})
"""What a read for an import carries: the provider and where the resource is declared, no state."""


class NotImportableError(ModelStudioError, LookupError):
    """An import names a resource type this package does not provide, or an object that cannot be adopted."""


def identity_from_urn(urn: str) -> dict[str, str]:
    """`resource_name`, `project` and `stack` of a URN, the inputs every resource class declares itself."""
    parts = urn.split("::")
    if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
        return {}
    return {"stack": parts[0].removeprefix("urn:pulumi:"), "project": parts[1], "resource_name": parts[-1]}


def is_import_read(props: Mapping[str, Any]) -> bool:
    """Whether a read has no prior state: the engine is importing (adopting) an existing object."""
    return set(props) <= IDENTITY_KEYS
