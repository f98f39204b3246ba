"""Submit and wait modes, placeholders that wait for training, interruption, against the live emulator."""

from __future__ import annotations

import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi_modelstudio.core import waiters
from pulumi_modelstudio.errors import JobFailedError
from pulumi_modelstudio.resources._base import UNKNOWN
from pulumi_modelstudio.resources.checkpoint_export import CheckpointExportProvider
from pulumi_modelstudio.resources.dataset import DatasetProvider
from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider, cancel_unrecorded_jobs
from pulumi_modelstudio.settings.config import ConnectionConfig

from tests.resources.support import owner

REPO = Path(__file__).resolve().parents[2]
TRAIN = REPO / "stacks" / "datasets" / "product-t2i"
KEY = "sk-resource-tests"
HP = {"max_steps": 200, "eval_steps": 100, "max_token_length": "2k", "generation_type": "t2i"}
TRAINING_S = 60 + 200 * 15.4


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    waiters.reset_stop()
    yield
    waiters.reset_stop()


def _configured(provider: Any, emulator: Any) -> Any:
    provider._runtime_config = ConnectionConfig(api_key=KEY, endpoint=emulator.api_url)
    return provider


def _uploaded(emulator: Any) -> str:
    datasets = _configured(DatasetProvider(owner("ds")), emulator)
    inputs = datasets.check({}, {"source": str(TRAIN), "generation_type": "t2i", "role": "training"}).inputs
    return str(datasets.create(inputs).id)


def _job_inputs(jobs: FineTuneJobProvider, file_id: str, *, wait: bool) -> dict[str, Any]:
    inputs = {
        "model": "wan2.7-image-pro",
        "training_file_ids": [file_id],
        "validation_file_ids": [],
        "hyper_parameters": dict(HP),
        "wait": wait,
        "timeout_minutes": None,
    }
    return dict(jobs.check({}, inputs).inputs)


def test_submit_records_the_job_at_once_and_dependents_wait_as_placeholders(emulator: Any) -> None:
    emulator.control("clock", "POST", {"speed": 0})
    file_id = _uploaded(emulator)
    jobs = _configured(FineTuneJobProvider(owner("job")), emulator)
    job = jobs.create(_job_inputs(jobs, file_id, wait=False))
    assert job.outs["status"] == "PENDING"
    assert job.outs["deployable_model"] == f"pending:{job.id}"
    assert jobs.needs_refresh(job.outs)

    exports = _configured(CheckpointExportProvider(owner("export")), emulator)
    export_inputs = {"job_id": job.id, "checkpoint": "latest", "model_name": "e1"}
    placeholder = exports.create({**export_inputs, "job_status": job.outs["status"]})
    assert placeholder.id == f"pending:{job.id}:latest"
    assert placeholder.outs["status"] == "WAITING_FOR_TRAINING"
    deployments = _configured(DeploymentProvider(owner("deploy")), emulator)
    dep_inputs = {"model_name": placeholder.outs["deployable_model"], "capacity": 1}
    waiting = deployments.create({**dep_inputs, "plan": "lora"})
    assert waiting.outs["deployed_model"].startswith("pending:")
    calls = [r for r in emulator.control("requests") if "/export/" in r["path"] or r["path"].endswith("deployments")]
    assert calls == []  # placeholders call nothing

    # a later run: still training -> nothing to do; finished -> the placeholder is replaced by the real export
    still = exports.diff(placeholder.id, placeholder.outs, {**export_inputs, "job_status": "RUNNING"})
    assert not still.changes
    emulator.control("clock", "POST", {"advance_seconds": TRAINING_S + 10})
    refreshed = jobs.read(job.id, job.outs)
    assert refreshed.outs["status"] == "SUCCEEDED"
    assert refreshed.outs["deployable_model"] == refreshed.outs["finetuned_output"]
    assert not jobs.needs_refresh(refreshed.outs)
    done = exports.diff(placeholder.id, placeholder.outs, {**export_inputs, "job_status": "SUCCEEDED"})
    assert done.replaces == ["job_status"]
    assert exports.diff(placeholder.id, placeholder.outs, {**export_inputs, "job_status": UNKNOWN}).replaces
    assert deployments.read(waiting.id, waiting.outs).id == waiting.id  # refresh keeps a placeholder
    deployments.delete(waiting.id, waiting.outs)  # and removing one calls nothing


