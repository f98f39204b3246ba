"""The `modelstudio-guardrails` policy pack, run by the real engine on previews."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.e2e.pulumi_project import REPO, PulumiProject
from tests.e2e.stack_models import product_shots, promotion

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
POLICY = str(REPO / "policy")


def _preview(project: PulumiProject, stack: str, config: Mapping[str, object], tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / f"policy-{stack}-{len(json.dumps(config))}.json"
    path.write_text(json.dumps(config))
    proc = project.run(
        "preview", "--stack", stack, "--policy-pack", POLICY, "--policy-pack-config", str(path), check=False
    )
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.one_reading("the policies read declarations, costs and job ids, which no reading changes")
def test_training_budget_is_enforced_at_preview(project: PulumiProject, tmp_path: Path) -> None:
    project.init_stack("dev", {"models": [product_shots()]})
    code, _ = _preview(project, "dev", {"training-budget": {"maxNewTrainingCny": 20000}}, tmp_path)
    assert code == 0
    small = {"training-budget": {"maxNewTrainingCny": 1000}}
    code, output = _preview(project, "dev", small, tmp_path)
    assert code != 0
    assert "this change starts training estimated at 14,860.80 CNY" in output
    assert "budget for new training of 1,000.00 CNY (maxNewTrainingCny)" in output
    assert project.live()["jobs"] == []  # nothing was trained

    project.up("dev")
    code, output = _preview(project, "dev", small, tmp_path)
    assert code == 0, output  # training already run is not new spend
    total = {"training-budget": {"maxNewTrainingCny": 1000, "maxStackTrainingCny": 10000}}
    code, output = _preview(project, "dev", total, tmp_path)
    assert code != 0
    assert "the stack's training, already run and new, is estimated at 14,860.80 CNY" in output
    changed = product_shots()
    changed["hyperParameters"]["max_steps"] = 1000
    project.set_models("dev", [changed])
    code, output = _preview(project, "dev", small, tmp_path)
    assert code != 0
    assert "this change starts training estimated at 18,576.00 CNY" in output


@pytest.mark.one_reading("the policies read declarations and protection, which no reading changes")
def test_production_stacks_only_deploy_protected_promoted_models(project: PulumiProject, tmp_path: Path) -> None:
    project.init_stack("staging", {"models": [product_shots()]})
    project.up("staging")
    production = {"production-guardrails": {"production": True}}
    project.init_stack("prod", promotion(capacity=2, suffix="prod", protect=True))
    code, output = _preview(project, "prod", production, tmp_path)
    assert code == 0, output
    project.init_stack("unprotected", promotion(suffix="b"))
    code, output = _preview(project, "unprotected", production, tmp_path)
    assert code != 0
    assert "production deployments must be protected" in output
    code, output = _preview(project, "staging", production, tmp_path)
    assert code != 0
    assert "FineTuneJob in a production stack" in output
