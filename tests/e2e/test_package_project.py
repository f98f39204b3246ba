"""A team's own project: the built wheel in a fresh virtualenv, typed package classes, no `plugins:` entry.

The project lives outside the repository; `pulumi` runs with only the engine on PATH (not the virtualenv) and
finds the provider plugin in its plugin cache, where `modelstudio plugin install` put it. This package comes
only from the wheel; its dependencies (pulumi, httpx, …) are those of the test environment, made visible to the
fresh virtualenv by a path entry, so the test needs no package index.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.engine_only import engine_dir, engine_only_env, install_plugin
from tests.e2e.pulumi_project import API_KEY, REPO
from tests.processes import run_captured
from tests.wheel_build import build_wheel

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PROGRAM = """\
import pulumi
import modelstudio_lora as modelstudio

team = pulumi.Config("team")
steps = team.get_int("maxSteps") or 200
model = modelstudio.LoraModel(
    "shots",
    model="wan2.7-image-pro",
    training_data=team.get("data") or "datasets/product-t2i",
    timeout_minutes=team.get_int("timeout"),
    hyper_parameters={"max_steps": steps, "eval_steps": 100, "max_token_length": "2k", "max_pixels": "2k"},
    export_checkpoint="latest",
)
pulumi.export("deployed_model", model.deployed_model)
pulumi.export("estimated_cost_cny", model.estimated_cost_cny)
"""
FAST = 20000.0


@pytest.fixture(scope="module")
def team_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel built from this checkout (its dependencies come from the test env)."""
    root = tmp_path_factory.mktemp("team-venv")
    wheels = root / "wheels"
    wheel = build_wheel(wheels)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "dependencies.pth").write_text(next(Path(p) for p in sys.path if p.endswith("site-packages")).as_posix())
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    assert not (venv / "bin" / "pulumi-resource-pulumi-python").exists()
    assert (venv / "bin" / "pulumi-resource-modelstudio").exists()
    return venv


