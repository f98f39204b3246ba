"""The typed resource models: state of the previous release round-trips, unknowns at any depth, whole floats."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi_modelstudio.core.checkpoint_export.inputs import CheckpointExportState
from pulumi_modelstudio.core.dataset.inputs import DatasetState
from pulumi_modelstudio.core.deployment.inputs import DeploymentInputs, DeploymentState
from pulumi_modelstudio.core.fine_tune_job.inputs import FineTuneJobInputs, FineTuneJobState
from pulumi_modelstudio.core.model import Props, Role
from pulumi_modelstudio.core.values import PROVIDER_KEY, UNKNOWN, UNKNOWN_VALUE, is_unknown

from tests.e2e.release_state import recorded_resources

STATES: dict[str, type[Props]] = {
    "Dataset": DatasetState,
    "FineTuneJob": FineTuneJobState,
    "CheckpointExport": CheckpointExportState,
    "Deployment": DeploymentState,
}


def test_state_of_the_previous_release_round_trips_unchanged() -> None:
    resources = [r for r in recorded_resources() if r["type"].startswith("pulumi-python:dynamic/")]
    assert resources
    for resource in resources:
        outputs = {k: v for k, v in resource["outputs"].items() if k != PROVIDER_KEY}
        state = STATES[resource["type"].rsplit(":", 1)[-1]].of(resource["outputs"])
        assert state.to_props() == outputs, resource["urn"]


def test_a_job_of_the_previous_release_reads_as_typed_fields() -> None:
    job = next(r for r in recorded_resources() if r["type"].endswith(":FineTuneJob"))
    state = FineTuneJobState.of(job["outputs"])
    assert state.status == "SUCCEEDED"
    assert isinstance(state.hyper_parameters, dict)
    assert state.training_mode == "wait"
    assert not state.is_set("sent_hyper_parameters")
    assert state.resource_name == "product-shots-job"


@pytest.mark.parametrize("placeholder", [Unknown, lambda: UNKNOWN], ids=["object", "string"])
def test_unknowns_are_kept_at_any_depth(placeholder: Any) -> None:
    news = {
        "model": "wan2.7-image-pro",
        "training_file_ids": ["f1", placeholder()],
        "hyper_parameters": {"max_steps": placeholder(), "generation_type": "t2i"},
        "wait": placeholder(),
    }
    inputs, failures = FineTuneJobInputs.parse(news)
    assert failures == []
    assert inputs is not None
    assert inputs.training_file_ids == ["f1", UNKNOWN_VALUE]
    assert is_unknown(inputs.hyper_parameters)
    assert inputs.wait is UNKNOWN_VALUE
    assert inputs.training_mode == "submit"
    props = inputs.to_props()
    assert props["training_file_ids"] == ["f1", UNKNOWN]
    assert props["hyper_parameters"]["max_steps"] == UNKNOWN


def test_whole_floats_from_grpc_read_as_ints() -> None:
    inputs, failures = DeploymentInputs.parse(
        {"model_name": "m", "capacity": 1.0, "plan": "lora", "timeout_minutes": 30.0}
    )
    assert failures == []
    assert inputs is not None
    assert inputs.capacity == 1
    assert isinstance(inputs.capacity, int)
    assert inputs.to_props()["timeout_minutes"] == 30
    job = FineTuneJobState.of({"hyper_parameters": {"max_steps": 800.0, "learning_rate": 3e-05}, "usage_tokens": 5.0})
    assert job.hyper_parameters == {"max_steps": 800, "learning_rate": 3e-05}
    assert job.usage_tokens == 5


def test_refused_values_fail_with_the_fields_own_reason() -> None:
    _, failures = DeploymentInputs.parse({"model_name": "m", "capacity": True, "plan": "lora"})
    assert [(f.property, f.reason) for f in failures] == [
        ("capacity", "True must be a whole number from 0 to 999 (1 is typical)")
    ]
    _, failures = DeploymentInputs.parse({"capacity": 1, "plan": "lora"})
    assert [f.property for f in failures] == ["model_name"]


def test_every_field_says_what_a_change_means() -> None:
    assert FineTuneJobInputs.fields_with(Role.REPLACE) == (
        "model",
        "training_file_ids",
        "validation_file_ids",
        "hyper_parameters",
    )
    assert FineTuneJobInputs.fields_with(Role.UPDATE) == ("wait", "timeout_minutes")
    assert DatasetState.fields_with(Role.OUTPUT) == ("file_id", "file_name", "zip_size_bytes")
    assert DeploymentState.fields_with(Role.REPLACE) == ("model_name", "plan", "suffix")
