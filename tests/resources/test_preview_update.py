"""What a preview shows for an in-place update: the outputs the update will record, so saved plans hold."""

from __future__ import annotations

from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider

from tests.resources.support import owner

JOB = {"model": "wan2.7-image-pro", "hyper_parameters": {"max_steps": 200}, "wait": True, "timeout_minutes": None}
RECORDED = {"job_id": "ft-202606030110-a1b2", "finetuned_output": "wan2.7-image-pro-ft-202606030110-a1b2"}


def test_a_finished_job_previews_the_outputs_it_keeps() -> None:
    olds = {**JOB, **RECORDED, "status": "SUCCEEDED"}
    outs = FineTuneJobProvider(owner("job")).preview_update("ft-1", olds, {**JOB, "timeout_minutes": 300})
    assert outs is not None
    assert outs["timeout_minutes"] == 300
    assert {k: outs[k] for k in (*RECORDED, "status")} == {**RECORDED, "status": "SUCCEEDED"}


def test_a_job_the_update_waits_for_previews_nothing_it_cannot_know() -> None:
    olds = {**JOB, **RECORDED, "status": "RUNNING"}
    assert FineTuneJobProvider(owner("job")).preview_update("ft-1", olds, dict(JOB)) is None
    submitted = FineTuneJobProvider(owner("job")).preview_update("ft-1", olds, {**JOB, "wait": False})
    assert submitted is not None
    assert submitted["status"] == "RUNNING"


def test_a_deployment_previews_its_recorded_model() -> None:
    olds = {"model_name": "m", "capacity": 1, "deployed_model": "m-1234abcd", "status": "RUNNING"}
    outs = DeploymentProvider(owner("d")).preview_update("m-1234abcd", olds, {"model_name": "m", "capacity": 1})
    assert outs is not None
    assert outs["deployed_model"] == "m-1234abcd"
