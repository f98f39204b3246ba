"""What a training job is doing: status, step of total, saved checkpoints, time left, and why it failed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pulumi_modelstudio.core.serving import span
from pulumi_modelstudio.errors import APIError
from pulumi_modelstudio.wan.durations import QUEUE_SECONDS, STEP_SECONDS

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob as JobObject

__all__ = ["TrainingProgress", "failure_report", "last_log_lines", "read_progress", "span"]

_STEP = re.compile(r"\bstep\b[\s:=]*(\d+)\s*/\s*(\d+)", re.IGNORECASE)
_LOG_TAIL = 20
_FAILURE_LINES = 5
_WAITING_NOTES = {
    "PENDING": "checking the data",
    "QUEUING": "waiting for the account's training slot: one job trains at a time",
    "CANCELING": "stopping; billing ends when it is CANCELED",
}


def _step_seconds(hyper_parameters: dict[str, Any]) -> float:
    gen = str(hyper_parameters.get("generation_type", "t2i"))
    size = str(hyper_parameters.get("max_token_length", "2k")).lower()
    return STEP_SECONDS.get((gen, size), 15.4)


def _whole(value: object) -> int | None:
    try:
        return int(float(str(value)))
    except ValueError:
        return None


@dataclass(frozen=True)
class TrainingProgress:
    """One look at a job: enough to say where it is and roughly when it ends."""

    job_id: str
    status: str
    step: int | None = None
    total_steps: int | None = None
    checkpoints: list[str] = field(default_factory=list)
    eta_s: float | None = None

    def describe(self) -> str:
        """`RUNNING, step 300/800 (38%), checkpoint-200 saved, about 2 h 08 min left`."""
        parts = [self.status]
        note = _WAITING_NOTES.get(self.status)
        if note:
            parts[0] += f" ({note})"
        if self.step is not None and self.total_steps:
            parts.append(f"step {self.step}/{self.total_steps} ({100 * self.step // self.total_steps}%)")
        if self.checkpoints:
            parts.append(f"{self.checkpoints[0]} saved")
        if self.eta_s is not None:
            parts.append(f"about {span(self.eta_s)} left")
        return ", ".join(parts)

    def as_output(self) -> dict[str, Any]:
        """The `progress` output: plain data for state, previews and reviews."""
        return {
            "status": self.status,
            "step": self.step,
            "total_steps": self.total_steps,
            "checkpoints": list(self.checkpoints),
            "eta_minutes": None if self.eta_s is None else round(self.eta_s / 60),
            "summary": self.describe(),
        }


def last_log_lines(client: ModelStudioClient, job_id: str, count: int = _FAILURE_LINES) -> list[str]:
    """The last `count` log lines of a job (empty when the log cannot be read)."""
    try:
        total = client.fine_tunes.logs(job_id, offset=0, line=1).total
        return list(client.fine_tunes.logs(job_id, offset=max(0, total - count), line=count).logs)
    except APIError:
        return []


def read_progress(client: ModelStudioClient, job: JobObject, hyper_parameters: dict[str, Any]) -> TrainingProgress:
    """Status from the job, step from its log (or its newest checkpoint), time left from the step rate."""
    total = _whole(hyper_parameters.get("max_steps", 800))
    checkpoints: list[str] = []
    step: int | None = None
    if job.status in ("RUNNING", "SUCCEEDED", "CANCELING", "CANCELED"):
        try:
            saved = client.fine_tunes.checkpoints(job.job_id)
        except APIError:
            saved = []
        checkpoints = [c.checkpoint for c in saved]
        step = max((c.step for c in saved), default=None)
        for line in reversed(last_log_lines(client, job.job_id, _LOG_TAIL) if job.status == "RUNNING" else []):
            found = _STEP.search(line)
            if found:
                step, total = max(step or 0, int(found.group(1))), int(found.group(2))
                break
    if job.status == "SUCCEEDED":
        step = total
    eta: float | None = None
    per_step = _step_seconds(hyper_parameters)
    if job.status == "RUNNING" and total:
        eta = max(0.0, (total - (step or 0)) * per_step)
    elif job.status == "PENDING" and total:
        eta = QUEUE_SECONDS + total * per_step
    return TrainingProgress(job.job_id, job.status, step, total, checkpoints, eta)


def failure_report(client: ModelStudioClient, job: JobObject) -> str:
    """`FAILED (InvalidDataset: data.jsonl line 7 …)` followed by the job's last log lines."""
    reason = f"{job.code}: {job.message}" if job.code or job.message else "no reason given"
    lines = last_log_lines(client, job.job_id)
    text = f"{job.status} ({reason})"
    if lines:
        text += ". Last log lines:\n    " + "\n    ".join(lines)
    return text
