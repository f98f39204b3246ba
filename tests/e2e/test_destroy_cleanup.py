"""`pulumi destroy` removes every job the stack trained, the ones its retrains kept included, unless a
deployment serves a model of it; it never touches another stack's jobs. Where the service keeps finished jobs,
the destroy says so once and `modelstudio jobs superseded` still finds them afterwards."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.pulumi_project import PulumiProject
from tests.e2e.stack_models import product_shots, promotion

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SHORT = {"max_steps": 200, "eval_steps": 100, "max_token_length": "2k", "max_pixels": "2k", "val_img_size": "2k"}
_JOB_DELETE = re.compile(r"/fine-tunes/(ft-[^/?]+)$")


def _model(max_steps: int) -> dict[str, Any]:
    return product_shots(hyperParameters=dict(SHORT, max_steps=max_steps))


def _train_and_retrain(project: PulumiProject, stack: str, runs: int) -> set[str]:
    """Train the model, retrain it `runs - 1` times; returns every job id the stack trained."""
    before = {j["job_id"] for j in project.live()["jobs"]}
    for index in range(runs):
        project.set_models(stack, [_model(200 + 100 * index)])
        project.up(stack)
    return {j["job_id"] for j in project.live()["jobs"]} - before


def _job_deletes(project: PulumiProject, since: int) -> set[str]:
    log = project.emulator("requests")[since:]
    return {m[1] for r in log if r["method"] == "DELETE" and (m := _JOB_DELETE.search(r["path"])) is not None}


def _destroy(project: PulumiProject, stack: str) -> str:
    done = project.run("destroy", "--yes", "--skip-preview", "--stack", stack)
    return done.stdout + done.stderr


def test_destroy_removes_the_jobs_retrains_kept_and_leaves_other_stacks_alone(
    project: PulumiProject, compat: str
) -> None:
    project.init_stack("staging", {"models": []})
    staging = _train_and_retrain(project, "staging", 3)
    project.init_stack("dev", {"models": []})
    dev = _train_and_retrain(project, "dev", 2)  # same resource names, another stack
    assert len(staging) == 3 and len(dev) == 2

    since = len(project.emulator("requests"))
    output = _destroy(project, "staging")
    assert _job_deletes(project, since) <= staging, "a job of another stack was touched"
    assert "Traceback" not in output
    left = {j["job_id"] for j in project.live()["jobs"]}
    assert dev <= left
    project.env["COLUMNS"] = "300"  # the table shows whole job ids
    listed = project.modelstudio("jobs", "superseded", "--stack", "staging").stdout
    if compat == "default":
        assert not staging & left, output
        assert "refused" not in output
    else:  # the service keeps finished jobs: said once, with the command that lists them
        assert staging <= left
        assert output.split("Diagnostics:")[-1].count("refused to delete") == 1, output
        assert "modelstudio jobs superseded --stack staging" in output
        for job_id in staging:
            assert job_id in listed, listed
    for job_id in dev:
        assert job_id not in listed, listed


def test_a_kept_job_another_stack_deploys_stays_after_the_destroy(project: PulumiProject, compat: str) -> None:
    project.init_stack("staging", {"models": [_model(200)]})
    project.up("staging")
    first = project.outputs("staging")["models"]["product-shots"]
    project.init_stack("prod", promotion(capacity=1, suffix="prod", model=first["deployable_model"]))
    project.up("prod")  # prod serves the first training's model
    project.set_models("staging", [_model(300)])
    project.up("staging")
    current = project.outputs("staging")["models"]["product-shots"]["job_id"]

    output = _destroy(project, "staging")
    left = {j["job_id"] for j in project.live()["jobs"]}
    assert first["job_id"] in left, output
    assert f"keeping earlier job {first['job_id']}" in output, output
    assert (current in left) == (compat != "default"), output
    assert [d["status"] for d in project.live()["deployments"]] == ["RUNNING"]  # prod still serves
