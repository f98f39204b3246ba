"""The `modelstudio` command line against the live emulator."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from pulumi_modelstudio.cli.main import app
from pulumi_modelstudio.cli.review import PreviewFailedError, summarize
from pulumi_modelstudio.client import ModelStudioClient
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.settings.embedded_emulator import stop_emulator
from pulumi_modelstudio.wire.fine_tunes import CreateFineTuneRequest
from typer.testing import CliRunner

DATASETS = Path(__file__).resolve().parents[2] / "stacks" / "datasets"
PREVIEWS = Path(__file__).resolve().parents[1] / "fixtures" / "previews"
"""Recorded with `pulumi preview --json` against the emulator (provider blobs and source positions removed)."""
KEY = "sk-cli-tests"
runner = CliRunner()


@pytest.fixture
def connection(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("DASHSCOPE_HTTP_BASE_URL", emulator.api_url)
    monkeypatch.setenv("DASHSCOPE_API_KEY", KEY)
    emulator.control("clock", "POST", {"speed": 0})
    return emulator


def _finished_job(emulator: Any, tmp_path: Path) -> str:
    settings = ConnectionConfig(api_key=KEY, endpoint=emulator.api_url).client_settings()
    with ModelStudioClient(settings) as client:
        train = client.files.upload(pack_dataset(DATASETS / "product-t2i", tmp_path / "t.zip").path).file_id
        val = client.files.upload(pack_dataset(DATASETS / "product-t2i-val", tmp_path / "v.zip").path).file_id
        job = client.fine_tunes.create(
            CreateFineTuneRequest(
                model="wan2.7-image-pro",
                training_file_ids=[train],
                validation_file_ids=[val],
                hyper_parameters={"generation_type": "t2i", "max_steps": 400},
            )
        )
    emulator.control("clock", "POST", {"advance_seconds": 20000})
    return job.job_id


def test_dataset_check_passes_and_pack_is_reproducible(tmp_path: Path) -> None:
    result = runner.invoke(app, ["dataset", "check", str(DATASETS / "product-t2i")])
    assert result.exit_code == 0, result.output
    assert "30 images" in result.output
    first = runner.invoke(app, ["dataset", "pack", str(DATASETS / "product-t2i"), "-o", str(tmp_path / "a.zip")])
    second = runner.invoke(app, ["dataset", "pack", str(DATASETS / "product-t2i"), "-o", str(tmp_path / "b.zip")])
    assert first.exit_code == second.exit_code == 0
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_bad_dataset_exits_2_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(DATASETS / "product-t2i", broken)
    (broken / "3_0.png").write_bytes(b"garbage")
    result = runner.invoke(app, ["dataset", "check", str(broken)])
    assert result.exit_code == 2
    assert "3_0.png" in result.output


def test_jobs_logs_checkpoints_and_gallery(connection: Any, tmp_path: Path) -> None:
    job_id = _finished_job(connection, tmp_path)
    listed = runner.invoke(app, ["jobs", "list"])
    assert listed.exit_code == 0, listed.output
    assert job_id in listed.output
    logs = runner.invoke(app, ["jobs", "logs", job_id])
    assert "##FT_COMPLETE##" in logs.output
    gallery = tmp_path / "sheet.html"
    shown = runner.invoke(app, ["checkpoints", job_id, "--gallery", str(gallery)])
    assert shown.exit_code == 0, shown.output
    assert "checkpoint-400" in shown.output
    assert "data:image/png;base64," in gallery.read_text()
    assert gallery.with_suffix(".png").read_bytes().startswith(b"\x89PNG")


def test_generate_writes_a_png(connection: Any, tmp_path: Path) -> None:
    connection.control("clock", "POST", {"speed": 20000})
    out = tmp_path / "img.png"
    result = runner.invoke(app, ["generate", "wan2.7-image-pro", "--prompt", "s86b5p, a mug", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")


def test_cost_matches_the_billing_table() -> None:
    result = runner.invoke(app, ["cost", "--steps", "1000", "--type", "t2i", "--size", "2k"])
    assert result.exit_code == 0
    assert "18,576.00 CNY" in result.output
    bad = runner.invoke(app, ["cost", "--steps", "0"])
    assert bad.exit_code == 2
    assert "max_steps" in bad.output


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    result = runner.invoke(app, ["jobs", "list"])
    assert result.exit_code == 2
    assert "DASHSCOPE_API_KEY" in result.output


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_endpoint_emulator_starts_the_embedded_emulator_as_in_the_provider(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    monkeypatch.setenv("MODELSTUDIO_EMULATOR_DIR", "emulator-state")
    if how == "environment":
        monkeypatch.setenv("DASHSCOPE_HTTP_BASE_URL", "emulator")
        args = ["jobs", "list"]
    else:
        monkeypatch.delenv("DASHSCOPE_HTTP_BASE_URL", raising=False)
        args = ["jobs", "list", "--endpoint", "emulator"]
    try:
        result = runner.invoke(app, args)
    finally:
        stop_emulator(tmp_path / "emulator-state")
    assert result.exit_code == 0, result.output
    assert "status" in result.output


def test_an_endpoint_option_is_named_in_its_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", KEY)
    result = runner.invoke(app, ["jobs", "list", "--endpoint", "http://127.0.0.1:9/v1"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2
    assert "--endpoint 'http://127.0.0.1:9/v1'" in said
    assert "did you mean http://127.0.0.1:9/api/v1?" in said


def test_preview_summary_flags_paid_training(tmp_path: Path) -> None:
    prefix = "urn:pulumi:dev::modelstudio-lora::modelstudio:index:LoraModel$pulumi-python:dynamic/modelstudio"
    job_urn = f"{prefix}:FineTuneJob::m-job"
    dep_urn = f"{prefix}:Deployment::m-deploy"
    preview = {
        "steps": [
            {
                "op": "replace",
                "urn": job_urn,
                "replaceReasons": ["hyper_parameters"],
                "oldState": {"inputs": {"estimated_cost_cny": 14860.8}},
                "newState": {"inputs": {"estimated_cost_cny": 18576.0}},
            },
            {"op": "update", "urn": dep_urn, "diffReasons": ["capacity"], "oldState": {}, "newState": {}},
            {"op": "same", "urn": "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"},
        ]
    }
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(preview))
    out = tmp_path / "comment.md"
    result = runner.invoke(app, ["preview-summary", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "This change starts paid training" in text
    assert "| m-job | FineTuneJob | replace | hyper_parameters | 18,576.00 |" in text
    assert "| m-deploy | Deployment | update in place | capacity |  |" in text
    assert "18,576.00 CNY (replaced runs had cost 14,860.80 CNY)" in text
    assert summarize({"steps": []}).endswith("No changes.")


def test_preview_summary_names_the_field_behind_each_replace() -> None:
    result = runner.invoke(app, ["preview-summary", str(PREVIEWS / "replace.json")])
    assert result.exit_code == 0, result.output
    assert "| product-shots-job | FineTuneJob | replace | hyper_parameters | 18,576.00 |" in result.output
    assert "| product-shots-export | CheckpointExport | replace | job_id, model_name |  |" in result.output
    assert "| product-shots-deploy | Deployment | replace | model_name |  |" in result.output


def test_a_failed_preview_exits_1_with_its_errors(tmp_path: Path) -> None:
    out = tmp_path / "comment.md"
    result = runner.invoke(app, ["preview-summary", str(PREVIEWS / "failed.json"), "-o", str(out)])
    assert result.exit_code == 1
    assert "No changes" not in result.output
    assert "hyper_parameters.lora_rank" in result.output
    assert "The preview failed" in out.read_text()
    assert "lora_rank" in out.read_text()
    broken = runner.invoke(app, ["preview-summary", "-"], input="error: stack locked\n")
    assert broken.exit_code == 2
    assert "stdin: not readable preview JSON" in broken.output


def test_preview_summary_reads_stdin_and_shows_what_waits_on_training() -> None:
    pending = runner.invoke(app, ["preview-summary", "-"], input=(PREVIEWS / "pending.json").read_text())
    assert pending.exit_code == 0, pending.output
    assert "#### Waiting on training" in pending.output
    assert "RUNNING, step 300/1000 (30%), checkpoint-200 saved, about 3 h 00 min left" in pending.output
    finished = runner.invoke(app, ["preview-summary", "-"], input=(PREVIEWS / "finished.json").read_text())
    assert "| product-shots-export | CheckpointExport | replace | job_status, training finished" in finished.output
    assert "Waiting on training" not in finished.output


def test_mandatory_policy_violations_fail_the_summary() -> None:
    preview = {
        "steps": [],
        "policyEvents": [
            {"policyName": "training-budget", "message": "over budget", "enforcementLevel": "mandatory"},
            {"policyName": "advice", "message": "just saying", "enforcementLevel": "advisory"},
        ],
    }
    with pytest.raises(PreviewFailedError) as failed:
        summarize(preview)
    assert failed.value.problems == ["policy training-budget: over budget"]
