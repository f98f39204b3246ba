"""The one-line account of what a deployment serves and where its next version stands (no Pulumi imports)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

__all__ = [
    "PENDING_PREFIX",
    "REPLACE_MODES",
    "TRAINING_MODES",
    "ReplaceMode",
    "TrainingMode",
    "job_of",
    "serving_summary",
    "span",
]

PENDING_PREFIX = "pending:"
"""Ids and model names of objects that wait for a training job to finish: `pending:<job_id>…`."""

ReplaceMode = Literal["create-first", "delete-first"]
"""`create-first` (default): the new deployment is RUNNING before the old one is deleted (no downtime, both
are billed meanwhile). `delete-first`: the old one is deleted before the new one is made (downtime)."""
REPLACE_MODES: tuple[str, ...] = get_args(ReplaceMode)
TrainingMode = Literal["wait", "submit"]
"""`wait`: `pulumi up` waits for training (for a person at a terminal). `submit`: `pulumi up` submits the job,
records it and returns; export and deployment wait as placeholders and are completed by the run that sees the
job finish (`pulumi up --refresh`, e.g. on a schedule). A FineTuneJob records it as `wait` (true for `wait`)."""
TRAINING_MODES: tuple[str, ...] = get_args(TrainingMode)


def span(seconds: float) -> str:
    """`2 h 08 min`, `40 min`, `under a minute`."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _pending(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PENDING_PREFIX)


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
    if _pending(deployed_model):
        return f"nothing serves yet; {_next_version(deployed_model, status, progress)}"
    line = f"serving {deployed_model}"
    if isinstance(next_model, str) and _pending(next_model):
        line += f"; {_next_version(next_model, status, progress)}"
    return line
