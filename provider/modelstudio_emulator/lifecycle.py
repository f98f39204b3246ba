"""Simulated-time rules: the training schedule, job, checkpoint, deployment and task statuses.

Every status is a pure function of the stored records and the simulated `now`, so answers do not depend on how
often a client polls.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from modelstudio_emulator.records import DeploymentRecord, JobRecord, TaskRecord

__all__ = [
    "CANCEL_S",
    "DELETE_S",
    "DEPLOYMENT_STATUSES",
    "DEPLOY_S",
    "EXPORT_S",
    "PENDING_S",
    "SCALE_S",
    "TASK_PENDING_S",
    "TASK_S",
    "TERMINAL",
    "CheckpointState",
    "JobState",
    "Schedule",
    "TaskState",
    "checkpoints",
    "deployment_status",
    "job_state",
    "lmax",
    "schedule",
    "steps_of",
    "task_state",
]

PENDING_S = 60.0
EXPORT_S = 120.0
DEPLOY_S = 300.0
SCALE_S = 60.0
DELETE_S = 20.0
CANCEL_S = 10.0
TASK_PENDING_S = 2.0
TASK_S = 20.0
CHECKPOINT_TTL_S = 15 * 86400
STEP_S = {("t2i", "1k"): 8.0, ("t2i", "2k"): 15.4, ("i2i", "1k"): 15.4, ("i2i", "2k"): 22.0}
LMAX = {("t2i", "1k"): 12800, ("t2i", "2k"): 23220, ("i2i", "1k"): 23220, ("i2i", "2k"): 32000}
TERMINAL = ("SUCCEEDED", "FAILED", "CANCELED")
DEPLOYMENT_STATUSES = (
    "PENDING",
    "DEPLOYING",
    "RUNNING",
    "FAILED",
    "UPDATING",
    "UPDATING_FAILED",
    "STOPPED",
    "DELETING",
    "OFFLINING",
    "ARREARS_DOWN",
    "ARREARS_RECOVERING",
)
"""Every deployment status the documentation lists (reference §5.3)."""

Schedule = dict[str, tuple[float, float]]
"""job_id -> (training start, training end) of every job that trains."""


@dataclass(frozen=True)
class JobState:
    """Status of a job at one instant."""

    status: str
    end: float | None
    steps_done: int


@dataclass(frozen=True)
class CheckpointState:
    """A saved checkpoint and its export state."""

    step: int
    created: float
    export_status: str
    display_name: str | None

    @property
    def name(self) -> str:
        """`checkpoint-<step>`."""
        return f"checkpoint-{self.step}"


@dataclass(frozen=True)
class TaskState:
    """Status of an image task at one instant."""

    status: str
    scheduled: float | None
    end: float | None


def _key(job: JobRecord) -> tuple[str, str]:
    hp = job.hp
    return str(hp.get("generation_type", "t2i")), str(hp.get("max_token_length", "2k"))


def steps_of(job: JobRecord) -> tuple[int, float]:
    """(total steps, simulated seconds per step)."""
    hp = job.hp
    steps = int(hp.get("max_steps") or int(hp.get("n_epochs", 10)) * 10)
    return steps, STEP_S.get(_key(job), 15.4)


def lmax(job: JobRecord) -> int:
    """Tokens per sample-step (billing)."""
    return LMAX.get(_key(job), 23220)


def schedule(jobs: Iterable[JobRecord]) -> Schedule:
    """(start, end) of every job that trains: one at a time, in creation order."""
    plan: Schedule = {}
    free_at = 0.0
    for job in jobs:
        ready = job.created + PENDING_S
        cancel = job.cancel_at
        if job.problem or (cancel is not None and cancel < ready):
            continue
        start = max(ready, free_at)
        if cancel is not None and cancel < start:
            continue
        steps, step_s = steps_of(job)
        end = start + steps * step_s
        if cancel is not None:
            end = min(end, cancel)
        plan[job.job_id] = (start, end)
        free_at = end
    return plan


def job_state(job: JobRecord, now: float, plan: Schedule) -> JobState:  # noqa: PLR0911 - one return per status
    """Status, end time (terminal only) and steps done."""
    ready = job.created + PENDING_S
    cancel = job.cancel_at
    steps, step_s = steps_of(job)
    if cancel is not None and now >= cancel:
        start, _ = plan.get(job.job_id, (cancel, cancel))
        done = int(max(0.0, min(cancel, start + steps * step_s) - start) // step_s) if start < cancel else 0
        if now < cancel + CANCEL_S:
            return JobState("CANCELING", None, done)
        return JobState("CANCELED", cancel + CANCEL_S, done)
    if now < ready:
        return JobState("PENDING", None, 0)
    if job.problem:
        return JobState("FAILED", ready, 0)
    if job.job_id not in plan:  # cancelled before its turn came, by a request after `now` was read: queued until then
        return JobState("QUEUING", None, 0)
    start, end = plan[job.job_id]
    if now < start:
        return JobState("QUEUING", None, 0)
    if now < end:
        return JobState("RUNNING", None, int((now - start) // step_s))
    return JobState("SUCCEEDED", end, steps)


def checkpoints(job: JobRecord, now: float, plan: Schedule) -> list[CheckpointState]:
    """Saved checkpoints, step descending: one every `eval_steps` and at the end, the last `save_total_limit`."""
    if job.job_id not in plan:
        return []
    start, end = plan[job.job_id]
    steps, step_s = steps_of(job)
    every = int(job.hp.get("eval_steps") or steps) or steps
    marks = sorted({*range(every, steps + 1, every), steps})
    reached = [s for s in marks if start + s * step_s <= min(now, end + 1e-6)]
    keep = reached[-int(job.hp.get("save_total_limit", 10)) :]
    result = []
    for step in reversed(keep):
        export = job.exports.get(f"checkpoint-{step}")
        status = "PENDING"
        if export is not None:
            status = "PROCESSING" if now < export.at + EXPORT_S else "SUCCEEDED"
        result.append(CheckpointState(step, start + step * step_s, status, export.name if export else None))
    return result


def deployment_status(dep: DeploymentRecord, now: float) -> str | None:
    """Current status, or None once a deletion has completed."""
    if dep.delete_at is not None:
        return "DELETING" if now < dep.delete_at + DELETE_S else None
    if dep.forced_status is not None and (dep.forced_until is None or now < dep.forced_until):
        return dep.forced_status
    if dep.scale_at is not None and now < dep.scale_at + SCALE_S:
        return "UPDATING"
    return "PENDING" if now < dep.created + DEPLOY_S else "RUNNING"


def task_state(task: TaskRecord, now: float) -> TaskState:
    """PENDING for 2 s, RUNNING until 20 s, then SUCCEEDED; CANCELED when canceled while PENDING."""
    submitted = task.submitted
    if task.sync:
        return TaskState("SUCCEEDED", submitted, submitted)
    if task.canceled is not None:
        return TaskState("CANCELED", None, task.canceled)
    if now < submitted + TASK_PENDING_S:
        return TaskState("PENDING", None, None)
    scheduled = submitted + TASK_PENDING_S
    if now < submitted + TASK_S:
        return TaskState("RUNNING", scheduled, None)
    return TaskState("SUCCEEDED", scheduled, submitted + TASK_S)
