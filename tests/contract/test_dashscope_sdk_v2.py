"""The dashscope 2.x `Client` (the installed package) works against the emulator: files, fine-tunes, deployments,
images and tasks, in every compatibility reading."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dashscope
import httpx
import pytest
from dashscope.v2.errors import BadRequestError, NotFoundError
from pulumi_modelstudio.datasets.pack import pack_dataset

REPO = Path(__file__).resolve().parents[2]
KEY = "sk-sdk-v2"
HP = {"generation_type": "t2i", "max_steps": 100, "eval_steps": 50, "lora_rank": 32, "lora_alpha": 32}
TRAIN_S = 60 + 100 * 15.4 + 1


@pytest.fixture
def client(emulator: Any) -> Iterator[Any]:
    emulator.control("clock", "POST", {"speed": 0})
    client: Any = dashscope.Client(api_key=KEY, base_url=emulator.api_url, max_retries=0)
    yield client
    client.close()


def _zip(client: Any, tmp_path: Path) -> str:
    packed = pack_dataset(REPO / "stacks" / "datasets" / "product-t2i", tmp_path / "train.zip")
    # A zip needs a purpose other than the SDK's fine-tune default, which checks the file is JSON Lines.
    return str(client.files.upload(file_path=str(packed.path), purpose="inference").file_id)


def _trained(client: Any, emulator: Any, tmp_path: Path) -> str:
    job = client.fine_tunes.create(
        model="wan2.7-image-pro", training_file_ids=_zip(client, tmp_path), hyper_parameters=HP
    )
    emulator.control("clock", "POST", {"advance_seconds": TRAIN_S})
    return str(client.fine_tunes.wait(job.job_id).finetuned_model)


@pytest.mark.parametrize("emulator_compat", ["default", "strict"])
def test_files(client: Any, tmp_path: Path) -> None:
    lines = tmp_path / "data.jsonl"
    lines.write_text('{"prompt": "s86b5p, a mug", "img_path": "./1.png"}\n', encoding="utf-8")
    uploaded = client.files.upload(file_path=str(lines), description="jsonl")
    assert client.files.get(uploaded.file_id).name == "data.jsonl"
    assert [f.file_id for f in client.files.list().files] == [uploaded.file_id]
    client.files.delete(uploaded.file_id)
    with pytest.raises(NotFoundError) as gone:  # the SDK reads 400 "File not found." as not found
        client.files.get(uploaded.file_id)
    assert gone.value.status_code == 400


@pytest.mark.parametrize("emulator_compat", ["default", "strict"])
def test_fine_tunes(client: Any, emulator: Any, tmp_path: Path, emulator_compat: str) -> None:
    file_id = _zip(client, tmp_path)
    job = client.fine_tunes.create(
        model="wan2.7-image-pro", training_file_ids=file_id, mode="efficient_sft", hyper_parameters=HP
    )
    assert job.status == "PENDING"
    assert client.fine_tunes.get(job.job_id).job_id == job.job_id
    assert client.fine_tunes.list().total_count == 1
    emulator.control("clock", "POST", {"speed": 5000})
    events = list(client.fine_tunes.stream_events(job.job_id))
    assert events[-1].output["status"] == "SUCCEEDED"
    emulator.control("clock", "POST", {"speed": 0})
    done = client.fine_tunes.wait(job.job_id)
    assert done.succeeded
    assert done.usage.total_tokens == 100 * 10 * 23220
    assert done.finetuned_model.startswith("wan2.7-image-pro-ft-")
    assert client.fine_tunes.logs(job.job_id, offset=0).content.endswith("##FT_COMPLETE##")
    other = client.fine_tunes.create(  # `finetuned_model` is sent as `model_name`
        model="wan2.7-image", training_file_ids=[file_id], hyper_parameters=HP, finetuned_model="my-output"
    )
    assert client.fine_tunes.cancel(other.job_id).status == "success"
    emulator.control("clock", "POST", {"advance_seconds": 11})
    if emulator_compat == "default":
        assert client.fine_tunes.delete(other.job_id).status == "success"
    else:
        with pytest.raises(BadRequestError, match="can not be deleted"):
            client.fine_tunes.delete(other.job_id)


@pytest.mark.parametrize("emulator_compat", ["default", "strict"])
def test_deployments(client: Any, emulator: Any, tmp_path: Path) -> None:
    model = _trained(client, emulator, tmp_path)
    created = client.deployments.create(model=model, capacity=1, plan="lora")
    assert (created.model, created.status) == (model, "PENDING")
    emulator.control("clock", "POST", {"speed": 200})
    events = list(client.deployments.stream_events(created.deployed_model))
    assert events[-1].output["status"] == "RUNNING"
    emulator.control("clock", "POST", {"speed": 0})
    assert client.deployments.get(created.deployed_model).status == "RUNNING"
    assert client.deployments.list().total_count == 1
    with pytest.raises(BadRequestError, match="console"):  # LoRA deployments are scaled in the console only
        client.deployments.scale(created.deployed_model, capacity=2)
    unit = client.deployments.create(model=model, capacity=1, suffix="mu", plan="mu")
    scaled = client.deployments.scale(unit.deployed_model, capacity=2)
    assert (scaled.capacity, scaled.status) == (2, "UPDATING")
    assert client.deployments.delete(unit.deployed_model).status == "DELETING"
    emulator.control("clock", "POST", {"advance_seconds": 21})
    with pytest.raises(NotFoundError):
        client.deployments.get(unit.deployed_model)


def test_images_of_a_deployed_lora_and_of_base_models(client: Any, emulator: Any, tmp_path: Path) -> None:
    model = _trained(client, emulator, tmp_path)
    deployed = client.deployments.create(model=model, capacity=1, plan="lora").deployed_model
    emulator.control("clock", "POST", {"advance_seconds": 301})
    emulator.control("clock", "POST", {"speed": 1000})
    for name in (deployed, "wan2.7-image-pro"):  # the legacy text2image protocol, polled until done
        job = client.images.generate(model=name, prompt="s86b5p, a mug", n=2, size="1024*1024", poll_interval=0.05)
        assert job.succeeded
        assert [httpx.get(url).content[:4] for url in job.image_urls] == [b"\x89PNG"] * 2
    one_shot = client.images.generate(model="wan2.6-image", prompt="a lamp", size="1K")  # multimodal, synchronous
    assert one_shot.succeeded
    assert one_shot.usage.size == "1024*1024"
    emulator.control("clock", "POST", {"speed": 0})
    pending = client.images.jobs.create(model=deployed, prompt="a cup")
    assert client.images.jobs.fetch(pending.task_id).status == "PENDING"
    client.images.jobs.cancel(pending.task_id)
    assert client.images.jobs.fetch(pending.task_id).status == "CANCELED"
    assert client.images.jobs.list(model_name=deployed).total == 2  # entries are under `data`, as observed
    unknown = client.images.jobs.fetch("no-such-task")
    assert unknown.status == "UNKNOWN"
