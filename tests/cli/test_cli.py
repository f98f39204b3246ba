"""The `modelstudio` command line against the live emulator."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from provider.cli.main import app
from provider.cli.review import summarize
from provider.client import ModelStudioClient
from provider.datasets.pack import pack_dataset
from provider.settings import ClientSettings
from provider.wire.fine_tunes import CreateFineTuneRequest

DATASETS = Path(__file__).resolve().parents[2] / "stacks" / "datasets"
KEY = "sk-cli-tests"
runner = CliRunner()


@pytest.fixture
def connection(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("DASHSCOPE_HTTP_BASE_URL", emulator.api_url)
    monkeypatch.setenv("DASHSCOPE_API_KEY", KEY)
    emulator.control("clock", "POST", {"speed": 0})
    return emulator


def _finished_job(emulator: Any, tmp_path: Path) -> str:
    settings = ClientSettings.resolve(api_key=KEY, endpoint=emulator.api_url, env={})
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


def test_preview_summary_flags_paid_training(tmp_path: Path) -> None:
    prefix = "urn:pulumi:dev::modelstudio-lora::modelstudio:index:LoraModel$pulumi-python:dynamic/modelstudio"
    job_urn = f"{prefix}:FineTuneJob::m-job"
    dep_urn = f"{prefix}:Deployment::m-deploy"
    preview = {
        "steps": [
            {
                "op": "replace",
                "urn": job_urn,
                "oldState": {"inputs": {"estimated_cost_cny": 14860.8}},
                "newState": {"inputs": {"estimated_cost_cny": 18576.0}},
            },
            {"op": "update", "urn": dep_urn, "oldState": {}, "newState": {}},
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
    assert "| m-job | FineTuneJob | replace | 18,576.00 |" in text
    assert "| m-deploy | Deployment | update in place |  |" in text
    assert "18,576.00 CNY (replaced runs had cost 14,860.80 CNY)" in text
    assert summarize({"steps": []}).endswith("No changes.")
