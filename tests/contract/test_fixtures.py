"""Documented response shapes (tests/fixtures) are parsed by the client and produced by the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.errors import ConflictError, make_status_error
from pulumi_modelstudio.wire.deployments import Deployment
from pulumi_modelstudio.wire.files import FileObject, UploadResult
from pulumi_modelstudio.wire.fine_tunes import Checkpoint, FineTuneJob, JobList, ValidationDetails
from pulumi_modelstudio.wire.tasks import Task
from pydantic import BaseModel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPO = FIXTURES.parents[1]
AUTH = {"Authorization": "Bearer sk-fixtures"}


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("name", "model", "key"),
    [
        ("fine_tune_create.json", FineTuneJob, "output"),
        ("fine_tune_succeeded.json", FineTuneJob, "output"),
        ("fine_tune_list.json", JobList, "output"),
        ("validation_details.json", ValidationDetails, "output"),
        ("deployment.json", Deployment, "output"),
        ("upload.json", UploadResult, "data"),
        ("file.json", FileObject, "data"),
        ("task_succeeded.json", Task, "output"),
    ],
)
def test_client_models_parse_documented_answers(name: str, model: type[BaseModel], key: str) -> None:
    parsed = model.model_validate(_load(name)[key])
    assert parsed.model_dump()


def test_documented_details_survive_parsing() -> None:
    job = FineTuneJob.model_validate(_load("fine_tune_create.json")["output"])
    assert job.all_training_file_ids == ["ed5a313b-3fdf-4cc9-a0b0-66664af692e1"]
    assert job.hyper_parameters["learning_rate"] == pytest.approx(3e-5)
    checkpoints = [Checkpoint.model_validate(c) for c in _load("checkpoints.json")["output"]]
    assert checkpoints[0].model_name == "wan2.7-image-pro-ft-202605271743-dd2a-c800"
    assert Task.model_validate(_load("task_succeeded.json")["output"]).image_urls == [
        "https://images.example/xxx.png?Expires=1"
    ]
    assert ValidationDetails.model_validate(_load("validation_details.json")["output"]).items[0].prompt
    error = make_status_error(
        409, _load("error_conflict.json"), method="POST", url="/api/v1/deployments", request_id=None
    )
    assert isinstance(error, ConflictError)
    assert error.request_id == "r-409"


def _keys(value: Any) -> set[str]:
    return set(value) if isinstance(value, dict) else set()


def test_the_emulator_answers_with_every_documented_key(emulator: Any, tmp_path: Path) -> None:
    emulator.control("clock", "POST", {"speed": 0})
    api = emulator.api_url
    packed = pack_dataset(REPO / "stacks" / "datasets" / "product-t2i", tmp_path / "t.zip")
    with packed.path.open("rb") as stream:
        upload = httpx.post(f"{api}/files", files={"files": ("t.zip", stream)}, headers=AUTH).json()
    assert _keys(upload["data"]) >= _keys(_load("upload.json")["data"])
    file_id = upload["data"]["uploaded_files"][0]["file_id"]
    assert _keys(httpx.get(f"{api}/files/{file_id}", headers=AUTH).json()["data"]) >= _keys(_load("file.json")["data"])
    body = {
        "model": "wan2.7-image-pro",
        "training_file_ids": [file_id],
        "hyper_parameters": {"generation_type": "t2i", "max_steps": 800},
    }
    created = httpx.post(f"{api}/fine-tunes", json=body, headers=AUTH).json()["output"]
    assert _keys(created) >= _keys(_load("fine_tune_create.json")["output"])
    emulator.control("clock", "POST", {"advance_seconds": 60 + 800 * 15.4 + 1})
    job = httpx.get(f"{api}/fine-tunes/{created['job_id']}", headers=AUTH).json()["output"]
    assert _keys(job) >= _keys(_load("fine_tune_succeeded.json")["output"])
    checkpoint = httpx.get(f"{api}/fine-tunes/{job['job_id']}/checkpoints", headers=AUTH).json()["output"][0]
    assert _keys(checkpoint) >= _keys(_load("checkpoints.json")["output"][1])
    deployment = httpx.post(
        f"{api}/deployments", json={"model_name": job["finetuned_output"], "capacity": 1}, headers=AUTH
    ).json()["output"]
    assert _keys(deployment) >= _keys(_load("deployment.json")["output"])
    conflict = httpx.post(
        f"{api}/deployments", json={"model_name": job["finetuned_output"], "capacity": 1}, headers=AUTH
    )
    assert conflict.status_code == 409
    assert _keys(conflict.json()) == _keys(_load("error_conflict.json"))
