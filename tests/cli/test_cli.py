"""The `modelstudio` command line against the live emulator."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from pulumi_modelstudio.cli.field_changes import field_changes
from pulumi_modelstudio.cli.main import app
from pulumi_modelstudio.cli.review import PreviewFailedError, summarize
from pulumi_modelstudio.client import ModelStudioClient
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.wire.fine_tunes import CreateFineTuneRequest
from typer.testing import CliRunner

DATASETS = Path(__file__).resolve().parents[2] / "stacks" / "datasets"
PREVIEWS = Path(__file__).resolve().parents[1] / "fixtures" / "previews"
"""Recorded with `pulumi preview --json` against the emulator (provider blobs and source positions removed);
hyper-parameters.json is replace.json edited by hand (see its test)."""
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


def test_jobs_cancel_stops_a_training_job_and_leaves_a_finished_one(connection: Any, tmp_path: Path) -> None:
    finished = _finished_job(connection, tmp_path)
    left = runner.invoke(app, ["jobs", "cancel", finished])
    assert left.exit_code == 0, left.output
    assert "already ended SUCCEEDED" in left.output
    settings = ConnectionConfig(api_key=KEY, endpoint=connection.api_url).client_settings()
    with ModelStudioClient(settings) as client:
        train = client.files.upload(pack_dataset(DATASETS / "product-t2i", tmp_path / "c.zip").path).file_id
        job = client.fine_tunes.create(
            CreateFineTuneRequest(
                model="wan2.7-image-pro",
                training_file_ids=[train],
                hyper_parameters={"generation_type": "t2i", "max_steps": 400},
            )
        )
        stopped = runner.invoke(app, ["jobs", "cancel", job.job_id])
        assert stopped.exit_code == 0, stopped.output
        assert f"cancelling job {job.job_id}" in stopped.output
        connection.control("clock", "POST", {"advance_seconds": 600})
        assert client.fine_tunes.get(job.job_id).status in ("CANCELING", "CANCELED")


def test_piped_tables_are_never_cut(connection: Any, tmp_path: Path) -> None:
    job_id = _finished_job(connection, tmp_path)
    listed = runner.invoke(app, ["jobs", "list"])  # output captured, not a terminal: as when piped
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if job_id in line)
    assert f"wan2.7-image-pro-{job_id}" in row
    assert "…" not in listed.output
    deep = tmp_path / ("a-dataset-folder-with-a-long-descriptive-name-" * 3) / "product-t2i"
    shutil.copytree(DATASETS / "product-t2i", deep)
    (deep / "notes-about-the-photo-shoot-of-the-new-product-line.txt").write_text("x")
    checked = runner.invoke(app, ["dataset", "check", str(deep)])
    assert checked.exit_code == 2
    assert str(deep) in checked.output.splitlines()[0]
    assert "notes-about-the-photo-shoot-of-the-new-product-line.txt" in checked.output
    assert f"error: {deep}: 1 problem(s) to fix before training" in checked.output


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
        stopped = runner.invoke(app, ["emulator", "--stop", "--data", "emulator-state"])
    assert result.exit_code == 0, result.output
    assert "status" in result.output
    assert stopped.exit_code == 0, stopped.output
    assert "stopped the emulator of emulator-state" in stopped.output
    assert not (tmp_path / "emulator-state" / "pid").exists()
    again = runner.invoke(app, ["emulator", "--stop", "--data", "emulator-state"])
    assert "no emulator of emulator-state is running" in again.output


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


def test_preview_summary_shows_each_changed_field_before_and_after_with_the_cost() -> None:
    result = runner.invoke(app, ["preview-summary", str(PREVIEWS / "replace.json")])
    assert result.exit_code == 0, result.output
    text = result.output
    job = text.index("**product-shots-job (FineTuneJob, replace)**")
    export = text.index("**product-shots-export (CheckpointExport, replace)**")
    assert text[job:export].splitlines()[2:4] == [
        "- `hyper_parameters.max_steps: 800 -> 1000`",
        "- estimated training cost: 14,860.80 -> 18,576.00 CNY",
    ]
    assert '- `job_id: "ft-202606031637-e463" -> (known after the run)`' in text[export:]


def test_preview_summary_follows_the_engines_detailed_diff_and_in_place_updates() -> None:
    """hyper-parameters.json: replace.json with more hyper-parameters changed, the detailed diff the engine
    writes when a provider reports one, and an in-place update of another job."""
    result = runner.invoke(app, ["preview-summary", str(PREVIEWS / "hyper-parameters.json")])
    assert result.exit_code == 0, result.output
    assert (
        "**product-shots-job (FineTuneJob, replace)**\n\n"
        "- `hyper_parameters.learning_rate: 3e-05 -> 5e-05`\n"
        "- `hyper_parameters.lora_alpha: (not set) -> 64`\n"
        "- `hyper_parameters.max_steps: 800 -> 1000`\n"
        "- estimated training cost: 14,860.80 -> 18,576.00 CNY\n"
    ) in result.output
    assert (
        "**sketches-job (FineTuneJob, update in place)**\n\n"
        "- `timeout_minutes: (not set) -> 240`\n- `wait: true -> false`"
    ) in result.output


def test_field_changes_descend_into_objects_and_lists() -> None:
    olds = {"hyper_parameters": {"max_steps": 40, "split": 0.9}, "ids": ["a", "b"], "tags": ["x"], "same": 1}
    news = {"hyper_parameters": {"max_steps": 50}, "ids": ["a", "c"], "tags": ["x", "y"], "same": 1}
    assert field_changes(["hyper_parameters", "ids", "tags", "same"], olds, news, None) == [
        "hyper_parameters.max_steps: 40 -> 50",
        "hyper_parameters.split: 0.9 -> (not set)",
        'ids[1]: "b" -> "c"',
        'tags: ["x"] -> ["x", "y"]',
    ]
    detailed = {'hyper_parameters["max_steps"]': {"kind": "update"}, "ids[1]": {"kind": "update"}}
    assert field_changes(["hyper_parameters", "ids"], olds, news, detailed) == [
        'hyper_parameters["max_steps"]: 40 -> 50',
        'ids[1]: "b" -> "c"',
    ]


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


@pytest.mark.parametrize("pid", ["", "not-a-pid", "0", "-1"])
def test_stopping_reads_a_broken_pid_file_as_no_emulator_and_signals_nothing(pid: str, tmp_path: Path) -> None:
    (tmp_path / "pid").write_text(pid, encoding="utf-8")
    result = runner.invoke(app, ["emulator", "--stop", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "no emulator of" in result.output
    assert not (tmp_path / "pid").exists()
