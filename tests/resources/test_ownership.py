"""Stacks on one account own what they create: they adopt, keep and delete only their own objects.

Every test runs under the emulator's current reading; tests of one undocumented behaviour set that switch
themselves (and are skipped by an emulator without switches).
"""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_modelstudio.core.fine_tune_job import ownership as _job_ownership
from pulumi_modelstudio.errors import ProvisioningError
from pulumi_modelstudio.resources.checkpoint_export import CheckpointExportProvider
from pulumi_modelstudio.resources.dataset import DatasetProvider
from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider

from tests.resources.support import HP, configured, create, job_inputs, owner, reading, requests, switches, uploaded


def _new_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start another `pulumi` run: a new provider process remembers nothing of the last one."""
    monkeypatch.setattr(_job_ownership, "_THIS_RUN", {})


def _upload(emulator: Any, stack: str) -> str:
    return uploaded(emulator, "m-train", stack)


def _train(emulator: Any, stack: str, file_id: str, **hp: Any) -> tuple[str, dict[str, Any]]:
    jobs = configured(FineTuneJobProvider(owner("m-job", stack)), emulator)
    return create(jobs, job_inputs(file_id, hyper_parameters={**HP, **hp}))


def _job(emulator: Any, job_id: str) -> dict[str, Any]:
    return next(j for j in emulator.control("resources")["jobs"] if j["job_id"] == job_id)


def _export(emulator: Any, stack: str, job_id: str) -> str:
    exports = configured(CheckpointExportProvider(owner("m-export", stack)), emulator)
    _, outs = create(exports, {"job_id": job_id, "checkpoint": "latest"})
    return str(outs["deployable_model"])


def _deploy(emulator: Any, stack: str, model: str, suffix: str | None = None) -> tuple[str, dict[str, Any]]:
    deployments = configured(DeploymentProvider(owner("m-deploy", stack)), emulator)
    inputs: dict[str, Any] = {"model_name": model, "capacity": 1, "plan": "lora"}
    if suffix:
        inputs["suffix"] = suffix
    return create(deployments, inputs)


def _live_deployments(emulator: Any) -> set[str]:
    return {d["deployed_model"] for d in emulator.control("resources")["deployments"] if not d["deleted"]}


def test_stacks_upload_their_own_files_and_adopt_only_them(emulator: Any) -> None:
    dev, staging = _upload(emulator, "dev"), _upload(emulator, "staging")
    assert dev != staging
    assert _upload(emulator, "dev") == dev
    assert len(requests(emulator, "POST", "/files")) == 2
    configured(DatasetProvider(owner("m-train", "dev")), emulator).delete(dev, {})
    live = {f["file_id"] for f in emulator.control("resources")["files"] if not f["deleted"]}
    assert live == {staging}


def test_a_job_is_adopted_only_by_the_declaration_that_started_it(emulator: Any) -> None:
    dev_file, staging_file = _upload(emulator, "dev"), _upload(emulator, "staging")
    dev_job, _ = _train(emulator, "dev", dev_file)
    assert _train(emulator, "dev", dev_file)[0] == dev_job  # a re-run after a crash
    staging_job, _ = _train(emulator, "staging", staging_file)
    assert staging_job != dev_job
    assert len(requests(emulator, "POST", "/fine-tunes")) == 2


def test_a_submission_without_an_answer_is_looked_up_not_repeated(emulator: Any) -> None:
    file_id = _upload(emulator, "dev")
    rule = {"kind": "status", "status": 500, "method": "POST", "path": "fine-tunes$", "when": "after", "count": 1}
    emulator.control("faults", "POST", rule)
    try:
        job_id, outs = _train(emulator, "dev", file_id)
    finally:
        emulator.control("faults", "DELETE")
    assert outs["status"] == "SUCCEEDED"
    assert [j["job_id"] for j in emulator.control("resources")["jobs"]] == [job_id]


def test_jobs_are_found_when_the_service_ignores_custom_names(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with switches(emulator, job_name="job_id"):
        dev_file, staging_file = _upload(emulator, "dev"), _upload(emulator, "staging")
        dev_job, outs = _train(emulator, "dev", dev_file)
        assert outs["created_job_name"] == dev_job
        _new_run(monkeypatch)
        assert _train(emulator, "dev", dev_file)[0] == dev_job  # found by what it trains on this stack's files
        staging_job, _ = _train(emulator, "staging", staging_file)
        assert staging_job != dev_job
        rule = {"kind": "status", "status": 500, "method": "POST", "path": "fine-tunes$", "when": "after", "count": 1}
        emulator.control("faults", "POST", rule)
        try:
            third, _ = _train(emulator, "dev", dev_file, max_steps=400, eval_steps=200)
        finally:
            emulator.control("faults", "DELETE")
        assert third not in (dev_job, staging_job)
        assert len(emulator.control("resources")["jobs"]) == 3


def test_a_replaced_job_and_its_export_stay_while_destroy_removes_the_current_one(
    emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_id = _upload(emulator, "staging")
    old_job, old_outs = _train(emulator, "staging", file_id)
    old_model = _export(emulator, "staging", old_job)

    _new_run(monkeypatch)  # a hyper-parameter change: the new job is created, then the old one deleted
    jobs = configured(FineTuneJobProvider(owner("m-job", "staging")), emulator)
    new_job, new_outs = _train(emulator, "staging", file_id, max_steps=400, eval_steps=200)
    jobs.delete(old_job, old_outs)
    assert not _job(emulator, old_job)["deleted"]
    deployed, _ = _deploy(emulator, "prod", old_model)  # prod can still deploy what staging promoted earlier
    assert deployed in _live_deployments(emulator)

    _new_run(monkeypatch)  # `pulumi destroy` of staging
    jobs.delete(new_job, new_outs)
    refused = reading(emulator).get("finished_job_delete") == "refuse"
    assert _job(emulator, new_job)["deleted"] is not refused
    assert not _job(emulator, old_job)["deleted"]


def test_a_job_whose_model_another_stack_serves_is_kept(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    file_id = _upload(emulator, "staging")
    job_id, outs = _train(emulator, "staging", file_id)
    _deploy(emulator, "prod", _export(emulator, "staging", job_id))
    _new_run(monkeypatch)
    configured(FineTuneJobProvider(owner("m-job", "staging")), emulator).delete(job_id, outs)
    assert not _job(emulator, job_id)["deleted"]


def test_a_refused_delete_of_a_finished_job_ends_the_destroy(emulator: Any) -> None:
    with switches(emulator, finished_job_delete="refuse"):
        job_id, outs = _train(emulator, "dev", _upload(emulator, "dev"))
        configured(FineTuneJobProvider(owner("m-job", "dev")), emulator).delete(job_id, outs)
        assert _job(emulator, job_id)["status"] == "SUCCEEDED"


def test_stacks_deploying_one_model_get_their_own_deployments(emulator: Any) -> None:
    job_id, _ = _train(emulator, "staging", _upload(emulator, "staging"))
    model = _export(emulator, "staging", job_id)
    staging, _ = _deploy(emulator, "staging", model)
    prod, prod_outs = _deploy(emulator, "prod", model)
    assert staging != prod
    assert _deploy(emulator, "prod", model)[0] == prod  # a re-run after a crash adopts its own
    assert len(requests(emulator, "POST", "/deployments")) == 2
    configured(DeploymentProvider(owner("m-deploy", "prod")), emulator).delete(prod, prod_outs)
    assert _live_deployments(emulator) == {staging}


def test_an_explicit_suffix_taken_by_another_stack_fails_clearly(emulator: Any) -> None:
    job_id, _ = _train(emulator, "staging", _upload(emulator, "staging"))
    model = _export(emulator, "staging", job_id)
    staging, _ = _deploy(emulator, "staging", model, suffix="prod")
    with pytest.raises(ProvisioningError) as failure:
        _deploy(emulator, "prod", model, suffix="prod")
    assert staging in str(failure.value)
    assert "Fix: remove `suffix`" in str(failure.value)
    assert _live_deployments(emulator) == {staging}


def test_deployments_under_the_least_helpful_readings(emulator: Any) -> None:
    with switches(emulator, deployed_model="hex", deployment_delete="status", deployment_name="absent"):
        job_id, _ = _train(emulator, "staging", _upload(emulator, "staging"))
        model = _export(emulator, "staging", job_id)
        staging, _ = _deploy(emulator, "staging", model)
        prod, prod_outs = _deploy(emulator, "prod", model)
        assert staging != prod
        assert _deploy(emulator, "prod", model)[0] == prod
        configured(DeploymentProvider(owner("m-deploy", "prod")), emulator).delete(prod, prod_outs)
        assert _live_deployments(emulator) == {staging}
        assert len(requests(emulator, "POST", "/deployments")) == 2