def test_a_running_job_is_read_with_its_progress(emulator: Any) -> None:
    emulator.control("clock", "POST", {"speed": 0})
    jobs = _configured(FineTuneJobProvider(owner("job")), emulator)
    job = jobs.create(_job_inputs(jobs, _uploaded(emulator), wait=False))
    emulator.control("clock", "POST", {"advance_seconds": 60 + 120 * 15.4})
    progress = jobs.read(job.id, job.outs).outs["progress"]
    assert progress["status"] == "RUNNING"
    assert progress["step"] == 100  # the newest `step N/M` line of the log (every 50 steps)
    assert progress["total_steps"] == 200
    assert progress["checkpoints"] == ["checkpoint-100"]
    assert progress["eta_minutes"] == round(100 * 15.4 / 60)
    assert progress["summary"].startswith("RUNNING, step 100/200 (50%), checkpoint-100 saved, about ")


def test_a_blocking_wait_returns_the_job_when_the_run_is_interrupted(emulator: Any) -> None:
    emulator.control("clock", "POST", {"speed": 0})
    jobs = _configured(FineTuneJobProvider(owner("job")), emulator)
    inputs = _job_inputs(jobs, _uploaded(emulator), wait=True)
    threading.Timer(1.0, waiters.request_stop).start()
    started = time.monotonic()
    created = jobs.create(inputs)
    assert time.monotonic() - started < 5
    assert created.outs["status"] == "PENDING"  # recorded as it is, not lost

    diff = jobs.diff(created.id, created.outs, inputs)
    assert diff.changes  # the next blocking run waits for it (an update), it does not train again
    assert diff.replaces == []
    submitted = {**created.outs, "wait": False}
    assert not jobs.diff(created.id, submitted, {**inputs, "wait": False}).changes  # submit mode never waits
    waiters.reset_stop()
    emulator.control("clock", "POST", {"speed": 20000})
    updated = jobs.update(created.id, created.outs, inputs)
    assert updated.outs["status"] == "SUCCEEDED"
    creates = [r for r in emulator.control("requests") if r["method"] == "POST" and r["path"].endswith("fine-tunes")]
    assert len(creates) == 1


def test_nothing_is_submitted_once_the_run_is_interrupted(emulator: Any) -> None:
    jobs = _configured(FineTuneJobProvider(owner("job")), emulator)
    inputs = _job_inputs(jobs, _uploaded(emulator), wait=False)
    waiters.request_stop()
    with pytest.raises(Exception, match="nothing started"):
        jobs.create(inputs)
    assert emulator.control("resources")["jobs"] == []


def test_a_create_the_engine_gave_up_on_cancels_its_job(emulator: Any) -> None:
    emulator.control("clock", "POST", {"speed": 0})
    jobs = _configured(FineTuneJobProvider(owner("job")), emulator)
    inputs = _job_inputs(jobs, _uploaded(emulator), wait=True)
    results: list[Any] = []
    worker = threading.Thread(target=lambda: results.append(jobs.create(inputs)), daemon=True)
    worker.start()
    deadline = time.monotonic() + 10
    while not emulator.control("resources")["jobs"] and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    [job_id] = cancel_unrecorded_jobs()
    waiters.request_stop()
    worker.join(timeout=10)
    assert results  # the create still returns (to an engine that no longer listens)
    emulator.control("clock", "POST", {"advance_seconds": 120})
    [job] = emulator.control("resources")["jobs"]
    assert (job["job_id"], job["status"]) == (job_id, "CANCELED")


def test_a_failed_or_cancelled_job_trains_again_and_its_failure_is_explained(emulator: Any) -> None:
    emulator.control("clock", "POST", {"speed": 0})
    jobs = _configured(FineTuneJobProvider(owner("job")), emulator)
    inputs = _job_inputs(jobs, _uploaded(emulator), wait=False)
    job = jobs.create(inputs)
    emulator.control("clock", "POST", {"advance_seconds": 100})
    with jobs.client() as client:
        client.fine_tunes.cancel(job.id)
    emulator.control("clock", "POST", {"advance_seconds": 120})
    cancelled = jobs.read(job.id, job.outs).outs
    assert cancelled["status"] == "CANCELED"
    assert cancelled["deployable_model"] == f"pending:{job.id}"
    assert jobs.diff(job.id, cancelled, inputs).replaces == ["status"]


def test_a_failed_job_reports_its_code_message_and_last_log_lines(emulator: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"  # what our checks would refuse: sent straight to the service here
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("data.jsonl", '{"prompt": "s86b5p, a mug", "img_path": "./missing.png"}\n')
    jobs = _configured(FineTuneJobProvider(owner("job")), emulator)
    with jobs.client() as client:
        file_id = client.files.upload(broken).file_id
    with pytest.raises(JobFailedError) as failed:
        jobs.create(_job_inputs(jobs, file_id, wait=True))
    text = str(failed.value)
    assert "ended FAILED (InvalidDataset: data.jsonl line 1: img_path './missing.png' not found in the zip)" in text
    assert "Last log lines:" in text
    assert "finetune-job failed" in text
    assert failed.value.code == "InvalidDataset"
