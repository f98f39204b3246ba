"""Resource type token -> provider class, for reading a resource the engine imports (no state to unpickle yet)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pulumi_modelstudio.core.type_tokens import type_of_urn
from pulumi_modelstudio.errors import ModelStudioError

if TYPE_CHECKING:
    from pulumi_modelstudio.resources._base import ModelStudioProvider

__all__ = [
    "IDENTITY_KEYS",
    "PROVIDER_CLASSES",
    "PROVIDER_KEY",
    "NotImportableError",
    "identity_from_urn",
    "is_import_read",
    "provider_for_read",
    "type_of_urn",
]

PROVIDER_KEY = "__provider"
TYPE_PREFIX = "pulumi-python:dynamic/modelstudio:"

PROVIDER_CLASSES: Mapping[str, str] = {
    f"{TYPE_PREFIX}Dataset": "pulumi_modelstudio.resources.dataset:DatasetProvider",
    f"{TYPE_PREFIX}FineTuneJob": "pulumi_modelstudio.resources.fine_tune_job:FineTuneJobProvider",
    f"{TYPE_PREFIX}CheckpointExport": "pulumi_modelstudio.resources.checkpoint_export:CheckpointExportProvider",
    f"{TYPE_PREFIX}Deployment": "pulumi_modelstudio.resources.deployment:DeploymentProvider",
}
"""Each resource class's type token and the module path of its provider (the public, pickled path)."""

IDENTITY_KEYS = frozenset({PROVIDER_KEY, "resource_name", "project", "stack"})
"""What a read for an import carries: the provider and where the resource is declared, no state."""


class NotImportableError(ModelStudioError, LookupError):
    """An import names a resource type this package does not provide."""


def identity_from_urn(urn: str) -> dict[str, str]:
    """`resource_name`, `project` and `stack` of a URN, the inputs every resource class declares itself."""
    parts = urn.split("::")
    if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
        return {}
    return {"stack": parts[0].removeprefix("urn:pulumi:"), "project": parts[1], "resource_name": parts[-1]}


def is_import_read(props: Mapping[str, Any]) -> bool:
    """Whether a read has no prior state: the engine is importing (adopting) an existing object."""
    return set(props) <= IDENTITY_KEYS


def provider_for_read(props: Mapping[str, Any], urn_type: str) -> ModelStudioProvider | None:
    """The provider to read with: None when `props` carry the pickled one, else the one registered for the type.

    Raises NotImportableError naming the type when neither is available (not a resource of this package).
    """
    if PROVIDER_KEY in props:
        return None
    target = PROVIDER_CLASSES.get(urn_type)
    if target is None:
        known = ", ".join(sorted(PROVIDER_CLASSES))
        msg = f"cannot import a {urn_type or 'resource of unknown type'}: this provider host imports only {known}"
        raise NotImportableError(msg)
    module_name, _, class_name = target.partition(":")
    provider_class: type[ModelStudioProvider] = getattr(importlib.import_module(module_name), class_name)
    return provider_class()
