"""Provider methods called directly (as the Pulumi host does) against the live emulator."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import dill
import pytest
from pulumi_modelstudio.core.values import PROVIDER_KEY, UNKNOWN
from pulumi_modelstudio.resources.checkpoint_export import CheckpointExportProvider
from pulumi_modelstudio.resources.dataset import DatasetProvider
from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider

from tests.resources.support import (
    HP,
    KEY,
    TRAIN,
    configured,
    create,
    dataset_inputs,
    job_inputs,
    owner,
    reading,
    requests,
    uploaded,
)


def test_providers_survive_pickling_without_the_key(emulator: Any) -> None:
    for cls in (DatasetProvider, FineTuneJobProvider, CheckpointExportProvider, DeploymentProvider):
        provider = configured(cls(owner("r")), emulator)
        blob = dill.dumps(provider)
        assert KEY.encode() not in blob
        restored = dill.loads(blob)  # noqa: S301 - our own bytes, as the Pulumi host does
        assert restored._runtime_config is None
        assert restored.owner({}) == owner("r")


def test_check_skips_preview_placeholders() -> None:
    provider = FineTuneJobProvider(owner("job"))
    inputs = job_inputs(UNKNOWN)
    inputs["training_file_ids"] = [UNKNOWN]
    result = provider.check({}, inputs)
    assert result.failures == []
    assert result.inputs["estimated_cost_cny"] == pytest.approx(14860.8)
    assert "job_name" not in result.inputs


def test_check_reports_bad_hyperparameters_by_field() -> None:
    inputs = job_inputs("f", hyper_parameters={**HP, "lora_rank": 48, "max_steps": 0})
    failures = FineTuneJobProvider(owner("job")).check({}, inputs).failures
    reasons = [f.reason for f in failures]
    # nested fields go into the reason: the engine would print the top-level input as `value {<nil>}`
    assert {f.property for f in failures} == {""}
    assert any(r.startswith("hyper_parameters.lora_rank: 48") for r in reasons), reasons
    assert any(r.startswith("hyper_parameters.max_steps: 0") for r in reasons), reasons


def test_check_keeps_the_declared_values_and_adds_no_bookkeeping() -> None:
    checked = FineTuneJobProvider(owner("job")).check({}, job_inputs("f1")).inputs
    assert checked["hyper_parameters"] == HP
    assert not {"resource_name", "project", "stack", "project_root", "job_name"} & set(checked)


def test_diff_ignores_provider_and_informational_inputs() -> None:
    provider = FineTuneJobProvider(owner("job"))
    olds = provider.check({}, job_inputs("f1")).inputs
    news = dict(olds, **{PROVIDER_KEY: "other", "wait": True})
    diff = provider.diff("id", olds, news)
    assert not diff.changes
    assert diff.replaces == []
    changed = provider.check({}, job_inputs("f1", hyper_parameters={**HP, "learning_rate": 1e-4})).inputs
    assert provider.diff("id", olds, changed).replaces == ["hyper_parameters"]
    unknown = dict(olds, training_file_ids=[UNKNOWN])
    assert provider.diff("id", olds, unknown).replaces == ["training_file_ids"]


def test_update_with_only_provider_changed_calls_nothing(emulator: Any) -> None:
    provider = configured(DeploymentProvider(owner("d")), emulator)
    olds = {"model_name": "m", "capacity": 1, "deployed_model": "m", "status": "RUNNING"}
    news = {"model_name": "m", "capacity": 1, PROVIDER_KEY: "new"}
    result = provider.update("m", olds, news)
    assert result.outs is not None
    assert result.outs["deployed_model"] == "m"
    assert not any(r["method"] != "GET" for r in emulator.control("requests"))


def test_dataset_validation_failure_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(TRAIN, broken)
    (broken / "data.jsonl").write_text('{"prompt": "s86b5p, a mug", "img_path": "./missing.png"}\n')
    failures = DatasetProvider(owner("ds")).check({}, dataset_inputs(broken)).failures
    assert failures
    assert all(f.property == "source" for f in failures)
    assert any("missing.png" in f.reason for f in failures)


def test_full_chain_adopts_instead_of_training_twice(emulator: Any) -> None:
    datasets = configured(DatasetProvider(owner("ds")), emulator)
    file_id, outs = create(datasets, dataset_inputs(TRAIN))
    assert outs["sha256"] and outs["image_count"] >= 25
    assert outs["file_name"] == f"ds-{owner('ds').key}-{outs['sha256'][:12]}.zip"
    again, _ = create(datasets, dataset_inputs(TRAIN))
    assert again == file_id  # this resource's own upload adopted, not duplicated

    jobs = configured(FineTuneJobProvider(owner("job")), emulator)
    job_id, job_outs = create(jobs, job_inputs(file_id))
    assert job_outs["status"] == "SUCCEEDED"
    assert job_outs["checkpoints"][0] == "checkpoint-800"
    assert job_outs["sent_hyper_parameters"]["lora_rank"] == 32
    assert job_outs["hyper_parameters"] == HP
    second_id, _ = create(jobs, job_inputs(file_id))
    assert second_id == job_id  # a re-run after a crash finds the job this declaration started
    assert len(requests(emulator, "POST", "fine-tunes")) == 1

    exports = configured(CheckpointExportProvider(owner("x")), emulator)
    export_id, export_outs = create(exports, {"job_id": job_id, "checkpoint": "latest"})
    assert export_outs["deployable_model"].endswith("-c800")
    assert export_outs["export_name"] == f"proj-dev-x-{owner('x').key}-{job_id}"

    deployments = configured(DeploymentProvider(owner("d")), emulator)
    dep_inputs = {"model_name": export_outs["deployable_model"], "capacity": 1, "plan": "lora"}
    dep_id, dep_outs = create(deployments, dep_inputs)
    assert dep_outs["status"] == "RUNNING"
    assert dep_id.startswith(f"{export_outs['deployable_model']}-")
    scaled = deployments.update(dep_id, dep_outs, dict(dep_inputs, capacity=3))
    assert scaled.outs is not None
    assert scaled.outs["status"] == "RUNNING"
    refreshed = deployments.read(dep_id, scaled.outs).outs
    assert refreshed is not None
    assert refreshed["capacity"] == 3  # informational: LoRA is never scaled
    assert not any(r["method"] == "PUT" for r in emulator.control("requests"))

    deployments.delete(dep_id, scaled.outs)
    assert deployments.read(dep_id, scaled.outs).id == ""
    exports.delete(export_id, export_outs)
    jobs.delete(job_id, job_outs)
    deletable = reading(emulator).get("finished_job_delete", "allow") == "allow"
    if deletable:
        assert jobs.read(job_id, job_outs).id == ""
    datasets.delete(file_id, outs)
    # a job the service keeps, named by its id only, keeps the file that proves it this stack's
    assert (datasets.read(file_id, outs).id == "") == (deletable or reading(emulator).get("job_name") != "job_id")


def test_destroy_cancels_a_running_job(emulator: Any) -> None:
    emulator.control("clock", "POST", {"speed": 0})
    file_id = uploaded(emulator)
    jobs = configured(FineTuneJobProvider(owner("job")), emulator)
    inputs = jobs.check({}, job_inputs(file_id, wait=False)).inputs
    created = jobs.create(inputs)
    assert created.outs is not None
    assert created.outs["status"] in ("PENDING", "QUEUING", "RUNNING")
    emulator.control("clock", "POST", {"speed": 5000})
    jobs.delete(str(created.id), created.outs)
    job = next(j for j in emulator.control("resources")["jobs"] if j["job_id"] == created.id)
    assert job["status"] == "CANCELED"
    assert job["deleted"] or reading(emulator).get("finished_job_delete") == "refuse"
