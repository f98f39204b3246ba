"""The emulator over HTTP: envelope, statuses in simulated time, quotas, auth, workspaces, faults, restarts."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from modelstudio_emulator import EmulatorServer
from pulumi_modelstudio.datasets.pack import pack_dataset

REPO = Path(__file__).resolve().parents[2]
AUTH = {"Authorization": "Bearer sk-emulator-tests"}
HP = {"generation_type": "t2i", "max_steps": 100, "eval_steps": 50}


def _upload(api: str, tmp_path: Path, dataset: str = "product-t2i", headers: dict[str, str] | None = None) -> str:
    packed = pack_dataset(REPO / "stacks" / "datasets" / dataset, tmp_path / f"{dataset}.zip")
    with packed.path.open("rb") as stream:
        answer = httpx.post(f"{api}/files", files={"files": (packed.path.name, stream)}, headers=headers or AUTH)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["data"]["uploaded_files"][0]["file_id"])


def _job(api: str, file_id: str, headers: dict[str, str] | None = None, **hp: Any) -> httpx.Response:
    body = {"model": "wan2.7-image-pro", "training_file_ids": [file_id], "hyper_parameters": {**HP, **hp}}
    return httpx.post(f"{api}/fine-tunes", json=body, headers=headers or AUTH)


def _status(api: str, job_id: str) -> str:
    return str(httpx.get(f"{api}/fine-tunes/{job_id}", headers=AUTH).json()["output"]["status"])


@pytest.fixture
def frozen(emulator: Any) -> Any:
    emulator.control("clock", "POST", {"speed": 0})
    return emulator


def test_envelope_and_request_id_header(frozen: Any, tmp_path: Path) -> None:
    answer = _job(frozen.api_url, _upload(frozen.api_url, tmp_path))
    body = answer.json()
    assert set(body) == {"request_id", "output"}
    assert answer.headers["X-Request-ID"] == body["request_id"]
    error = httpx.get(f"{frozen.api_url}/fine-tunes/ft-nope", headers=AUTH)
    assert error.status_code == 404
    assert set(error.json()) == {"request_id", "code", "message"}
    assert error.json()["code"] == "NotFound"


def test_one_job_trains_at_a_time_and_the_next_queues(frozen: Any, tmp_path: Path) -> None:
    file_id = _upload(frozen.api_url, tmp_path)
    first = _job(frozen.api_url, file_id).json()["output"]["job_id"]
    second = _job(frozen.api_url, file_id).json()["output"]["job_id"]
    assert [_status(frozen.api_url, j) for j in (first, second)] == ["PENDING", "PENDING"]
    frozen.control("clock", "POST", {"advance_seconds": 61})
    assert [_status(frozen.api_url, j) for j in (first, second)] == ["RUNNING", "QUEUING"]
    frozen.control("clock", "POST", {"advance_seconds": 100 * 15.4})
    assert [_status(frozen.api_url, j) for j in (first, second)] == ["SUCCEEDED", "RUNNING"]


def test_past_20_running_or_succeeded_jobs_is_429(frozen: Any, tmp_path: Path) -> None:
    file_id = _upload(frozen.api_url, tmp_path)
    for _ in range(20):
        assert _job(frozen.api_url, file_id).status_code == 200
    frozen.control("clock", "POST", {"advance_seconds": 10**6})
    refused = _job(frozen.api_url, file_id)
    assert refused.status_code == 429
    assert refused.json()["code"] == "Throttling"
    assert "Only 20 fine-tune job" in refused.json()["message"]


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "No API-key provided."),
        ({"Authorization": "Bearer not-a-key"}, "Invalid API-key provided."),
        ({"Authorization": "Bearer sk-intl-singapore-key"}, "Invalid API-key provided."),
    ],
)
def test_bad_keys_are_401(emulator: Any, headers: dict[str, str], message: str) -> None:
    answer = httpx.get(f"{emulator.api_url}/fine-tunes", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["code"] == "InvalidApiKey"
    assert answer.json()["message"] == message


def test_workspaces_are_isolated(frozen: Any, tmp_path: Path) -> None:
    ws_a = {**AUTH, "X-DashScope-WorkSpace": "llm-a"}
    ws_b = {**AUTH, "X-DashScope-WorkSpace": "llm-b"}
    job_id = _job(frozen.api_url, _upload(frozen.api_url, tmp_path, headers=ws_a), headers=ws_a).json()["output"][
        "job_id"
    ]
    assert httpx.get(f"{frozen.api_url}/fine-tunes/{job_id}", headers=ws_a).status_code == 200
    assert httpx.get(f"{frozen.api_url}/fine-tunes/{job_id}", headers=ws_b).status_code == 404


def test_bad_dataset_fails_the_job_naming_file_and_line(frozen: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    import zipfile

    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr(
            "data.jsonl", '{"prompt": "p", "img_path": "./1.png"}\n{"prompt": "q", "img_path": "./2.png"}\n'
        )
        archive.writestr("1.png", (REPO / "stacks/datasets/product-t2i/1_0.png").read_bytes())
    with broken.open("rb") as stream:
        file_id = httpx.post(f"{frozen.api_url}/files", files={"files": ("b.zip", stream)}, headers=AUTH).json()
    job_id = _job(frozen.api_url, file_id["data"]["uploaded_files"][0]["file_id"]).json()["output"]["job_id"]
    frozen.control("clock", "POST", {"advance_seconds": 61})
    job = httpx.get(f"{frozen.api_url}/fine-tunes/{job_id}", headers=AUTH).json()["output"]
    assert (job["status"], job["code"]) == ("FAILED", "InvalidDataset")
    assert "data.jsonl line 2" in job["message"]


def test_bad_hyper_parameters_and_models_are_rejected(frozen: Any, tmp_path: Path) -> None:
    file_id = _upload(frozen.api_url, tmp_path)
    rank = _job(frozen.api_url, file_id, lora_rank=48)
    assert (rank.status_code, rank.json()["code"]) == (400, "InvalidParameter")
    body: dict[str, Any] = {"model": "wan9", "training_file_ids": [file_id], "training_type": "efficient_sft"}
    assert httpx.post(f"{frozen.api_url}/fine-tunes", json=body, headers=AUTH).status_code == 404
    body = {
        "model": "wan2.7-image-pro",
        "training_file_ids": [file_id],
        "training_type": "full_sft",
        "hyper_parameters": HP,
    }
    assert "does not support training_type" in httpx.post(f"{frozen.api_url}/fine-tunes", json=body, headers=AUTH).text
    missing = _job(frozen.api_url, "no-such-file")
    assert (missing.status_code, missing.json()["code"]) == (400, "InvalidParameter")


def test_image_generation_needs_the_async_header_and_sync_works(emulator: Any) -> None:
    body = {"model": "wan2.7-image", "input": {"messages": [{"role": "user", "content": [{"text": "a cat"}]}]}}
    url = f"{emulator.api_url}/services/aigc/image-generation/generation"
    denied = httpx.post(url, json=body, headers=AUTH)
    assert (denied.status_code, denied.json()["code"]) == (403, "AccessDenied")
    sync = httpx.post(f"{emulator.api_url}/services/aigc/multimodal-generation/generation", json=body, headers=AUTH)
    image = sync.json()["output"]["choices"][0]["message"]["content"][0]["image"]
    assert httpx.get(image).content.startswith(b"\x89PNG")


def test_event_stream_ends_at_a_terminal_status(emulator: Any, tmp_path: Path) -> None:
    job_id = _job(emulator.api_url, _upload(emulator.api_url, tmp_path)).json()["output"]["job_id"]
    with httpx.stream("GET", f"{emulator.api_url}/fine-tunes/{job_id}/stream", headers=AUTH, timeout=30) as stream:
        events = [line for line in stream.iter_lines() if line.startswith("data:")]
    assert '"status": "SUCCEEDED"' in events[-1]


@pytest.mark.parametrize(("when", "created"), [("before", 0), ("after", 1)])
def test_status_faults_before_and_after_the_request_is_applied(
    frozen: Any, tmp_path: Path, when: str, created: int
) -> None:
    file_id = _upload(frozen.api_url, tmp_path)
    frozen.control("faults", "POST", {"kind": "status", "status": 500, "path": "fine-tunes$", "count": 1, "when": when})
    assert _job(frozen.api_url, file_id).status_code == 500
    assert len(frozen.control("resources")["jobs"]) == created
    log = frozen.control("requests")
    assert log[-1]["fault"] == "status:500"


def test_reset_latency_rate_and_count(emulator: Any) -> None:
    emulator.control("faults", "POST", {"kind": "reset", "count": 1, "path": "fine-tunes"})
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{emulator.api_url}/fine-tunes", headers=AUTH)
    assert httpx.get(f"{emulator.api_url}/fine-tunes", headers=AUTH).status_code == 200  # count exhausted
    emulator.control("faults", "POST", {"kind": "latency", "latency_ms": 300, "count": 1, "path": "deployments"})
    start = time.monotonic()
    httpx.get(f"{emulator.api_url}/deployments", headers=AUTH)
    assert time.monotonic() - start >= 0.3
    emulator.control("faults", "DELETE")
    rule = {"kind": "status", "status": 503, "rate": 0.5, "seed": 11, "path": "files"}

    def pattern() -> list[int]:
        emulator.control("faults", "DELETE")
        emulator.control("faults", "POST", rule)
        return [httpx.get(f"{emulator.api_url}/files", headers=AUTH).status_code for _ in range(20)]

    first = pattern()
    assert first == pattern()  # seeded: reproducible
    assert 0 < first.count(503) < 20
    assert emulator.control("faults")[0]["hits"] == first.count(503)


def test_restart_on_the_same_data_keeps_a_job_mid_training(tmp_path: Path) -> None:
    data = tmp_path / "state"
    with EmulatorServer(data_dir=data, speed=0) as server:
        file_id = _upload(server.api_url, tmp_path)
        job_id = _job(server.api_url, file_id).json()["output"]["job_id"]
        server.backend.advance(61 + 50 * 15.4)
        assert _status(server.api_url, job_id) == "RUNNING"
    with EmulatorServer(data_dir=data, speed=0) as server:
        assert _status(server.api_url, job_id) == "RUNNING"
        assert httpx.get(f"{server.api_url}/files/{file_id}", headers=AUTH).status_code == 200
        server.backend.advance(60 * 15.4)
        assert _status(server.api_url, job_id) == "SUCCEEDED"


def test_command_line_prints_its_url_and_stops_on_sigterm(tmp_path: Path) -> None:
    url_file = tmp_path / "url"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "modelstudio_emulator",
            "--port",
            "0",
            "--data",
            str(tmp_path / "d"),
            "--url-file",
            str(url_file),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("emulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[-1]
        assert url_file.read_text() == url
        assert httpx.get(f"{url}/_emulator/health").json()["ok"] is True
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
    assert code == 0
