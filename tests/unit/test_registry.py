"""The type registry the provider host reads imports with."""

from __future__ import annotations

import pytest
from pulumi_modelstudio.core.adoption import adopted_diff
from pulumi_modelstudio.core.deployment.inputs import DeploymentInputs, DeploymentState
from pulumi_modelstudio.resources import CheckpointExport, Dataset, Deployment, FineTuneJob
from pulumi_modelstudio.resources.registry import (
    PROVIDER_CLASSES,
    NotImportableError,
    identity_from_urn,
    provider_for_read,
    type_of_urn,
)

URN = "urn:pulumi:prod::modelstudio-lora::modelstudio:index:LoraModel$pulumi-python:dynamic/modelstudio:Deployment::a"


def test_every_resource_class_is_registered_under_its_type_token() -> None:
    tokens = {
        f"pulumi-python:{cls._resource_type_name}": cls for cls in (Dataset, FineTuneJob, CheckpointExport, Deployment)
    }
    assert set(tokens) == set(PROVIDER_CLASSES)
    for token, cls in tokens.items():
        provider = provider_for_read({}, token)
        assert provider is not None
        assert type(provider).__name__ == f"{cls.__name__}Provider"
        assert type(provider).__module__ == cls.__module__


def test_urn_parts_with_a_parent() -> None:
    assert type_of_urn(URN) == "pulumi-python:dynamic/modelstudio:Deployment"
    assert identity_from_urn(URN) == {"stack": "prod", "project": "modelstudio-lora", "resource_name": "a"}
    assert type_of_urn("not-a-urn") == ""
    assert identity_from_urn("not-a-urn") == {}


def test_the_pickled_provider_wins_and_unknown_types_are_refused() -> None:
    assert provider_for_read({"__provider": "pickled"}, type_of_urn(URN)) is None
    with pytest.raises(NotImportableError, match="cannot import a aws:s3/bucket:Bucket"):
        provider_for_read({}, "aws:s3/bucket:Bucket")


def test_adopted_diff_compares_numbers_and_parameters_by_value() -> None:
    olds = DeploymentState.of({"adopted_id": "m", "model_name": "m", "capacity": 1, "plan": "lora", "suffix": None})
    created = DeploymentState.of({"model_name": "m"})
    assert adopted_diff(created, DeploymentInputs.of({"model_name": "n"})) is None  # state the stack created
    same = adopted_diff(olds, DeploymentInputs.of({"model_name": "m", "capacity": 1.0, "plan": "lora", "suffix": None}))
    assert same is not None
    assert not same.changes
    moved = adopted_diff(olds, DeploymentInputs.of({"model_name": "m", "capacity": 1, "plan": "lora", "suffix": "v2"}))
    assert moved is not None
    assert list(moved.replaces) == ["suffix"]
