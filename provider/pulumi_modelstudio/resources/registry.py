"""Resource type token -> provider class, for reading a resource the engine imports (no state to unpickle yet)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pulumi_modelstudio.core.registry import (
    IDENTITY_KEYS,
    NotImportableError,
    identity_from_urn,
    is_import_read,
    type_of_urn,
)
from pulumi_modelstudio.core.type_tokens import class_at
from pulumi_modelstudio.core.values import PROVIDER_KEY

if TYPE_CHECKING:
    from pulumi_modelstudio.resources._base import ModelStudioProvider

__all__ = [
    "IDENTITY_KEYS",
    "PROVIDER_CLASSES",
    "NotImportableError",
    "identity_from_urn",
    "is_import_read",
    "provider_for_read",
    "type_of_urn",
]

TYPE_PREFIX = "pulumi-python:dynamic/modelstudio:"

PROVIDER_CLASSES: Mapping[str, str] = {
    f"{TYPE_PREFIX}Dataset": "pulumi_modelstudio.resources.dataset:DatasetProvider",
    f"{TYPE_PREFIX}FineTuneJob": "pulumi_modelstudio.resources.fine_tune_job:FineTuneJobProvider",
    f"{TYPE_PREFIX}CheckpointExport": "pulumi_modelstudio.resources.checkpoint_export:CheckpointExportProvider",
    f"{TYPE_PREFIX}Deployment": "pulumi_modelstudio.resources.deployment:DeploymentProvider",
}
"""Each resource class's type token and the module path of its provider (the public, pickled path)."""


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
    provider_class: type[ModelStudioProvider] = class_at(target)
    return provider_class()
