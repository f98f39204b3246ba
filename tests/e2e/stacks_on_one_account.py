"""Helpers for scenarios with several stacks of one project on one emulator account and one state backend."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import httpx

from tests.e2e.pulumi_project import API_KEY, PulumiProject
from tests.e2e.stack_models import product_shots, promotion

BOOKKEEPING = {"resource_name", "project_root", "project", "stack", "job_name"}


def reading(project: PulumiProject) -> dict[str, str]:
    """The emulator's compatibility reading (empty: the documented defaults)."""
    response = httpx.get(f"{project.emulator_url}/_emulator/compat", timeout=10)
    return dict(response.json()) if response.status_code == 200 else {}


def jobs_deletable(project: PulumiProject) -> bool:
    """Whether the service deletes finished jobs (it may refuse)."""
    return reading(project).get("finished_job_delete", "allow") != "refuse"


def submitted_jobs(project: PulumiProject) -> int:
    """How many training jobs the account was asked to run (answered or not)."""
    return len(project.emulator("resources")["jobs"])


def three_stacks(project: PulumiProject) -> None:
    """dev and staging train the same model on the same datasets; prod deploys staging's export (no suffix)."""
    project.init_stack("dev", {"models": [product_shots()]})
    project.init_stack("staging", {"models": [product_shots()]})
    project.init_stack("prod", promotion(capacity=1))
    for stack in ("dev", "staging", "prod"):
        project.up(stack)


def owned_ids(project: PulumiProject, stack: str) -> dict[str, set[str]]:
    """The ids of the objects a stack's state holds, by kind (file, job, deployment)."""
    state = json.loads(project.export_state(stack))
    ids: dict[str, set[str]] = {"files": set(), "jobs": set(), "deployments": set()}
    kinds = {"Dataset": "files", "FineTuneJob": "jobs", "Deployment": "deployments"}
    for resource in state["deployment"]["resources"]:
        kind = kinds.get(resource["type"].rsplit(":", 1)[-1])
        if kind:
            ids[kind].add(resource["id"])
    return ids


def snapshot(project: PulumiProject, ids: dict[str, set[str]]) -> dict[str, dict[str, Any]]:
    """The live records of these objects: what must stay untouched."""
    keys = {"files": "file_id", "jobs": "job_id", "deployments": "deployed_model"}
    shown = {
        "files": ("name", "md5", "deleted"),
        "jobs": ("status", "deleted"),
        "deployments": ("model_name", "status", "deleted"),
    }
    live = project.emulator("resources")
    return {
        r[keys[kind]]: {k: r.get(k) for k in shown[kind]}
        for kind in keys
        for r in live[kind]
        if r[keys[kind]] in ids[kind]
    }


def declared_inputs(project: PulumiProject, stack: str) -> list[set[str]]:
    """The input names each planned step of a preview shows."""
    preview = project.preview_json(stack)
    return [set((step.get("newState") or {}).get("inputs") or {}) for step in preview.get("steps", [])]


def modelstudio(project: PulumiProject, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the `modelstudio` CLI in the project against the emulator."""
    env = dict(project.env, DASHSCOPE_HTTP_BASE_URL=project.api_url, DASHSCOPE_API_KEY=API_KEY)
    env.update(MODELSTUDIO_TIME_SCALE=str(project.time_scale), COLUMNS="250")
    proc = subprocess.run(
        ["modelstudio", *args], cwd=project.root, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc
