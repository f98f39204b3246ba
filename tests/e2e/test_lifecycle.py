"""Full lifecycle of the example stack with the real Pulumi CLI: up, no-op preview, replace, update,
refresh after out-of-band deletion, destroy — and the API key never lands in state."""

from __future__ import annotations

import json

import pytest

from tests.e2e.pulumi_project import API_KEY, PulumiProject, steps_by_type
from tests.e2e.stack_models import product_shots
from tests.e2e.stacks_on_one_account import jobs_deletable

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

JOB = "modelstudio:FineTuneJob"
DEPLOYMENT = "modelstudio:Deployment"


def _type_ops(project: PulumiProject, stack: str) -> dict[str, list[str]]:
    ops = steps_by_type(project.preview_json(stack))
    return {kind.split("$")[-1].replace("pulumi-python:dynamic/", ""): v for kind, v in ops.items()}


def test_up_creates_everything_and_a_second_preview_is_empty(project: PulumiProject) -> None:
    project.init_stack("dev", {"models": [product_shots()]})
    project.up("dev")

    live = project.live()
    assert len(live["files"]) == 2
    assert [j["status"] for j in live["jobs"]] == ["SUCCEEDED"]
    assert [d["status"] for d in live["deployments"]] == ["RUNNING"]
    outputs = project.outputs("dev")["models"]["product-shots"]
    assert outputs["deployable_model"].endswith("-c800")
    assert outputs["deployed_model"].startswith(f"{outputs['deployable_model']}-")  # this stack's own suffix
    assert outputs["estimated_cost_cny"] == pytest.approx(14860.8)

    no_change = project.run("preview", "--expect-no-changes", "--stack", "dev")
    assert no_change.returncode == 0

    assert API_KEY not in project.export_state("dev")
    decrypted = json.loads(project.export_state("dev", show_secrets=True))
    for resource in decrypted["deployment"]["resources"]:
        if not resource["type"].startswith("pulumi:providers:"):  # the engine keeps stack config there, encrypted
            assert API_KEY not in json.dumps(resource), resource["urn"]


@pytest.mark.one_reading("a preview without a key sends nothing: no API call")
def test_a_preview_without_a_key_succeeds_and_warns_which_setting_to_set(project: PulumiProject) -> None:
    project.init_stack("dev", {"models": [product_shots()]})
    project.run("config", "rm", "modelstudio:apiKey", "--stack", "dev")
    preview = project.run("preview", "--stack", "dev")
    said = " ".join((preview.stdout + preview.stderr).split())
    assert "to create" in said
    diagnostics = said.split("Diagnostics:", 1)[-1]
    assert diagnostics.count("warning: No Model Studio API key") == 1, said  # once, not once per resource
    assert "pulumi config set --secret modelstudio:apiKey" in said
    assert "DASHSCOPE_API_KEY" in said
    assert project.live()["files"] == []  # a preview sends nothing


def test_hyperparameter_change_previews_replace_with_cost_and_lora_capacity_is_informational(
    project: PulumiProject,
) -> None:
    project.init_stack("dev", {"models": [product_shots()]})
    project.up("dev")
    jobs_before = len(project.live()["jobs"])

    changed = product_shots()
    changed["hyperParameters"]["max_steps"] = 1000
    project.set_models("dev", [changed])
    preview = project.run("preview", "--diff", "--stack", "dev").stdout
    ops = _type_ops(project, "dev")
    assert any(op.startswith(("replace", "create-replacement")) for op in ops.get(JOB, [])), ops
    assert any(op.startswith(("replace", "create-replacement")) for op in ops.get(DEPLOYMENT, [])), ops
    assert "estimated_cost_cny" in preview
    assert "18576" in preview  # 1000 steps at 2K: 232,200,000 tokens
    as_json = project.run("preview", "--json", "--stack", "dev").stdout
    summary = project.modelstudio("preview-summary", "-", input=as_json).stdout
    assert "- `hyper_parameters.max_steps: 800 -> 1000`" in summary, summary
    assert "- estimated training cost: 14,860.80 -> 18,576.00 CNY" in summary, summary
    assert len(project.live()["jobs"]) == jobs_before  # preview trained nothing

    bigger = product_shots(deploy={"capacity": 2})
    project.set_models("dev", [bigger])
    warned = project.run("preview", "--diff", "--stack", "dev")
    assert "no effect on LoRA deployments" in warned.stdout + warned.stderr
    assert "console" in warned.stdout + warned.stderr
    ops = _type_ops(project, "dev")
    assert DEPLOYMENT not in ops, ops  # capacity has no effect on LoRA deployments: nothing to update
    assert JOB not in ops, ops
    project.up("dev")
    assert not any(r["method"] == "PUT" for r in project.emulator("requests"))  # never scaled
    assert len(project.live()["jobs"]) == jobs_before


def test_refresh_catches_out_of_band_deletion_and_destroy_leaves_nothing(project: PulumiProject) -> None:
    project.init_stack("dev", {"models": [product_shots()]})
    project.up("dev")
    deployed = project.outputs("dev")["models"]["product-shots"]["deployed_model"]

    assert project.api("DELETE", f"deployments/{deployed}").status_code == 200
    project.emulator("clock", "POST", {"advance_seconds": 120})
    project.run("refresh", "--yes", "--skip-preview", "--stack", "dev")
    state = json.loads(project.export_state("dev"))
    types = [r["type"] for r in state["deployment"]["resources"]]
    assert not any(t.endswith("Deployment") for t in types)

    ops = _type_ops(project, "dev")
    assert ops.get(DEPLOYMENT) == ["create"], ops
    project.up("dev")
    assert [d["status"] for d in project.live()["deployments"]] == ["RUNNING"]

    project.run("destroy", "--yes", "--skip-preview", "--stack", "dev")
    live = project.live()
    assert live["deployments"] == []
    if jobs_deletable(project):
        assert live["jobs"] == []
        assert live["files"] == []
    else:  # the service keeps finished jobs: destroy reports it and finishes; their files prove them the stack's
        assert [j["status"] for j in live["jobs"]] == ["SUCCEEDED"]
        assert len(live["files"]) == 2
