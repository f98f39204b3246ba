"""Compatibility switches: each reading, and the three ways to set them (command line, environment, run time)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from modelstudio_emulator.compat import READINGS, Compat, CompatError, parse_compat

from tests.emulator.api_calls import AUTH, create_job, deploy, trained_model, upload_dataset

STRICT = {
    "job_name": "job_id",
    "deployed_model": "hex",
    "deployment_delete": "status",
    "finished_job_delete": "refuse",
    "deployment_name": "absent",
}


@pytest.fixture
def frozen(emulator: Any) -> Any:
    emulator.control("clock", "POST", {"speed": 0})
    return emulator


def test_presets_and_text_forms() -> None:
    assert Compat().as_dict() == {key: readings[0] for key, readings in READINGS.items()}
    assert Compat("strict").as_dict() == STRICT
    assert parse_compat("strict, job_name=echo") == {**STRICT, "job_name": "echo"}
    assert Compat({"deployed_model": "hex"})["deployed_model"] == "hex"
    for bad in ("job_name=maybe", "no_such_key=x", "lenient"):
        with pytest.raises(CompatError):
            parse_compat(bad)


def test_run_time_switching_reports_and_survives_reset(emulator: Any) -> None:
    assert emulator.control("compat", "POST", {"preset": "strict"}) == STRICT
    assert emulator.control("compat", "POST", {"job_name": "echo"})["job_name"] == "echo"
    emulator.control("reset", "POST")
    assert emulator.control("compat") == {**STRICT, "job_name": "echo"}
    assert emulator.control("health")["compat"] == {**STRICT, "job_name": "echo"}
    refused = httpx.post(f"{emulator.url}/_emulator/compat", json={"job_name": "nope"})
    assert (refused.status_code, refused.json()["code"]) == (400, "InvalidParameter")
    assert "echo, job_id" in refused.json()["message"]
    emulator.control("compat", "POST", {"preset": "default"})


@pytest.mark.parametrize("emulator_compat", ["default", "strict"])
def test_job_name(frozen: Any, tmp_path: Path, emulator_compat: str) -> None:
    job = create_job(frozen.api_url, upload_dataset(frozen.api_url, tmp_path), job_name="my-run").json()["output"]
    assert job["job_name"] == ("my-run" if emulator_compat == "default" else job["job_id"])
    unnamed = create_job(frozen.api_url, upload_dataset(frozen.api_url, tmp_path)).json()["output"]
    assert unnamed["job_name"] == unnamed["job_id"]


@pytest.mark.parametrize("emulator_compat", ["default", "strict"])
def test_deployed_model_and_name(frozen: Any, tmp_path: Path, emulator_compat: str) -> None:
    model = trained_model(frozen, tmp_path)
    plain = deploy(frozen, model, name="shown-in-console")
    suffixed = deploy(frozen, model, suffix="v2")
    assert suffixed["deployed_model"] == f"{model}-v2"
    if emulator_compat == "default":
        assert plain["deployed_model"] == model
        assert plain["name"] == "shown-in-console"
    else:
        assert re.fullmatch(re.escape(model) + "-[0-9a-f]{8}", plain["deployed_model"])
        assert "name" not in plain
    again = httpx.post(f"{frozen.api_url}/deployments", json={"model_name": model, "capacity": 1}, headers=AUTH)
    assert again.status_code == 409  # a second deployment of the same model without a suffix, in both readings
    assert plain["deployed_model"] in again.json()["message"]


@pytest.mark.parametrize("emulator_compat", ["default", "strict"])
def test_deployment_delete_answer(frozen: Any, tmp_path: Path, emulator_compat: str) -> None:
    deployed = deploy(frozen, trained_model(frozen, tmp_path))["deployed_model"]
    answer = httpx.delete(f"{frozen.api_url}/deployments/{deployed}", headers=AUTH).json()
    assert set(answer) == {"request_id", "output"}
    if emulator_compat == "default":
        assert answer["output"]["deployed_model"] == deployed
        assert answer["output"]["status"] == "DELETING"
    else:
        assert answer["output"] == {"status": "DELETING"}


@pytest.mark.parametrize("emulator_compat", ["default", "strict"])
def test_finished_job_delete(frozen: Any, tmp_path: Path, emulator_compat: str) -> None:
    job_id = create_job(frozen.api_url, upload_dataset(frozen.api_url, tmp_path)).json()["output"]["job_id"]
    frozen.control("clock", "POST", {"advance_seconds": 10**4})
    answer = httpx.delete(f"{frozen.api_url}/fine-tunes/{job_id}", headers=AUTH)
    if emulator_compat == "default":
        assert answer.json()["output"] == {"status": "success"}
    else:
        assert (answer.status_code, answer.json()["code"]) == (400, "UnsupportedOperation")
        assert answer.json()["message"] == (
            f"Job {job_id} can not be deleted because it is succeeded, failed or canceled."
        )


def test_command_line_and_environment_set_the_readings(tmp_path: Path) -> None:
    url_file = tmp_path / "url"
    env = {**os.environ, "MODELSTUDIO_EMULATOR_COMPAT": "strict"}
    argv = [sys.executable, "-m", "modelstudio_emulator", "--data", str(tmp_path / "d"), "--url-file", str(url_file)]
    proc = subprocess.Popen([*argv, "--compat", "job_name=echo"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().rsplit(" ", 1)[-1]
        assert httpx.get(f"{url}/_emulator/compat").json() == {**STRICT, "job_name": "echo"}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
    bad = subprocess.run([*argv, "--compat", "job_name=nope"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "job_name must be one of echo, job_id" in bad.stderr
