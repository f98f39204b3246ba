"""Environment promotion: prod deploys what staging exported, through a StackReference, without training."""

from __future__ import annotations

import pytest

from tests.e2e.pulumi_project import PulumiProject, steps_by_type
from tests.e2e.stack_models import product_shots, promotion

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_prod_deploys_the_staging_export_without_a_new_job(project: PulumiProject) -> None:
    project.init_stack("staging", {"models": [product_shots()]})
    project.up("staging")
    staging = project.outputs("staging")["deployable_models"]["product-shots"]
    jobs = project.live()["jobs"]
    assert len(jobs) == 1

    project.init_stack("prod", promotion(capacity=2, suffix="prod"))
    ops = steps_by_type(project.preview_json("prod"))
    assert not any("FineTuneJob" in kind or "Dataset" in kind for kind in ops), ops

    project.up("prod")
    assert project.live()["jobs"] == jobs  # no training in prod
    deployments = {d["deployed_model"]: d for d in project.live()["deployments"]}
    assert deployments[f"{staging}-prod"]["model_name"] == staging
    assert deployments[f"{staging}-prod"]["capacity"] == 2
    assert project.outputs("prod")["promoted"]["product-shots"] == f"{staging}-prod"


@pytest.mark.one_reading("the program refuses at preview from config alone: no API call")
def test_prod_refuses_to_train(project: PulumiProject) -> None:
    project.init_stack("prod", {"allowTraining": False, "models": [product_shots()]})
    proc = project.run("preview", "--stack", "prod", check=False)
    assert proc.returncode != 0
    assert "lora:allowTraining is false" in proc.stdout + proc.stderr
    assert project.emulator("requests") == [] or all(r["method"] == "GET" for r in project.emulator("requests"))
