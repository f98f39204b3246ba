"""Every typed client operation against the live emulator, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi_modelstudio.client import ModelStudioClient
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.errors import AuthenticationError, BadRequestError, ConflictError, NotFoundError
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.wire.deployments import CreateDeploymentRequest
from pulumi_modelstudio.wire.fine_tunes import CreateFineTuneRequest

REPO = Path(__file__).resolve().parents[2]
KEY = "sk-test-key"
STEP_2K = 15.4


@pytest.fixture
def client(emulator: Any) -> Iterator[ModelStudioClient]:
    emulator.control("clock", "POST", {"speed": 0})
    settings = ConnectionConfig(api_key=KEY, endpoint=emulator.api_url).client_settings()
    with ModelStudioClient(settings) as c:
        yield c


def _upload(client: ModelStudioClient, tmp_path: Path, dataset: str) -> str:
    packed = pack_dataset(REPO / "stacks" / "datasets" / dataset, tmp_path / f"{dataset}.zip")
    return client.files.upload(packed.path).file_id


def _finished_job(client: ModelStudioClient, emulator: Any, tmp_path: Path, steps: int = 400) -> str:
    train = _upload(client, tmp_path, "product-t2i")
    val = _upload(client, tmp_path, "product-t2i-val")
    job = client.fine_tunes.create(
        CreateFineTuneRequest(
            model="wan2.7-image-pro",
            training_file_ids=[train],
            validation_file_ids=[val],
            hyper_parameters={"generation_type": "t2i", "max_steps": steps, "eval_steps": 100},
            job_name="api-test-job",
        )
    )
    emulator.control("clock", "POST", {"advance_seconds": 60 + steps * STEP_2K + 1})
    return job.job_id


def test_files(client: ModelStudioClient, tmp_path: Path) -> None:
    file_id = _upload(client, tmp_path, "product-t2i")
    stored = client.files.get(file_id)
    assert stored.name == "product-t2i.zip"
    assert stored.size == (tmp_path / "product-t2i.zip").stat().st_size
    assert [f.file_id for f in client.files.iter_all()] == [file_id]
    assert client.files.list(page_no=1, page_size=10).total == 1
    assert client.files.download(file_id) == (tmp_path / "product-t2i.zip").read_bytes()
    client.files.delete(file_id)
    with pytest.raises(NotFoundError):
        client.files.get(file_id)


def test_fine_tune_lifecycle(client: ModelStudioClient, emulator: Any, tmp_path: Path, emulator_compat: str) -> None:
    job_id = _finished_job(client, emulator, tmp_path)
    job = client.fine_tunes.get(job_id)
    assert job.status == "SUCCEEDED"
    assert job.usage == 400 * 10 * 23220
    assert job.finetuned_output and job.finetuned_output.startswith("wan2.7-image-pro-ft-")
    assert len(job.all_training_file_ids) == 1
    expected_name = "api-test-job" if emulator_compat == "default" else job_id  # strict: custom names not echoed
    assert client.fine_tunes.find_by_name(expected_name) == job
    assert client.fine_tunes.find_by_name("nope") is None
    assert [j.job_id for j in client.fine_tunes.iter_all(model="wan2.7-image-pro")] == [job_id]
    assert client.fine_tunes.list().total == 1

    logs = list(client.fine_tunes.iter_logs(job_id))
    assert logs[-1].endswith("##FT_COMPLETE##")
    assert client.fine_tunes.logs(job_id, offset=1, line=2).logs == logs[1:3]

    checkpoints = client.fine_tunes.checkpoints(job_id)
    assert [c.step for c in checkpoints] == [400, 300, 200, 100]
    assert client.fine_tunes.validation_results(job_id) == [c.checkpoint for c in checkpoints]
    details = client.fine_tunes.validation_details(job_id, "checkpoint-400")
    assert details.total == 4
    assert client.images.download(str(details.items[0].img_path)).startswith(b"\x89PNG")

    assert client.fine_tunes.export(job_id, "checkpoint-400", model_name="api-export")
    emulator.control("clock", "POST", {"advance_seconds": 121})
    exported = client.fine_tunes.checkpoints(job_id)[0]
    assert exported.status == "SUCCEEDED"
    assert exported.model_name == f"{job.finetuned_output}-c400"

    with pytest.raises(BadRequestError):
        client.fine_tunes.cancel(job_id)  # already finished
    if emulator_compat == "strict":
        with pytest.raises(BadRequestError, match="can not be deleted"):
            client.fine_tunes.delete(job_id)
        return
    client.fine_tunes.delete(job_id)
    with pytest.raises(NotFoundError):
        client.fine_tunes.get(job_id)


def test_cancel_a_running_job(client: ModelStudioClient, emulator: Any, tmp_path: Path) -> None:
    train = _upload(client, tmp_path, "product-t2i")
    job = client.fine_tunes.create(
        CreateFineTuneRequest(
            model="wan2.7-image", training_file_ids=[train], hyper_parameters={"generation_type": "t2i"}
        )
    )
    emulator.control("clock", "POST", {"advance_seconds": 200})
    assert client.fine_tunes.get(job.job_id).status == "RUNNING"
    with pytest.raises(BadRequestError):
        client.fine_tunes.delete(job.job_id)  # still running
    client.fine_tunes.cancel(job.job_id)
    assert client.fine_tunes.get(job.job_id).status == "CANCELING"
    emulator.control("clock", "POST", {"advance_seconds": 11})
    assert client.fine_tunes.get(job.job_id).status == "CANCELED"


@pytest.mark.parametrize("emulator_compat", ["default", "strict"])  # strict: DELETE answers only {status}
def test_deployments(client: ModelStudioClient, emulator: Any, tmp_path: Path) -> None:
    job = client.fine_tunes.get(_finished_job(client, emulator, tmp_path))
    model = str(job.finetuned_output)
    created = client.deployments.create(CreateDeploymentRequest(model_name=model, capacity=1))
    deployed = created.deployed_model
    assert (created.model_name, created.status) == (model, "PENDING")
    assert deployed.startswith(model)
    with pytest.raises(ConflictError):
        client.deployments.create(CreateDeploymentRequest(model_name=model))
    second = client.deployments.create(CreateDeploymentRequest(model_name=model, suffix="b"))
    assert second.deployed_model == f"{model}-b"
    emulator.control("clock", "POST", {"advance_seconds": 301})
    assert client.deployments.get(deployed).status == "RUNNING"
    assert {d.deployed_model for d in client.deployments.iter_all()} == {deployed, f"{model}-b"}
    assert client.deployments.list().total == 2
    with pytest.raises(BadRequestError, match="UnsupportedOperation"):
        client.deployments.scale(deployed, 3)  # LoRA deployments scale in the console only
    model_unit = client.deployments.create(CreateDeploymentRequest(model_name=model, suffix="mu", plan="mu"))
    scaled = client.deployments.scale(model_unit.deployed_model, 3)
    assert (scaled.status, scaled.capacity) == ("UPDATING", 3)
    assert client.deployments.delete(deployed).status == "DELETING"
    emulator.control("clock", "POST", {"advance_seconds": 61})
    with pytest.raises(NotFoundError):
        client.deployments.get(deployed)
    with pytest.raises(BadRequestError):
        client.deployments.create(CreateDeploymentRequest(model_name="not-a-trained-model"))


def test_image_generation_and_tasks(client: ModelStudioClient, emulator: Any) -> None:
    task = client.images.submit("wan2.7-image-pro", "s86b5p, a mug on a table", seed=3)
    assert task.task_status == "PENDING"
    emulator.control("clock", "POST", {"advance_seconds": 25})
    done = client.tasks.get(task.task_id)
    assert done.task_status == "SUCCEEDED"
    assert client.images.download(done.image_urls[0]).startswith(b"\x89PNG")
    assert client.tasks.get("no-such-task").task_status == "UNKNOWN"
    pending = client.images.submit("wan2.7-image", "a lamp")
    client.tasks.cancel(pending.task_id)
    assert client.tasks.get(pending.task_id).task_status == "CANCELED"
    with pytest.raises(NotFoundError):
        client.images.submit("my-undeployed-lora", "x")


def test_a_key_of_another_region_is_refused(emulator: Any) -> None:
    settings = ConnectionConfig(api_key="sk-intl-abc", endpoint=emulator.api_url).client_settings()
    with ModelStudioClient(settings) as client, pytest.raises(AuthenticationError) as err:
        client.fine_tunes.list()
    assert "InvalidApiKey" in str(err.value)


def test_empty_ids_are_refused_before_any_request(client: ModelStudioClient) -> None:
    with pytest.raises(ValueError, match="non-empty job_id"):
        client.fine_tunes.get("")
