"""`modelstudio unowned` with two stacks (staging trains, prod promotes) and objects made outside Pulumi: it lists
exactly the objects no stack manages, and the declarations it prints adopt them in a third stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pulumi_project import API_KEY, PulumiProject
from tests.e2e.stack_models import product_shots, promotion
from tests.sdk_objects import OutOfBand

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _unowned(project: PulumiProject, *extra: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "pulumi_modelstudio.cli.main", "unowned", "--cwd", str(project.root)]
    argv += ["--endpoint", project.api_url, "--api-key", API_KEY, *extra]
    proc = subprocess.run(argv, env=project.env, capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def _listed(project: PulumiProject) -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["kind"], e["id"]): e for e in json.loads(_unowned(project, "--json").stdout)}


def test_lists_exactly_what_no_stack_manages_and_prints_declarations_that_adopt_it(
    project: PulumiProject, tmp_path: Path
) -> None:
    project.init_stack("staging", {"models": [product_shots()]})
    project.up("staging")
    project.init_stack("prod", promotion(capacity=1, suffix="prod"))
    project.up("prod")
    staging = project.outputs("staging")["models"]["product-shots"]
    assert _listed(project) == {}  # everything in the account belongs to a stack

    sdk = OutOfBand(project.emulator_url, project.api_url, tmp_path)
    file_id = sdk.upload("console.zip")
    job = sdk.train(file_id)
    exported = sdk.export(job["job_id"], "checkpoint-200", "console-export")
    served = sdk.deploy(exported["model_name"])
    by_hand = sdk.deploy(staging["deployable_model"], suffix="manual")  # a stack's model, deployed by hand
    extra_export = sdk.export(staging["job_id"], "checkpoint-400", "manual-400")

    listed = _listed(project)
    assert set(listed) == {
        ("file", file_id),
        ("job", job["job_id"]),
        ("export", f"{job['job_id']}:checkpoint-200"),
        ("deployment", served),
        ("deployment", by_hand),
        ("export", f"{staging['job_id']}:checkpoint-400"),
    }
    assert listed[("file", file_id)]["declaration"] is None
    assert listed[("export", f"{staging['job_id']}:checkpoint-400")]["inputs"]["model_name"] == "manual-400"
    assert listed[("deployment", by_hand)]["inputs"] == {
        "model_name": staging["deployable_model"],
        "capacity": 1,
        "suffix": "manual",
    }
    assert "pulumi import" in listed[("job", job["job_id"])]["import_command"]
    assert extra_export["model_name"]

    # The printed Python is a program: in a third stack of the same backend it adopts all of it.
    program = _unowned(project).stdout
    assert f'import_="{job["job_id"]}"' in program
    other = PulumiProject.create(
        tmp_path / "adopting",
        emulator_url=project.emulator_url,
        api_url=project.api_url,
        time_scale=project.time_scale,
    )
    other.env["PULUMI_BACKEND_URL"] = project.env["PULUMI_BACKEND_URL"]
    (other.root / "stacks" / "__main__.py").write_text(program, encoding="utf-8")
    other.init_stack("adopted", {})
    preview = other.preview_json("adopted")
    ours = [s for s in preview["steps"] if "modelstudio:" in s["urn"]]
    assert sorted(s["op"] for s in ours) == ["import"] * 5, [(s["op"], s["urn"]) for s in ours]
    before = len(project.emulator("requests"))
    other.up("adopted")
    assert all(r["method"] == "GET" for r in project.emulator("requests")[before:])

    remaining = _listed(project)
    assert set(remaining) == {("file", file_id)}
    assert remaining[("file", file_id)]["used_by"] == [f"adopted: FineTuneJob {job['job_name']}"]
