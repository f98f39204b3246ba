"""`modelstudio preview-summary` shows what serves while the next version trains."""

from __future__ import annotations

from typing import Any

from pulumi_modelstudio.cli.review import summarize

JOB_URN = "urn:pulumi:dev::modelstudio-lora::pulumi-python:dynamic:Resource$modelstudio:FineTuneJob::shots-job"
DEPLOY_URN = "urn:pulumi:dev::modelstudio-lora::pulumi-python:dynamic:Resource$modelstudio:Deployment::shots-deploy"
SERVING = "wan2.7-image-pro-ft-202606030110-a1b2-c800-98d374c8"
PROGRESS = {"status": "RUNNING", "step": 300, "total_steps": 800, "eta_minutes": 128}


def _preview(next_model: str | None, model_name: str) -> dict[str, Any]:
    job = {"job_id": "ft-202606031245-9277", "status": "RUNNING", "progress": PROGRESS}
    deployment = {"deployed_model": SERVING, "next_model": next_model, "status": "RUNNING"}
    return {
        "steps": [
            {"op": "same", "urn": JOB_URN, "oldState": {"outputs": job}, "newState": {"outputs": job}},
            {
                "op": "same",
                "urn": DEPLOY_URN,
                "oldState": {"outputs": deployment},
                "newState": {"inputs": {"model_name": model_name}},
            },
        ]
    }


def test_a_deployment_serving_while_its_next_version_trains_gets_a_serving_line() -> None:
    markdown = summarize(_preview("pending:ft-202606031245-9277:latest", "pending:ft-202606031245-9277:latest"))
    assert "#### Serving" in markdown
    assert (
        f"| shots-deploy | serving {SERVING}; ft-202606031245-9277 training, step 300/800, about 2 h 08 min left |"
        in markdown
    )


def test_no_serving_line_without_a_next_version() -> None:
    assert "Serving" not in summarize(_preview(None, "wan2.7-image-pro-ft-202606030110-a1b2-c800"))
