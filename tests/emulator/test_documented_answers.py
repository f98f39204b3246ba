"""Answers the reference documents: file not found, LoRA scaling, hyper-parameters, dataset rules, 405."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.emulator.api_calls import AUTH, REPO, SHORT, create_job, deploy, trained_model, upload_bytes, zip_bytes
from tests.guide_request import GUIDE_REQUEST

PNG = (REPO / "stacks/datasets/product-t2i/1_0.png").read_bytes()


@pytest.fixture
def frozen(emulator: Any) -> Any:
    emulator.control("clock", "POST", {"speed": 0})
    return emulator


def _image(kind: str, size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(out, format=kind)
    return out.getvalue()


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_an_unknown_or_deleted_file_is_400_file_not_found(emulator: Any, method: str) -> None:
    file_id = upload_bytes(emulator.api_url, "a.jsonl", b'{"prompt": "p"}\n')
    assert httpx.delete(f"{emulator.api_url}/files/{file_id}", headers=AUTH).status_code == 200
    for ident in (file_id, "no-such-file"):
        answer = httpx.request(method, f"{emulator.api_url}/files/{ident}", headers=AUTH)
        assert answer.status_code == 400
        assert {k: answer.json()[k] for k in ("code", "message")} == {
            "code": "InvalidParameter",
            "message": "File not found.",
        }


def test_a_lora_deployment_is_not_scaled_and_carries_no_capacity(frozen: Any, tmp_path: Path) -> None:
    model = trained_model(frozen, tmp_path)
    lora = deploy(frozen, model, capacity=3, plan="lora")
    assert "capacity" not in lora
    refused = httpx.put(
        f"{frozen.api_url}/deployments/{lora['deployed_model']}/scale", json={"capacity": 2}, headers=AUTH
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "UnsupportedOperation")
    assert "console" in refused.json()["message"]
    model_unit = deploy(frozen, model, plan="mu", suffix="mu")
    scaled = httpx.put(
        f"{frozen.api_url}/deployments/{model_unit['deployed_model']}/scale", json={"capacity": 2}, headers=AUTH
    )
    assert (scaled.json()["output"]["status"], scaled.json()["output"]["capacity"]) == ("UPDATING", 2)


def test_the_guides_hyper_parameters_are_accepted_with_lora_alpha(frozen: Any, tmp_path: Path) -> None:
    file_id = upload_bytes(
        frozen.api_url, "t.zip", zip_bytes(tmp_path, {"data.jsonl": b'{"prompt":"p","img_path":"a.png"}', "a.png": PNG})
    )
    created = create_job(frozen.api_url, file_id, training_type="efficient_sft", hyper_parameters=GUIDE_REQUEST)
    assert created.status_code == 200, created.text
    assert created.json()["output"]["hyper_parameters"]["lora_alpha"] == 32
    defaults = create_job(frozen.api_url, file_id).json()["output"]["hyper_parameters"]
    assert defaults["lora_alpha"] == 32


@pytest.mark.parametrize(
    ("changes", "accepted"),
    [
        ({"lora_rank": 256}, True),  # the Wan table asks only for a power of two
        ({"lora_rank": 4}, True),
        ({"save_total_limit": 100}, True),  # no upper limit in the Wan table
        ({"max_pixels": "1k", "val_img_size": "2k", "max_token_length": "2k"}, True),  # equal is advice
        ({"lora_alpha": 48}, False),
        ({"lora_alpha": "32"}, False),
        ({"lora_rank": 48}, False),
        ({"eval_steps": -1}, False),
        ({"weight_decay": "heavy"}, False),
        ({"n_epochs": 3}, False),
    ],
)
def test_wan_hyper_parameter_rules(frozen: Any, tmp_path: Path, changes: dict[str, Any], accepted: bool) -> None:
    file_id = upload_bytes(
        frozen.api_url, "t.zip", zip_bytes(tmp_path, {"data.jsonl": b'{"prompt":"p","img_path":"a.png"}', "a.png": PNG})
    )
    answer = create_job(frozen.api_url, file_id, hyper_parameters={**SHORT, **changes})
    assert (answer.status_code == 200) is accepted, answer.text
    if not accepted:
        assert answer.json()["code"] == "InvalidParameter"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"big.png": _image("PNG", (4097, 16))}, "big.png: image is 4097x16 px, larger than the 4096x4096 limit"),
        ({"anim.gif": _image("GIF")}, "anim.gif: GIF images are not supported"),
        ({"a b.png": PNG}, "a b.png: file names may use only English letters"),
        ({"图片.png": PNG}, "图片.png: file names may use only English letters"),
        ({"gif_as.png": _image("GIF")}, "gif_as.png: GIF images are not supported"),
    ],
)
def test_a_zip_the_service_rejects_ends_the_job_failed(
    frozen: Any, tmp_path: Path, entries: dict[str, bytes], message: str
) -> None:
    name = next(iter(entries))
    lines = f'{{"prompt": "s86b5p, a mug", "img_path": "./{name}"}}\n'.encode()
    file_id = upload_bytes(frozen.api_url, "bad.zip", zip_bytes(tmp_path, {"data.jsonl": lines, **entries}))
    job = create_job(frozen.api_url, file_id).json()["output"]
    assert job["status"] == "PENDING"
    frozen.control("clock", "POST", {"advance_seconds": 61})
    failed = httpx.get(f"{frozen.api_url}/fine-tunes/{job['job_id']}", headers=AUTH).json()["output"]
    assert (failed["status"], failed["code"]) == ("FAILED", "InvalidDataset")
    assert failed["message"].startswith(message)
    assert "end_time" in failed


def test_a_json_array_data_file_is_rejected(frozen: Any, tmp_path: Path) -> None:
    lines = b'[{"prompt": "p", "img_path": "a.png"}]'
    file_id = upload_bytes(frozen.api_url, "arr.zip", zip_bytes(tmp_path, {"data.jsonl": lines, "a.png": PNG}))
    job_id = create_job(frozen.api_url, file_id).json()["output"]["job_id"]
    frozen.control("clock", "POST", {"advance_seconds": 61})
    failed = httpx.get(f"{frozen.api_url}/fine-tunes/{job_id}", headers=AUTH).json()["output"]
    assert "not a JSON array" in failed["message"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "fine-tunes", "GET, POST"),
        ("POST", "fine-tunes/ft-x", "DELETE, GET"),
        ("GET", "deployments/d/scale", "PUT"),
        ("PATCH", "files/f", "DELETE, GET"),
    ],
)
def test_a_wrong_method_is_405(emulator: Any, method: str, path: str, allowed: str) -> None:
    answer = httpx.request(method, f"{emulator.api_url}/{path}", headers=AUTH)
    assert answer.status_code == 405
    assert answer.json()["code"] == "MethodNotAllowed"
    assert set(answer.headers["Allow"].split(", ")) >= set(allowed.split(", "))
    assert answer.json()["request_id"] == answer.headers["X-Request-ID"]


def test_an_unknown_path_is_404(emulator: Any) -> None:
    answer = httpx.get(f"{emulator.api_url}/no-such-area", headers=AUTH)
    assert (answer.status_code, answer.json()["code"]) == (404, "NotFound")
