"""Provider methods called directly (as the Pulumi host does) against the live emulator."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import dill
import pytest

from provider.resources._base import PROVIDER_KEY, UNKNOWN
from provider.resources._config import ProviderConfig
from provider.resources.checkpoint_export import CheckpointExportProvider
from provider.resources.dataset import DatasetProvider
from provider.resources.deployment import DeploymentProvider
from provider.resources.fine_tune_job import FineTuneJobProvider, deterministic_job_name

REPO = Path(__file__).resolve().parents[2]
TRAIN = REPO / "stacks" / "datasets" / "product-t2i"
VAL = REPO / "stacks" / "datasets" / "product-t2i-val"
KEY = "sk-resource-tests"
HP = {"max_steps": 800, "eval_steps": 200, "max_token_length": "2k", "generation_type": "t2i"}


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _configured(provider: Any, emulator: Any) -> Any:
    provider._runtime_config = ProviderConfig(api_key=KEY, endpoint=emulator.api_url)
    return provider


def _dataset_inputs(source: Path, role: str = "training") -> dict[str, Any]:
    return {"resource_name": f"ds-{role}", "source": str(source), "generation_type": "t2i", "role": role}


def _job_inputs(file_id: str, **extra: Any) -> dict[str, Any]:
    inputs = {
        "resource_name": "job",
        "project": "p",
        "stack": "s",
        "model": "wan2.7-image-pro",
        "training_file_ids": [file_id],
        "validation_file_ids": [],
        "hyper_parameters": dict(HP),
        "wait": True,
        "timeout_minutes": None,
    }
    inputs.update(extra)
    return inputs


def _create(provider: Any, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    checked = provider.check({}, inputs)
    assert checked.failures == [], [f.reason for f in checked.failures]
    result = provider.create(checked.inputs)
    return result.id, result.outs


def test_providers_survive_pickling_without_the_key(emulator: Any) -> None:
    for cls in (DatasetProvider, FineTuneJobProvider, CheckpointExportProvider, DeploymentProvider):
        provider = _configured(cls(), emulator)
        blob = dill.dumps(provider)
        assert KEY.encode() not in blob
        restored = dill.loads(blob)  # noqa: S301 - our own bytes, as the Pulumi host does
        assert restored._runtime_config is None


def test_check_skips_preview_placeholders() -> None:
    provider = FineTuneJobProvider()
    inputs = _job_inputs(UNKNOWN)
    inputs["training_file_ids"] = [UNKNOWN]
    result = provider.check({}, inputs)
    assert result.failures == []
    assert result.inputs["estimated_cost_cny"] == pytest.approx(14860.8)
    assert "job_name" not in result.inputs or result.inputs["job_name"] is None


def test_check_reports_bad_hyperparameters_by_field() -> None:
    inputs = _job_inputs("f", hyper_parameters={**HP, "lora_rank": 48, "max_steps": 0})
    failures = FineTuneJobProvider().check({}, inputs).failures
    reasons = [f.reason for f in failures]
    # nested fields go into the reason: the engine would print the top-level input as `value {<nil>}`
    assert {f.property for f in failures} == {""}
    assert any(r.startswith("hyper_parameters.lora_rank: 48") for r in reasons), reasons
    assert any(r.startswith("hyper_parameters.max_steps: 0") for r in reasons), reasons


def test_diff_ignores_provider_and_informational_inputs() -> None:
    provider = FineTuneJobProvider()
    olds = provider.check({}, _job_inputs("f1")).inputs
    news = dict(olds, **{PROVIDER_KEY: "other", "wait": True})
    diff = provider.diff("id", olds, news)
    assert not diff.changes
    assert diff.replaces == []
    changed = provider.check({}, _job_inputs("f1", hyper_parameters={**HP, "learning_rate": 1e-4})).inputs
    assert provider.diff("id", olds, changed).replaces == ["hyper_parameters"]
    unknown = dict(olds, training_file_ids=[UNKNOWN])
    assert provider.diff("id", olds, unknown).replaces == ["training_file_ids"]


def test_update_with_only_provider_changed_calls_nothing(emulator: Any) -> None:
    provider = _configured(DeploymentProvider(), emulator)
    olds = {
        "resource_name": "d",
        "model_name": "m",
        "capacity": 1,
        "deployed_model": "m",
        "status": "RUNNING",
    }
    news = {"resource_name": "d", "model_name": "m", "capacity": 1, PROVIDER_KEY: "new"}
    result = provider.update("m", olds, news)
    assert result.outs["deployed_model"] == "m"
    assert not any(r["method"] != "GET" for r in emulator.control("requests"))


def test_dataset_validation_failure_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(TRAIN, broken)
    (broken / "data.jsonl").write_text('{"prompt": "s86b5p, a mug", "img_path": "./missing.png"}\n')
    failures = DatasetProvider().check({}, _dataset_inputs(broken)).failures
    assert failures
    assert all(f.property == "source" for f in failures)
    assert any("missing.png" in f.reason for f in failures)


def test_full_chain_adopts_instead_of_training_twice(emulator: Any) -> None:
    datasets = _configured(DatasetProvider(), emulator)
    file_id, outs = _create(datasets, _dataset_inputs(TRAIN))
    assert outs["sha256"] and outs["image_count"] >= 25
    again, _ = _create(datasets, _dataset_inputs(TRAIN))
    assert again == file_id  # identical upload adopted, not duplicated

    jobs = _configured(FineTuneJobProvider(), emulator)
    job_id, job_outs = _create(jobs, _job_inputs(file_id))
    assert job_outs["status"] == "SUCCEEDED"
    assert job_outs["checkpoints"][0] == "checkpoint-800"
    second_id, _ = _create(jobs, _job_inputs(file_id))
    assert second_id == job_id  # a re-run after a crash finds the job by its deterministic name
    creates = [r for r in emulator.control("requests") if r["method"] == "POST" and r["path"].endswith("fine-tunes")]
    assert len(creates) == 1

    exports = _configured(CheckpointExportProvider(), emulator)
    export_id, export_outs = _create(
        exports,
        {"resource_name": "x", "job_id": job_id, "checkpoint": "latest", "model_name": "tests-export"},
    )
    assert export_outs["deployable_model"].endswith("-c800")

    deployments = _configured(DeploymentProvider(), emulator)
    dep_inputs = {
        "resource_name": "d",
        "model_name": export_outs["deployable_model"],
        "capacity": 1,
        "plan": "lora",
    }
    dep_id, dep_outs = _create(deployments, dep_inputs)
    assert dep_outs["status"] == "RUNNING"
    scaled = deployments.update(dep_id, dep_outs, dict(dep_inputs, capacity=3))
    assert scaled.outs["status"] == "RUNNING"
    assert deployments.read(dep_id, scaled.outs).outs["capacity"] == 3  # informational: LoRA is never scaled
    assert not any(r["method"] == "PUT" for r in emulator.control("requests"))

    deployments.delete(dep_id, scaled.outs)
    assert deployments.read(dep_id, scaled.outs).id == ""
    exports.delete(export_id, export_outs)
    jobs.delete(job_id, job_outs)
    assert jobs.read(job_id, job_outs).id == ""
    datasets.delete(file_id, outs)
    assert datasets.read(file_id, outs).id == ""


def test_destroy_cancels_a_running_job(emulator: Any) -> None:
    emulator.control("clock", "POST", {"speed": 0})
    datasets = _configured(DatasetProvider(), emulator)
    file_id, _ = _create(datasets, _dataset_inputs(TRAIN))
    jobs = _configured(FineTuneJobProvider(), emulator)
    inputs = jobs.check({}, _job_inputs(file_id, wait=False)).inputs
    created = jobs.create(inputs)
    assert created.outs["status"] in ("PENDING", "QUEUING", "RUNNING")
    emulator.control("clock", "POST", {"speed": 5000})
    jobs.delete(created.id, created.outs)
    job = next(j for j in emulator.control("resources")["jobs"] if j["job_id"] == created.id)
    assert job["status"] == "CANCELED"
    assert job["deleted"]


def test_deterministic_job_name_is_stable_and_bounded() -> None:
    training = {"model": "m", "training_file_ids": ["a"], "hyper_parameters": {"x": 1}}
    first = deterministic_job_name("proj", "stack", "name" * 30, training)
    assert first == deterministic_job_name("proj", "stack", "name" * 30, dict(training))
    assert len(first) <= 64
    assert first != deterministic_job_name("proj", "stack", "name" * 30, {**training, "model": "n"})
