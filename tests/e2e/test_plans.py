"""Saved plans (docs/gitops.md): `pulumi preview --save-plan` on the pull request, `pulumi up --plan` after the
merge, for every kind of change a model goes through."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.e2e.pulumi_project import PulumiProject
from tests.e2e.stack_models import product_shots

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SHORT = {"max_steps": 200, "eval_steps": 100, "max_token_length": "2k", "max_pixels": "2k", "val_img_size": "2k"}
TRAINING_S = 60 + 200 * 15.4
"""Simulated seconds a SHORT training takes (a 60 s data check, then 15.4 s a step at t2i 2K)."""
SLOW = 50.0
"""Simulated seconds per real second: a training outlasts a run, a deployment is deleted in under a second."""


def _model(**overrides: Any) -> dict[str, Any]:
    return product_shots(**{"hyperParameters": dict(SHORT), **overrides})


def _apply_saved_plan(project: PulumiProject, stack: str) -> str:
    """Save the plan of a preview, apply exactly it, and check that nothing is left to do."""
    plan = project.root / "plan.json"
    project.run("preview", "--save-plan", str(plan), "--stack", stack)
    applied = project.run("up", "--yes", "--plan", str(plan), "--stack", stack, check=False)
    output = applied.stdout + applied.stderr
    assert applied.returncode == 0, output
    assert "errored" not in output, output
    project.run("preview", "--expect-no-changes", "--stack", stack)
    return output


def _jobs(project: PulumiProject) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = project.emulator("resources")["jobs"]
    return jobs


def test_updates_moves_new_data_and_replacements_apply_through_saved_plans(project: PulumiProject) -> None:
    """Four kinds of change, one after another on one trained stack, each previewed to a plan and applied."""
    project.init_stack("dev", {"models": [_model()]})
    project.up("dev")

    project.set_models("dev", [_model(timeoutMinutes=300)])  # an in-place update
    output = _apply_saved_plan(project, "dev")
    assert "1 updated" in output, output
    assert len(_jobs(project)) == 1  # nothing retrained

    datasets = project.root / "stacks" / "datasets"
    shutil.copytree(datasets / "product-t2i", datasets / "moved-t2i")
    project.set_models("dev", [_model(timeoutMinutes=300, trainingData="stacks/datasets/moved-t2i")])
    output = _apply_saved_plan(project, "dev")  # a moved dataset folder
    assert "1 updated" in output, output
    assert len(_jobs(project)) == 1  # same content: nothing uploaded or retrained

    shutil.copytree(datasets / "moved-t2i", datasets / "changed-t2i")
    lines = (datasets / "changed-t2i" / "data.jsonl").read_text(encoding="utf-8").replace("product photo", "catalog")
    (datasets / "changed-t2i" / "data.jsonl").write_text(lines, encoding="utf-8")
    changed = _model(timeoutMinutes=300, trainingData="stacks/datasets/changed-t2i")
    project.set_models("dev", [changed])
    output = _apply_saved_plan(project, "dev")  # new training data
    assert "replaced" in output, output
    assert len(_jobs(project)) == 2

    project.set_models("dev", [{**changed, "hyperParameters": dict(SHORT, max_steps=300)}])
    output = _apply_saved_plan(project, "dev")  # a replacement (hyper-parameters)
    assert "replaced" in output, output
    assert len(_jobs(project)) == 3
    assert [d["status"] for d in project.live()["deployments"]] == ["RUNNING"]


def test_a_retrain_in_submit_mode_applies_through_a_saved_plan(project: PulumiProject) -> None:
    project.init_stack("dev", {"models": [_model()], "training": "submit"})
    project.up("dev")
    project.emulator("clock", "POST", {"advance_seconds": 2 * TRAINING_S})
    project.up("dev")  # the first training is exported and deployed
    before = project.outputs("dev")["models"]["product-shots"]
    project.emulator("clock", "POST", {"speed": SLOW})  # the retrain outlasts the run
    project.set_models("dev", [_model(hyperParameters=dict(SHORT, max_steps=300))])
    _apply_saved_plan(project, "dev")
    after = project.outputs("dev")["models"]["product-shots"]
    assert after["job_id"] != before["job_id"]  # the retrain was submitted and is still training
    assert after["deployed_model"] == before["deployed_model"]  # the deployment keeps serving meanwhile
    assert [d["status"] for d in project.live()["deployments"]] == ["RUNNING"]


def test_a_placeholder_completing_applies_through_a_saved_plan(project: PulumiProject) -> None:
    project.emulator("clock", "POST", {"speed": 0})
    project.init_stack("dev", {"models": [_model()], "training": "submit"})
    project.up("dev")
    assert str(project.outputs("dev")["models"]["product-shots"]["deployed_model"]).startswith("pending:")
    project.emulator("clock", "POST", {"advance_seconds": 2 * TRAINING_S, "speed": 20000})
    _apply_saved_plan(project, "dev")
    assert [d["status"] for d in project.live()["deployments"]] == ["RUNNING"]