@dataclass
class TeamProject:
    """The team's project folder and the environment `pulumi` runs in."""

    root: Path
    venv: Path
    env: dict[str, str]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`pulumi ARGS` in the project; a failure shows the whole output."""
        proc = run_captured(["pulumi", *args, "--non-interactive"], cwd=self.root, env=self.env, timeout=600)
        if check and proc.returncode != 0:
            msg = f"pulumi {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
            raise AssertionError(msg)
        return proc

    def state(self) -> dict[str, Any]:
        """The exported deployment."""
        return dict(json.loads(self.run("stack", "export").stdout)["deployment"])


@pytest.fixture
def team(tmp_path: Path, team_venv: Path, emulator: Any) -> Iterator[TeamProject]:
    """The project, its stack pointed at the emulator, and the plugin installed into its own plugin cache."""
    root = tmp_path / "team-project"
    root.mkdir()
    project = {"name": "team-models", "runtime": {"name": "python", "options": {"virtualenv": str(team_venv)}}}
    (root / "Pulumi.yaml").write_text(yaml.safe_dump(project), encoding="utf-8")
    (root / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    shutil.copytree(REPO / "stacks" / "datasets" / "product-t2i", root / "datasets" / "product-t2i")
    shutil.copytree(REPO / "stacks" / "datasets" / "product-t2i", root / "datasets" / "moved")
    env = {**engine_only_env(engine_dir(), tmp_path, "team-passphrase"), "PYTHONUNBUFFERED": "1"}
    install_plugin(team_venv / "bin" / "modelstudio", env)
    team = TeamProject(root, team_venv, env)
    team.run("stack", "init", "dev")
    team.run("config", "set", "modelstudio:endpoint", emulator.api_url)
    team.run("config", "set", "--secret", "modelstudio:apiKey", API_KEY)
    yield team


def _jobs(emulator: Any) -> list[dict[str, Any]]:
    return list(emulator.control("resources")["jobs"])


def _up_until_a_job_is_submitted(team: TeamProject, emulator: Any) -> subprocess.Popen[str]:
    """`pulumi up` of the team project, running, a second after it submitted its job."""
    up = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive"],
        cwd=team.root, env=team.env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not _jobs(emulator):
        assert time.monotonic() < deadline, "no job was submitted"
        time.sleep(0.2)
    time.sleep(1.0)
    return up


def test_a_team_project_trains_interrupts_imports_retrains_and_destroys(team: TeamProject, emulator: Any) -> None:
    preview = team.run("preview", "--diff")
    assert "modelstudio:index:FineTuneJob" in preview.stdout
    assert "Traceback" not in preview.stdout + preview.stderr

    emulator.control("clock", "POST", {"speed": 0})  # the job never finishes while we watch
    up = _up_until_a_job_is_submitted(team, emulator)
    started = time.monotonic()
    up.send_signal(signal.SIGINT)
    output, _ = up.communicate(timeout=60)
    assert time.monotonic() - started <= 10, output
    assert "Traceback" not in output
    assert "recorded in the stack" in output
    job_id = _jobs(emulator)[0]["job_id"]
    recorded = {r["id"] for r in team.state()["resources"] if r["type"] == "modelstudio:index:FineTuneJob"}
    assert recorded == {job_id}

    emulator.control("clock", "POST", {"speed": FAST})
    finished = team.run("up", "--yes", "--skip-preview")
    assert [j["job_id"] for j in _jobs(emulator)] == [job_id]  # the next up trained nothing new
    shown = finished.stdout
    assert "modelstudio:index:FineTuneJob shots-job refresh" in shown, shown  # a job in training is read first
    attached = shown.split("modelstudio:index:CheckpointExport (shots-export):", 1)  # progress under its resource
    assert len(attached) == 2, shown
    assert f"exporting {job_id}" in attached[1], shown
    deployed = json.loads(team.run("stack", "output", "--json").stdout)["deployed_model"]
    assert deployed.startswith("wan2.7-image-pro-")

    imported = team.run("import", "modelstudio:index:Deployment", "adopted", deployed, "--yes")
    assert "modelstudio.Deployment(" in imported.stdout or "modelstudio_lora.Deployment(" in imported.stdout, (
        imported.stdout
    )
    assert "Traceback" not in imported.stdout + imported.stderr
    adopted = "urn:pulumi:dev::team-models::modelstudio:index:Deployment::adopted"
    team.run("state", "unprotect", adopted, "--yes")
    team.run("state", "delete", adopted, "--yes")  # the stack's own Deployment already manages it

    team.run("config", "set", "team:timeout", "600")  # in-place changes: the preview shows what `up` does
    team.run("config", "set", "team:data", "datasets/moved")
    steps = json.loads(team.run("preview", "--json").stdout)["steps"]
    planned = {step["urn"].rsplit("::", 1)[-1]: step["op"] for step in steps}
    assert planned.get("shots-job") == "update", planned
    assert planned.get("shots-train") == "update", planned
    assert not [name for name, op in planned.items() if op not in ("same", "update")], planned
    team.run("up", "--yes", "--skip-preview")
    assert [j["job_id"] for j in _jobs(emulator)] == [job_id]
    assert json.loads(team.run("stack", "output", "--json").stdout)["deployed_model"] == deployed

    team.run("config", "set", "team:maxSteps", "300")
    team.run("up", "--yes")  # preview, then update: the preview's end-of-run Cancel does not stop the update
    assert len(_jobs(emulator)) == 2  # the retrain, once

    team.run("destroy", "--yes", "--skip-preview")
    live = [d for d in emulator.control("resources")["deployments"] if not d.get("deleted")]
    assert live == []


def test_a_double_ctrl_c_leaves_no_job_training_untracked(team: TeamProject, emulator: Any) -> None:
    emulator.control("clock", "POST", {"speed": 0})
    up = _up_until_a_job_is_submitted(team, emulator)
    up.send_signal(signal.SIGINT)
    time.sleep(0.2)
    up.send_signal(signal.SIGINT)
    output, _ = up.communicate(timeout=60)
    assert "Traceback" not in output
    emulator.control("clock", "POST", {"advance_seconds": 60})
    tracked = {r.get("id") for r in team.state()["resources"]}
    for job in _jobs(emulator):
        assert job["job_id"] in tracked or job["status"] in ("CANCELING", "CANCELED"), (job, output)
