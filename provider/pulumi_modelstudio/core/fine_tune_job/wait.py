"""Waiting for a job: for its training slot, then for its end, with progress lines; a deadline cancels it."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from pulumi_modelstudio.core.fine_tune_job.training import failure_report, read_progress, span
from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.core.waiters import PollPlan, wait_until
from pulumi_modelstudio.errors import (
    BadRequestError,
    JobFailedError,
    NotFoundError,
    RunInterruptedError,
    WaitTimeoutError,
)
from pulumi_modelstudio.wan.durations import QUEUE_SECONDS, expected_training_seconds
from pulumi_modelstudio.wire.statuses import TERMINAL_JOB_STATUSES, WAITING_JOB_STATUSES

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob as JobObject

__all__ = ["cancel_job", "wait_for_job"]

_CANCEL_WAIT_S = 600.0
_QUEUE_LIMIT_S = 7 * 24 * 3600.0
"""How long a job may wait for a training slot before the provider gives up (it is not billed meanwhile)."""
_STATUS_NOTES = {
    "QUEUING": " (another job of this account is training; Model Studio trains one at a time, this one is next)",
    "CANCELING": " (stopping; billing ends when it is CANCELED)",
}


def wait_for_job(
    client: ModelStudioClient, job: JobObject, sent: dict[str, Any], timeout_minutes: float | None, resource: str
) -> JobObject:
    """Wait until the job ends; an interrupted run gets the job as it is now (it is recorded, not lost).

    `sent` is the parameter set the job was submitted with (it decides the expected duration).
    """
    expected = expected_training_seconds(sent) - QUEUE_SECONDS
    timeout_min = timeout_minutes or max(120.0, 3 * expected / 60)
    plan = PollPlan(expected_s=expected)
    seen: dict[str, Any] = {"status": job.status, "job": job}

    def on_poll(current: JobObject) -> None:
        seen["job"] = current
        if current.status != seen["status"]:
            seen["status"] = current.status
            why = _STATUS_NOTES.get(current.status, "")
            progress(resource, f"job {current.job_id}: {current.status}{why}")
        elif current.status == "RUNNING":
            progress(resource, f"job {current.job_id}: {read_progress(client, current, sent).describe()}")

    fetch = lambda: client.fine_tunes.get(job.job_id)  # noqa: E731
    try:
        if job.status == "RUNNING":  # adopted or read again part-way: say what is left, not the whole run
            progress(resource, f"waiting for job {job.job_id}: {read_progress(client, job, sent).describe()}")
        elif job.status not in TERMINAL_JOB_STATUSES:
            progress(resource, f"waiting for job {job.job_id} ({job.status}); expected ~{span(expected)} of training")
        # Time spent waiting for the account's single training slot is not billed and not counted.
        started = wait_until(
            fetch,
            done=lambda j: j.status not in WAITING_JOB_STATUSES,
            status=lambda j: j.status,
            what="fine-tune job (waiting to start)",
            ident=job.job_id,
            timeout_s=_QUEUE_LIMIT_S,
            next_interval=PollPlan(expected_s=60, max_s=300).interval,
            timing=client,
            on_poll=on_poll,
        )
        final = (
            started
            if started.status in TERMINAL_JOB_STATUSES
            else wait_until(
                fetch,
                done=lambda j: j.status in TERMINAL_JOB_STATUSES,
                status=lambda j: j.status,
                what="fine-tune job",
                ident=job.job_id,
                timeout_s=float(timeout_min) * 60,
                next_interval=plan.interval,
                timing=client,
                on_poll=on_poll,
            )
        )
    except RunInterruptedError:
        current: JobObject = seen["job"]
        progress(
            resource,
            f"interrupted: job {current.job_id} ({current.status}) keeps training and is recorded in the stack; "
            "the next `pulumi up` picks it up without training again",
        )
        return current
    except WaitTimeoutError as exc:
        progress(resource, f"deadline of {timeout_min:.0f} min passed; cancelling job {job.job_id}")
        cancel_job(client, job.job_id)
        with contextlib.suppress(BadRequestError, NotFoundError):
            client.fine_tunes.delete(job.job_id)  # nothing is left behind that Pulumi does not track
        msg = (
            f"FineTuneJob '{resource}': job {job.job_id} did not finish within {timeout_min:.0f} minutes "
            f"(last status {exc.last_status}); it was cancelled (billing stops) and deleted. "
            "Fix: raise timeout_minutes, or use `training: submit` and let later runs pick it up."
        )
        raise JobFailedError(msg, job_id=job.job_id, status="CANCELED", code="Timeout", message=msg) from exc
    if final.status != "SUCCEEDED":
        msg = (
            f"FineTuneJob '{resource}': job {final.job_id} ended {failure_report(client, final)}\n"
            "Fix the cause, then run `pulumi up` again to start a new job."
        )
        raise JobFailedError(msg, job_id=final.job_id, status=final.status, code=final.code, message=final.message)
    progress(resource, f"job {final.job_id} SUCCEEDED: {final.finetuned_output} ({final.usage} tokens)")
    return final


def cancel_job(client: ModelStudioClient, job_id: str) -> None:
    """Cancel a job and wait until it has stopped (already finished or gone is fine)."""
    with contextlib.suppress(BadRequestError, NotFoundError):
        client.fine_tunes.cancel(job_id)
    wait_until(
        lambda: client.fine_tunes.get(job_id),
        done=lambda j: j.status in TERMINAL_JOB_STATUSES,
        status=lambda j: j.status,
        what="fine-tune job cancellation",
        ident=job_id,
        timeout_s=_CANCEL_WAIT_S,
        next_interval=lambda _elapsed: 5.0,
        timing=client,
    )
