"""A job and a deployment made with the official `dashscope` SDK are adopted into a stack with `import_`:
preview shows imports (no create), `up` sends no POST, the next preview is empty and destroy removes them —
with the CLI the setup builds and with the official CLI's plugin layout."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.pulumi_project import REPO, PulumiProject
from tests.e2e.stacks_on_one_account import jobs_deletable
from tests.sdk_objects import OutOfBand

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PROGRAM = '''"""Adopts a job and a deployment made outside Pulumi."""

import pulumi

from pulumi_modelstudio import Deployment, FineTuneJob

job = FineTuneJob(
    "console-job",
    model="wan2.7-image",
    training_file_ids=["{file_id}"],
    hyper_parameters={{"generation_type": "t2i", "max_steps": 200}},
    opts=pulumi.ResourceOptions(import_="{job_id}"),
)
served = Deployment(
    "console-deploy",
    model_name=job.finetuned_output,
    capacity=1,
    opts=pulumi.ResourceOptions(import_="{deployed}"),
)
pulumi.export("deployed_model", served.deployed_model)
'''
OURS = "pulumi-python:dynamic/modelstudio:"


@pytest.fixture
def made(project: PulumiProject, tmp_path: Path) -> dict[str, str]:
    """A file, a finished job on it and a running deployment of the job's model, all made with the SDK."""
    project.emulator("clock", "POST", {"speed": 0})
    sdk = OutOfBand(project.emulator_url, project.api_url, tmp_path)
    file_id = sdk.upload()
    job = sdk.train(file_id)
    deployed = sdk.deploy(job["finetuned_output"])
    project.emulator("clock", "POST", {"speed": project.time_scale})
    return {"file_id": file_id, "job_id": job["job_id"], "deployed": deployed}


def _adopting_program(project: PulumiProject, made: dict[str, str]) -> None:
    (project.root / "stacks" / "__main__.py").write_text(PROGRAM.format(**made), encoding="utf-8")


def _our_steps(preview: dict[str, Any]) -> dict[str, str]:
    return {step["urn"].split("::")[-1]: step["op"] for step in preview.get("steps", []) if OURS in step.get("urn", "")}


def _requests(project: PulumiProject) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = project.emulator("requests")
    return result


def _adopt_and_destroy(project: PulumiProject, made: dict[str, str]) -> str:
    """The whole adoption; returns the output of the first preview."""
    project.init_stack("adopt", {})
    _adopting_program(project, made)
    shown = project.run("preview", "--diff", "--stack", "adopt").stdout
    assert _our_steps(project.preview_json("adopt")) == {"console-job": "import", "console-deploy": "import"}

    before = len(_requests(project))
    project.up("adopt")
    sent = [(r["method"], r["path"]) for r in _requests(project)[before:]]
    assert not [call for call in sent if call[0] != "GET"], sent
    assert project.outputs("adopt")["deployed_model"] == made["deployed"]

    assert project.run("preview", "--expect-no-changes", "--stack", "adopt").returncode == 0
    assert set(project.preview_json("adopt")["changeSummary"]) == {"same"}

    project.run("destroy", "--yes", "--skip-preview", "--stack", "adopt")
    live = project.live()
    left = [j["status"] for j in live["jobs"] if j["job_id"] == made["job_id"]]
    assert left == ([] if jobs_deletable(project) else ["SUCCEEDED"])  # the service may keep finished jobs
    assert not [d for d in live["deployments"] if d["deployed_model"] == made["deployed"]]
    assert [f["file_id"] for f in live["files"]] == [made["file_id"]]  # not declared, so not removed
    return shown


def test_sdk_made_job_and_deployment_are_adopted_then_destroyed(project: PulumiProject, made: dict[str, str]) -> None:
    shown = _adopt_and_destroy(project, made)
    assert "import" in shown
    assert "from $PATH" not in shown


def _official_layout(tmp: Path) -> Path:
    """An engine folder laid out like the official CLI: its own `pulumi-resource-pulumi-python` next to `pulumi`."""
    engine = Path(shutil.which("pulumi") or "").resolve().parent
    version = (REPO / "scripts" / "pulumi-engine" / "VERSION").read_text(encoding="utf-8").strip()
    go = shutil.which("go")
    if go is None:
        pytest.skip("Go is needed to locate the Pulumi SDK's own dynamic-provider plugin")
    modcache = subprocess.run([go, "env", "GOMODCACHE"], capture_output=True, text=True, check=True).stdout.strip()
    official = Path(modcache) / f"github.com/pulumi/pulumi/sdk/v3@{version}/python/dist/pulumi-resource-pulumi-python"
    if not official.is_file():
        pytest.skip(f"the Pulumi SDK module {version} is not in the Go module cache ({official})")
    folder = tmp / "official-cli"
    folder.mkdir()
    for name in ("pulumi", "pulumi-language-python", "pulumi-language-python-exec"):
        try:
            os.link(engine / name, folder / name)
        except OSError:
            shutil.copy2(engine / name, folder / name)
    shutil.copy2(official, folder / "pulumi-resource-pulumi-python")
    (folder / "pulumi-resource-pulumi-python").chmod(0o755)
    return folder


@pytest.mark.one_reading(
    "it checks the engine folder's layout; the same adoption runs under both readings in the test above"
)
def test_adoption_works_with_the_official_cli_plugin_layout(
    project: PulumiProject, made: dict[str, str], tmp_path: Path
) -> None:
    folder = _official_layout(tmp_path)
    venv_bin = str(Path(os.environ.get("VIRTUAL_ENV") or REPO / ".venv") / "bin")
    rest = [p for p in project.env["PATH"].split(os.pathsep) if p and Path(p).resolve() != Path(venv_bin).resolve()]
    official = dataclasses.replace(project, env={**project.env, "PATH": os.pathsep.join([str(folder), *rest])})
    assert shutil.which("pulumi-resource-pulumi-python", path=official.env["PATH"]) == str(
        folder / "pulumi-resource-pulumi-python"
    )

    shown = _adopt_and_destroy(official, made)
    assert "from $PATH" not in shown  # Pulumi.yaml names the plugin: no PATH lookup, no warning

    # Without the Pulumi.yaml entry, the Pulumi SDK's own host cannot import a dynamic resource.
    project_file = official.root / "Pulumi.yaml"
    settings = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    del settings["plugins"]
    project_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    failed = official.run("preview", "--stack", "adopt", check=False)
    assert failed.returncode != 0
    assert "__provider" in failed.stdout + failed.stderr
