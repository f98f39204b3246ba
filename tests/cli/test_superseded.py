"""`modelstudio jobs superseded`: replaced jobs of the listed stacks, kept while anything uses their models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi_modelstudio.cli.main import app
from pulumi_modelstudio.core.fine_tune_job import ownership as _job_ownership
from pulumi_modelstudio.core.identity import Owner, job_name, parse_job_name
from pulumi_modelstudio.core.superseded import StackState, _declared_in_name
from pulumi_modelstudio.resources.checkpoint_export import CheckpointExportProvider
from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider
from typer.testing import CliRunner

from tests.e2e.release_state import FIXTURE
from tests.resources.support import HP, KEY, configured, create, job_inputs, owner, uploaded

runner = CliRunner()
JOB_TYPE = "pulumi-python:dynamic/modelstudio:FineTuneJob"


def _state(stack: str, *resources: tuple[str, str, str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "deployment": {
            "resources": [
                {"urn": f"urn:pulumi:{stack}::proj::{kind}::{name}", "type": kind, "id": ident, "outputs": outputs}
                for kind, name, ident, outputs in resources
            ]
        }
    }


def _write(tmp_path: Path, name: str, document: dict[str, Any]) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_state_of_a_stack_lists_its_jobs_models_and_owners() -> None:
    state = StackState.from_export(json.loads((FIXTURE / "staging.json").read_text()))
    assert (state.project, state.stack) == ("modelstudio-lora", "staging")
    assert len(state.job_ids) == 2
    assert any(m.endswith("-c800") for m in state.models)
    assert sorted(state.job_owners.values()) == ["product-shots-job", "sketches-job"]


def test_replaced_jobs_are_listed_kept_while_served_and_deleted_when_unused(
    emulator: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHSCOPE_HTTP_BASE_URL", emulator.api_url)
    monkeypatch.setenv("DASHSCOPE_API_KEY", KEY)
    file_id = uploaded(emulator, "m-train", "staging")
    jobs = configured(FineTuneJobProvider(owner("m-job", "staging", "proj")), emulator)
    old_job, _ = create(jobs, job_inputs(file_id))
    monkeypatch.setattr(_job_ownership, "_THIS_RUN", {})
    new_job, new_outs = create(jobs, job_inputs(file_id, hyper_parameters={**HP, "max_steps": 400}))
    exports = configured(CheckpointExportProvider(owner("m-export", "staging", "proj")), emulator)
    _, export_outs = create(exports, {"job_id": old_job, "checkpoint": "latest"})
    deployments = configured(DeploymentProvider(owner("m-deploy", "prod", "proj")), emulator)
    deployed, deployed_outs = create(
        deployments, {"model_name": export_outs["deployable_model"], "capacity": 1, "plan": "lora"}
    )
    staging = _write(tmp_path, "staging", _state("staging", (JOB_TYPE, "m-job", new_job, new_outs)))

    listed = runner.invoke(app, ["jobs", "superseded", "--state", staging], env={"COLUMNS": "250"})
    assert listed.exit_code == 0, listed.output
    assert old_job in listed.output
    assert new_job not in listed.output
    assert f"kept: deployment {deployed}" in listed.output

    deployments.delete(deployed, deployed_outs)
    pruned = runner.invoke(app, ["jobs", "superseded", "--state", staging, "--delete"], env={"COLUMNS": "250"})
    assert pruned.exit_code == 0, pruned.output
    live = {j["job_id"]: j for j in emulator.control("resources")["jobs"]}
    refused = f"{old_job}: the service keeps it" in pruned.output
    assert live[old_job]["deleted"] is not refused
    assert not live[new_job]["deleted"]

    other = _write(tmp_path, "other", _state("other", (JOB_TYPE, "m-job", "ft-x", {})))
    untouched = runner.invoke(app, ["jobs", "superseded", "--state", other, "--delete"], env={"COLUMNS": "250"})
    assert untouched.exit_code == 0, untouched.output
    assert not {j["job_id"]: j for j in emulator.control("resources")["jobs"]}[new_job]["deleted"]


def test_a_destroyed_stack_still_owns_the_jobs_named_with_its_keys() -> None:
    destroyed = StackState.from_export({"deployment": {"resources": []}}, "proj", "dev")
    assert (destroyed.project, destroyed.stack, destroyed.job_ids) == ("proj", "dev", frozenset())
    parsed = parse_job_name(job_name(Owner("proj", "dev", "m-job"), "ab" * 32))
    assert parsed is not None
    assert _declared_in_name(destroyed, parsed[0], parsed[1]) == "m-job"
    other = parse_job_name(job_name(Owner("proj", "dev-eu", "m-job"), "ab" * 32))
    assert other is not None
    assert _declared_in_name(destroyed, other[0], other[1]) is None  # `dev-eu` starts like `dev`: the key tells
