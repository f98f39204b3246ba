"""Which model a Deployment serves while the next version trains, and the one-line account of it.

A deployment keeps serving its model while a new version trains, exports and deploys: a `model_name` that is
still a placeholder (`pending:<job_id>…`) is recorded as the next version (`next_model`), and the switch is a
create-before-delete replacement made by the run that sees the real model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pulumi_modelstudio.resources._base import PENDING_PREFIX, is_placeholder
from pulumi_modelstudio.resources._training import span

__all__ = ["REPLACE_MODES", "ReplaceMode", "job_of", "served_model", "serving_summary"]

ReplaceMode = Literal["create-first", "delete-first"]
"""`create-first` (default): the new deployment is RUNNING before the old one is deleted (no downtime, both
are billed meanwhile). `delete-first`: the old one is deleted before the new one is made (downtime)."""
REPLACE_MODES: tuple[str, ...] = ("create-first", "delete-first")


def served_model(id_: str, olds: Mapping[str, Any]) -> str | None:
    """The model the recorded deployment serves; None while it is itself a placeholder (nothing serves yet).

    State written before `served_model` was recorded serves its `model_name`.
    """
    if not id_ or is_placeholder(id_):
        return None
    served = olds.get("served_model") or olds.get("model_name")
    return served if isinstance(served, str) and served and not is_placeholder(served) else None


def job_of(marker: str) -> str:
    """The job id inside a `pending:<job_id>[:<checkpoint>]` marker."""
    return marker.removeprefix(PENDING_PREFIX).split(":", 1)[0]


def _next_version(next_model: str, status: object, progress: object) -> str:
    """`ft-… training, step 300/800, about 2 h 08 min left` and the other stages of the next version."""
    job = job_of(next_model)
    training = progress if isinstance(progress, Mapping) else {}
    state = str(status or training.get("status") or "submitted")
    if state == "SUCCEEDED":
        return f"{job} trained; it is exported and deployed by the next run"
    if state in ("FAILED", "CANCELED"):
        return f"{job} ended {state}; the next run trains it again"
    if state == "RUNNING":
        parts = [f"{job} training"]
        step, total = training.get("step"), training.get("total_steps")
        if isinstance(total, int) and total:
            parts.append(f"step {step or 0}/{total}")
        eta = training.get("eta_minutes")
        if isinstance(eta, int | float):
            parts.append(f"about {span(float(eta) * 60)} left")
        return ", ".join(parts)
    return f"{job} {state}, waiting to train"


def serving_summary(
    deployed_model: object, next_model: object = None, status: object = None, progress: object = None
) -> str:
    """`serving <deployment>; <job> training, step 300/800, about 2 h 08 min left` (one line for people).

    `status` and `progress` are the training job's outputs of the same names.
    """
    if not isinstance(deployed_model, str) or not deployed_model:
        return "not deployed"
    if is_placeholder(deployed_model):
        return f"nothing serves yet; {_next_version(deployed_model, status, progress)}"
    line = f"serving {deployed_model}"
    if isinstance(next_model, str) and is_placeholder(next_model):
        line += f"; {_next_version(next_model, status, progress)}"
    return line
