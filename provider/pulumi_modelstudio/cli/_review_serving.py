"""The **Serving** part of `modelstudio preview-summary`: what each deployment serves while its next version trains."""

from __future__ import annotations

from typing import Any

from pulumi_modelstudio.core.serving import PENDING_PREFIX, job_of, serving_summary

__all__ = ["serving_rows"]


def _section(step: dict[str, Any], state: str, key: str) -> dict[str, Any]:
    value = (step.get(state) or {}).get(key)
    return value if isinstance(value, dict) else {}


def _kind(step: dict[str, Any]) -> str:
    parts = str(step.get("urn", "")).split("::")
    return parts[2].rsplit(":", 1)[-1] if len(parts) > 3 else ""


def _pending(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PENDING_PREFIX)


def serving_rows(steps: list[dict[str, Any]]) -> list[str]:
    """`| deployment | serving …; ft-… training, step 300/800, about 2 h 08 min left |` per deployment that serves
    while its next version trains (the job's status and progress come from the job's step)."""
    jobs: dict[str, dict[str, Any]] = {}
    for step in steps:
        if _kind(step) == "FineTuneJob":
            for state in ("oldState", "newState"):  # the newer reading wins
                outs = _section(step, state, "outputs")
                if isinstance(outs.get("job_id"), str):
                    jobs[outs["job_id"]] = outs
    rows = []
    for step in steps:
        if _kind(step) != "Deployment":
            continue
        old = _section(step, "oldState", "outputs")
        deployed = old.get("deployed_model")
        declared = _section(step, "newState", "inputs").get("model_name")
        upcoming = declared if _pending(declared) else old.get("next_model")
        if not isinstance(deployed, str) or _pending(deployed) or not _pending(upcoming):
            continue
        job = jobs.get(job_of(str(upcoming)), {})
        line = serving_summary(deployed, upcoming, job.get("status"), job.get("progress"))
        rows.append(f"| {str(step.get('urn', '')).rsplit('::', 1)[-1]} | {line} |")
    return rows
