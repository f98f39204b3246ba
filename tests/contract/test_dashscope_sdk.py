"""The official `dashscope` SDK, unchanged, works against the emulator (fine-tunes, deployments, files)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dashscope
import httpx
import pytest

from provider.datasets.pack import pack_dataset

REPO = Path(__file__).resolve().parents[2]
KEY = "sk-sdk-contract"
# The SDK's own type stubs lag its runtime API; the contract is checked at run time.
Files: Any = dashscope.Files
FineTunes: Any = dashscope.FineTunes
Deployments: Any = dashscope.Deployments


@pytest.fixture
def sdk(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr(dashscope, "base_http_api_url", emulator.api_url)
    monkeypatch.setattr(dashscope, "api_key", KEY)
    emulator.control("clock", "POST", {"speed": 0})
    yield emulator


def _zip_file_id(emulator: Any, tmp_path: Path) -> str:
    packed = pack_dataset(REPO / "stacks" / "datasets" / "product-t2i", tmp_path / "train.zip")
    with packed.path.open("rb") as stream:
        answer = httpx.post(
            f"{emulator.api_url}/files",
            files={"files": ("train.zip", stream)},
            data={"purpose": "fine-tune"},
            headers={"Authorization": f"Bearer {KEY}"},
        )
    return str(answer.json()["data"]["uploaded_files"][0]["file_id"])


def test_files_upload_get_list_delete(sdk: Any, tmp_path: Path) -> None:
    lines = tmp_path / "data.jsonl"
    lines.write_text('{"prompt": "s86b5p, a mug", "img_path": "./1.png"}\n', encoding="utf-8")
    uploaded = Files.upload(file_path=str(lines), description="contract")
    assert uploaded.status_code == 200, uploaded
    file_id = uploaded.output["uploaded_files"][0]["file_id"]
    got = Files.get(file_id)
    assert got.status_code == 200
    assert got.output["name"] == "data.jsonl"
    listed = Files.list()
    assert listed.status_code == 200
    assert [f["file_id"] for f in listed.output["files"]] == [file_id]
    assert Files.delete(file_id).status_code == 200
    gone = Files.get(file_id)
    assert (gone.status_code, gone.code, gone.message) == (400, "InvalidParameter", "File not found.")


def test_fine_tunes_call_get_list_logs_cancel_delete(sdk: Any, tmp_path: Path) -> None:
    file_id = _zip_file_id(sdk, tmp_path)
    created = FineTunes.call(
        model="wan2.7-image-pro",
        training_file_ids=file_id,
        mode="efficient_sft",
        hyper_parameters={"generation_type": "t2i", "max_steps": 100},
    )
    assert created.status_code == 200, created
    job_id = created.output["job_id"]
    assert created.output["status"] == "PENDING"
    assert FineTunes.get(job_id).output["job_id"] == job_id
    assert FineTunes.list().output["total"] == 1
    sdk.control("clock", "POST", {"advance_seconds": 100})
    assert FineTunes.get(job_id).output["status"] == "RUNNING"
    assert FineTunes.logs(job_id).status_code == 200
    assert FineTunes.cancel(job_id).output["status"] == "success"
    sdk.control("clock", "POST", {"advance_seconds": 11})
    assert FineTunes.get(job_id).output["status"] == "CANCELED"
    assert FineTunes.delete(job_id).output["status"] == "success"
    assert FineTunes.get(job_id).status_code == 404


def test_deployments_call_get_list_scale_delete(sdk: Any, tmp_path: Path) -> None:
    file_id = _zip_file_id(sdk, tmp_path)
    job = FineTunes.call(
        model="wan2.7-image", training_file_ids=[file_id], hyper_parameters={"generation_type": "t2i", "max_steps": 50}
    )
    sdk.control("clock", "POST", {"advance_seconds": 60 + 50 * 15.4 + 1})
    model = FineTunes.get(job.output["job_id"]).output["finetuned_output"]
    created = Deployments.call(model=model, capacity=1)  # the SDK sends no plan; lora is the default
    assert created.status_code == 200, created
    deployed = created.output["deployed_model"]
    sdk.control("clock", "POST", {"advance_seconds": 301})
    assert Deployments.get(deployed).output["status"] == "RUNNING"
    assert Deployments.list().output["total"] == 1
    assert Deployments.scale(deployed, 2).code == "UnsupportedOperation"  # LoRA: scaled in the console only
    assert Deployments.delete(deployed).status_code == 200
    sdk.control("clock", "POST", {"advance_seconds": 61})
    assert Deployments.get(deployed).status_code == 404
