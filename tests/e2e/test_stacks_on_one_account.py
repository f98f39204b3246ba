"""Several stacks of one project on one account and one state backend, driven by the real CLI: each stack
owns what it creates, destroying one leaves the others untouched, and nothing trains twice."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from tests.e2e.pulumi_project import PulumiProject
from tests.e2e.stack_models import product_shots, promotion
from tests.e2e.stacks_on_one_account import (
    BOOKKEEPING,
    declared_inputs,
    jobs_deletable,
    modelstudio,
    owned_ids,
    reading,
    snapshot,
    submitted_jobs,
    three_stacks,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
STACKS = ("dev", "staging", "prod")


DESTROY_ORDER = ("prod", "dev", "staging")
"""Each stack is destroyed while the other two exist: prod and dev are brought back (`pulumi up`) after theirs."""


def test_destroying_one_stack_leaves_the_others_untouched(project: PulumiProject) -> None:
    three_stacks(project)
    assert submitted_jobs(project) == 2  # dev and staging; prod never trains
    ids = {stack: owned_ids(project, stack) for stack in STACKS}
    for kind in ("files", "jobs", "deployments"):
        assert not ids["dev"][kind] & ids["staging"][kind], kind  # same data, separate objects
    assert not ids["prod"]["deployments"] & ids["staging"]["deployments"]  # its own deployment, no suffix given
    for destroyed in DESTROY_ORDER:
        _destroy_and_check_the_others(project, destroyed, ids)
        if destroyed != DESTROY_ORDER[-1]:
            project.up(destroyed)
            ids[destroyed] = owned_ids(project, destroyed)


def _destroy_and_check_the_others(project: PulumiProject, destroyed: str, ids: dict[str, dict[str, set[str]]]) -> None:
    """Destroy one stack: the others' objects stay as they were and preview clean after a refresh; its own are gone."""
    others = [s for s in STACKS if s != destroyed]
    kept = {stack: snapshot(project, ids[stack]) for stack in others}
    trained = submitted_jobs(project)

    project.run("destroy", "--yes", "--skip-preview", "--stack", destroyed)

    for stack in others:
        assert snapshot(project, ids[stack]) == kept[stack], (destroyed, stack)
        project.run("preview", "--refresh", "--expect-no-changes", "--stack", stack)
    gone = snapshot(project, ids[destroyed])
    assert all(gone[i]["deleted"] for i in ids[destroyed]["deployments"]), destroyed
    served = destroyed == "staging"  # prod still serves the model staging exported: its job stays
    if jobs_deletable(project) and not served:
        assert all(gone[i]["deleted"] for i in ids[destroyed]["jobs"]), destroyed
    jobs_left = any(not gone[i]["deleted"] for i in ids[destroyed]["jobs"])
    # a job that stays under its id alone keeps the files whose names prove it the destroyed stack's
    files_stay = jobs_left and reading(project).get("job_name") == "job_id"
    assert all(gone[i]["deleted"] != files_stay for i in ids[destroyed]["files"]), destroyed
    assert submitted_jobs(project) == trained, destroyed


@pytest.mark.one_reading("a preview of declarations: no API call")
def test_previews_show_what_was_declared_not_bookkeeping(project: PulumiProject) -> None:
    project.init_stack("dev", {"models": [product_shots()]})
    for inputs in declared_inputs(project, "dev"):
        assert not inputs & BOOKKEEPING, inputs


def test_a_retrain_in_staging_leaves_prod_serving_and_able_to_redeploy(project: PulumiProject) -> None:
    project.init_stack("staging", {"models": [product_shots()]})
    project.up("staging")
    first = project.outputs("staging")["deployable_models"]["product-shots"]
    project.init_stack("prod", promotion())
    project.up("prod")
    served = project.outputs("prod")["promoted"]["product-shots"]

    retrained = product_shots()
    retrained["hyperParameters"]["max_steps"] = 1000
    project.set_models("staging", [retrained])
    project.up("staging")
    second = project.outputs("staging")["deployable_models"]["product-shots"]
    assert second != first
    assert submitted_jobs(project) == 2
    deployments = {d["deployed_model"]: d for d in project.live()["deployments"]}
    assert deployments[served]["status"] == "RUNNING"  # prod keeps serving the earlier model
    listed = modelstudio(project, "jobs", "superseded", "--stack", "staging", "--stack", "prod").stdout
    assert "kept: deployment" in listed

    project.set_lora("prod", promotion(model=first))  # hold the earlier version, then lose its deployment
    assert project.api("DELETE", f"deployments/{served}").status_code == 200
    project.emulator("clock", "POST", {"advance_seconds": 120})
    project.run("up", "--refresh", "--yes", "--skip-preview", "--stack", "prod")
    redeployed = project.outputs("prod")["promoted"]["product-shots"]
    assert {d["deployed_model"]: d["model_name"] for d in project.live()["deployments"]}[redeployed] == first

    project.set_lora("prod", promotion())  # follow staging again: the earlier job is no longer needed
    project.up("prod")
    modelstudio(project, "jobs", "superseded", "--stack", "staging", "--stack", "prod", "--delete")
    live_jobs = [j["job_id"] for j in project.live()["jobs"]]
    if jobs_deletable(project):
        assert len(live_jobs) == 1
    project.run("preview", "--expect-no-changes", "--stack", "staging")
    project.run("preview", "--expect-no-changes", "--stack", "prod")
    assert submitted_jobs(project) == 2


def test_an_uploaded_file_deleted_out_of_band_is_uploaded_again_without_training(project: PulumiProject) -> None:
    project.init_stack("dev", {"models": [product_shots()]})
    project.up("dev")
    ids = owned_ids(project, "dev")
    for file_id in ids["files"]:
        assert project.api("DELETE", f"files/{file_id}").status_code == 200

    project.run("up", "--refresh", "--yes", "--skip-preview", "--stack", "dev")
    assert submitted_jobs(project) == 1
    after = owned_ids(project, "dev")
    assert after["jobs"] == ids["jobs"]
    assert after["deployments"] == ids["deployments"]
    assert len(after["files"]) == 2
    assert not after["files"] & ids["files"]
    project.run("preview", "--expect-no-changes", "--stack", "dev")


def test_the_same_stack_from_another_checkout_previews_no_changes(project: PulumiProject) -> None:
    project.init_stack("dev", {"models": [product_shots()]})
    project.up("dev")
    elsewhere = project.root.parent / "another" / "checkout"
    shutil.copytree(project.root, elsewhere)
    moved = replace(project, root=elsewhere)
    moved.run("preview", "--expect-no-changes", "--stack", "dev")
    moved.run("refresh", "--yes", "--skip-preview", "--stack", "dev")
    moved.run("preview", "--expect-no-changes", "--stack", "dev")
    assert submitted_jobs(project) == 1
