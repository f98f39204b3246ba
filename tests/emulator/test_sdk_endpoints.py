"""Endpoints the official SDK uses: task list, deployment events, deployable models, legacy synthesis, usage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.emulator.api_calls import AUTH, create_job, deploy, trained_model, upload_dataset

ASYNC = {**AUTH, "X-DashScope-Async": "enable"}


def _messages(prompt: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": [{"text": prompt}]}]}


@pytest.fixture
def frozen(emulator: Any) -> Any:
    emulator.control("clock", "POST", {"speed": 0})
    return emulator


@pytest.mark.parametrize(("size", "reported"), [(None, "2048*2048"), ("1K", "1024*1024"), ("1536*1024", "1536*1024")])
def test_usage_size_is_width_times_height(frozen: Any, size: str | None, reported: str) -> None:
    parameters = {"size": size} if size else {}
    body = {"model": "wan2.7-image-pro", "input": _messages("a mug"), "parameters": parameters}
    sync = httpx.post(f"{frozen.api_url}/services/aigc/multimodal-generation/generation", json=body, headers=AUTH)
    assert sync.json()["usage"]["size"] == reported
    task = httpx.post(f"{frozen.api_url}/services/aigc/image-generation/generation", json=body, headers=ASYNC)
    task_id = task.json()["output"]["task_id"]
    frozen.control("clock", "POST", {"advance_seconds": 21})
    done = httpx.get(f"{frozen.api_url}/tasks/{task_id}", headers=AUTH).json()
    assert done["output"]["task_status"] == "SUCCEEDED"
    assert done["usage"]["size"] == reported
    assert done["usage"]["image_count"] == 1


def test_legacy_image_synthesis_is_async_and_answers_results(frozen: Any) -> None:
    body = {"model": "wan2.7-image", "input": {"prompt": "a lamp"}, "parameters": {"n": 2, "size": "1024*1024"}}
    url = f"{frozen.api_url}/services/aigc/text2image/image-synthesis"
    denied = httpx.post(url, json=body, headers=AUTH)
    assert (denied.status_code, denied.json()["code"]) == (403, "AccessDenied")
    task_id = httpx.post(url, json=body, headers=ASYNC).json()["output"]["task_id"]
    running = httpx.get(f"{frozen.api_url}/tasks/{task_id}", headers=AUTH).json()["output"]
    assert running["task_metrics"] == {"TOTAL": 2, "SUCCEEDED": 0, "FAILED": 0}
    frozen.control("clock", "POST", {"advance_seconds": 21})
    done = httpx.get(f"{frozen.api_url}/tasks/{task_id}", headers=AUTH).json()
    assert [httpx.get(r["url"]).content[:4] for r in done["output"]["results"]] == [b"\x89PNG"] * 2
    assert done["usage"] == {"image_count": 2}
    missing = httpx.post(url, json={"model": "wan2.7-image", "input": {}}, headers=ASYNC)
    assert (missing.status_code, missing.json()["code"]) == (400, "InvalidParameter")


def test_task_list_is_not_wrapped_and_filters(frozen: Any) -> None:
    for model in ("wan2.7-image", "wan2.7-image-pro"):
        body = {"model": model, "input": _messages("x")}
        httpx.post(f"{frozen.api_url}/services/aigc/image-generation/generation", json=body, headers=ASYNC)
    listed = httpx.get(f"{frozen.api_url}/tasks", headers=AUTH).json()
    assert set(listed) == {"request_id", "total", "data", "total_page", "page_no", "page_size"}
    assert listed["total"] == 2
    assert {"task_id", "status", "model_name", "gmt_create", "start_time", "region"} <= set(listed["data"][0])
    assert isinstance(listed["data"][0]["gmt_create"], int)
    only = httpx.get(f"{frozen.api_url}/tasks", params={"model_name": "wan2.7-image"}, headers=AUTH).json()
    assert [t["model_name"] for t in only["data"]] == ["wan2.7-image"]
    pending = httpx.get(f"{frozen.api_url}/tasks", params={"status": "SUCCEEDED"}, headers=AUTH).json()
    assert pending["total"] == 0
    later = httpx.get(f"{frozen.api_url}/tasks", params={"start_time": "20990101000000"}, headers=AUTH).json()
    assert later["total"] == 0


def test_deployable_models(frozen: Any, tmp_path: Path) -> None:
    model = trained_model(frozen, tmp_path)
    custom = httpx.get(f"{frozen.api_url}/deployments/models", params={"model_source": "custom"}, headers=AUTH)
    assert custom.json()["output"]["models"] == [{"model_name": model, "plans": [{"plan": "lora"}]}]
    base = httpx.get(f"{frozen.api_url}/deployments/models", headers=AUTH).json()["output"]
    assert "wan2.7-image-pro" in [m["model_name"] for m in base["models"]]


def test_deployment_events_stream_until_running(emulator: Any, tmp_path: Path) -> None:
    emulator.control("clock", "POST", {"speed": 0})
    deployed = deploy(emulator, trained_model(emulator, tmp_path))["deployed_model"]
    emulator.control("clock", "POST", {"speed": 200})  # RUNNING after 1.5 s
    url = f"{emulator.api_url}/deployments/{deployed}/stream"
    with httpx.stream("GET", url, headers=AUTH, timeout=30) as stream:
        events = [json.loads(line[5:]) for line in stream.iter_lines() if line.startswith("data:")]
    assert [e["status"] for e in events] == ["PENDING", "RUNNING"]
    assert httpx.get(f"{emulator.api_url}/deployments/nope/stream", headers=AUTH).status_code == 404


@pytest.mark.parametrize("status", ["ARREARS_DOWN", "OFFLINING", "STOPPED", "FAILED", "UPDATING_FAILED"])
def test_control_holds_a_deployment_in_a_status(frozen: Any, tmp_path: Path, status: str) -> None:
    deployed = deploy(frozen, trained_model(frozen, tmp_path))["deployed_model"]
    frozen.control("clock", "POST", {"advance_seconds": 301})
    held = frozen.control(f"deployments/{deployed}/status", "POST", {"status": status})
    assert held["status"] == status
    assert httpx.get(f"{frozen.api_url}/deployments/{deployed}", headers=AUTH).json()["output"]["status"] == status
    body = {"model": deployed, "input": _messages("x")}
    refused = httpx.post(f"{frozen.api_url}/services/aigc/image-generation/generation", json=body, headers=ASYNC)
    assert refused.status_code == 404  # only a RUNNING deployment serves
    frozen.control(f"deployments/{deployed}/status", "POST", {"status": None})
    assert httpx.get(f"{frozen.api_url}/deployments/{deployed}", headers=AUTH).json()["output"]["status"] == "RUNNING"


def test_a_held_status_can_expire_and_bad_statuses_are_refused(frozen: Any, tmp_path: Path) -> None:
    deployed = deploy(frozen, trained_model(frozen, tmp_path))["deployed_model"]
    frozen.control("clock", "POST", {"advance_seconds": 301})
    frozen.control(f"deployments/{deployed}/status", "POST", {"status": "ARREARS_RECOVERING", "seconds": 60})
    assert httpx.get(f"{frozen.api_url}/deployments/{deployed}", headers=AUTH).json()["output"]["status"] == (
        "ARREARS_RECOVERING"
    )
    frozen.control("clock", "POST", {"advance_seconds": 61})
    assert httpx.get(f"{frozen.api_url}/deployments/{deployed}", headers=AUTH).json()["output"]["status"] == "RUNNING"
    bad = httpx.post(f"{frozen.url}/_emulator/deployments/{deployed}/status", json={"status": "SLEEPING"})
    assert bad.status_code == 400
    gone = httpx.post(f"{frozen.url}/_emulator/deployments/nope/status", json={"status": "STOPPED"})
    assert gone.status_code == 404


def test_a_job_in_its_data_check_can_be_made_to_fail(frozen: Any, tmp_path: Path) -> None:
    job = create_job(frozen.api_url, upload_dataset(frozen.api_url, tmp_path)).json()["output"]
    forced = frozen.control(
        f"fine-tunes/{job['job_id']}/fail", "POST", {"code": "InternalError", "message": "GPU lost"}
    )
    assert forced["status"] == "PENDING"  # the data check still runs, then the job fails
    frozen.control("clock", "POST", {"advance_seconds": 61})
    failed = httpx.get(f"{frozen.api_url}/fine-tunes/{job['job_id']}", headers=AUTH).json()["output"]
    assert (failed["status"], failed["code"], failed["message"]) == ("FAILED", "InternalError", "GPU lost")
    late = httpx.post(f"{frozen.url}/_emulator/fine-tunes/{job['job_id']}/fail", json={})
    assert late.status_code == 400
    assert "only a PENDING job" in late.json()["message"]
    assert httpx.post(f"{frozen.url}/_emulator/fine-tunes/ft-nope/fail", json={}).status_code == 404
