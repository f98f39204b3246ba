"""Submitting a job exactly once: adopt the job this declaration already started, else submit it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pulumi_modelstudio.core.attempts import look_up_or_create
from pulumi_modelstudio.core.fine_tune_job.ownership import find_own_job
from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.errors import JobFailedError

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.core.fine_tune_job.inputs import FineTuneJobInputs
    from pulumi_modelstudio.core.identity import Owner
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob as JobObject

__all__ = ["adopt_or_submit"]


def adopt_or_submit(
    client: ModelStudioClient, props: FineTuneJobInputs, owner: Owner, name: str, sent: dict[str, Any]
) -> JobObject:
    """The job named `name` this declaration started (after an interrupted run), or a newly submitted one."""
    from pulumi_modelstudio.wire.fine_tunes import CreateFineTuneRequest  # noqa: PLC0415 - keep previews light

    resource = owner.resource
    training = props.training_file_ids if isinstance(props.training_file_ids, list) else []
    validation = props.validation_file_ids if isinstance(props.validation_file_ids, list) else []
    request = CreateFineTuneRequest(
        model=str(props.model),
        training_file_ids=[str(f) for f in training],
        validation_file_ids=[str(f) for f in validation] or None,
        training_type="efficient_sft",
        hyper_parameters=sent,
        job_name=name,
    )
    listed_before_submit: set[str] | None = None

    def look_up(_attempt: int) -> JobObject | None:
        nonlocal listed_before_submit
        jobs = list(client.fine_tunes.iter_all())
        existing = find_own_job(client, jobs, request, owner, listed_before_submit)
        if existing is not None:
            progress(resource, f"adopting job {existing.job_id} ({existing.status}) this declaration started")
            return existing
        listed_before_submit = {j.job_id for j in jobs}
        return None

    def submit() -> JobObject:
        job = client.fine_tunes.create(request)
        progress(resource, f"submitted job {job.job_id} ({name}); estimated cost {props.estimated_cost_cny} CNY")
        return job

    job = look_up_or_create(look_up, submit, what="job submission", resource=resource)
    if job is None:
        msg = f"FineTuneJob '{resource}': could not submit job {name}"
        raise JobFailedError(msg, job_id="", status="UNKNOWN", code=None, message=msg)
    return job
