"""HTTP calls shared by the emulator tests: upload a dataset, train a short job, deploy it."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import httpx
from pulumi_modelstudio.datasets.pack import pack_dataset

REPO = Path(__file__).resolve().parents[2]
AUTH = {"Authorization": "Bearer sk-emulator-tests"}
SHORT = {"generation_type": "t2i", "max_steps": 10, "eval_steps": 10}
STEP_2K = 15.4


def upload_bytes(api: str, name: str, content: bytes) -> str:
    """Upload `content` as `name`; the file id."""
    answer = httpx.post(f"{api}/files", files={"files": (name, content)}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["data"]["uploaded_files"][0]["file_id"])


def upload_dataset(api: str, tmp_path: Path, dataset: str = "product-t2i") -> str:
    """Pack and upload one of the example datasets."""
    packed = pack_dataset(REPO / "stacks" / "datasets" / dataset, tmp_path / f"{dataset}.zip")
    return upload_bytes(api, packed.path.name, packed.path.read_bytes())


def zip_bytes(tmp_path: Path, entries: dict[str, bytes]) -> bytes:
    """A zip holding `entries`."""
    target = tmp_path / "custom.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return target.read_bytes()


def create_job(api: str, file_id: str, **body: Any) -> httpx.Response:
    """POST /fine-tunes with a short Wan t2i run (override any body field)."""
    payload = {"model": "wan2.7-image-pro", "training_file_ids": [file_id], "hyper_parameters": SHORT, **body}
    return httpx.post(f"{api}/fine-tunes", json=payload, headers=AUTH)


def trained_model(emulator: Any, tmp_path: Path) -> str:
    """The `finetuned_output` of a short job that has SUCCEEDED (the clock is advanced past it)."""
    job = create_job(emulator.api_url, upload_dataset(emulator.api_url, tmp_path)).json()["output"]
    emulator.control("clock", "POST", {"advance_seconds": 60 + 10 * STEP_2K + 1})
    return str(job["finetuned_output"])


def deploy(emulator: Any, model: str, **body: Any) -> dict[str, Any]:
    """POST /deployments; the answer's `output`."""
    answer = httpx.post(
        f"{emulator.api_url}/deployments", json={"model_name": model, "capacity": 1, **body}, headers=AUTH
    )
    assert answer.status_code == 200, answer.text
    output: dict[str, Any] = answer.json()["output"]
    return output
