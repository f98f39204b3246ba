"""FineTuneJob destroy: cancel a running job, delete it unless it must stay, and when the declaration goes for
good (not replaced in the same run) remove its earlier jobs that no deployment serves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_modelstudio.core.fine_tune_job.ownership import keep_reason, replaced_in_this_run
from pulumi_modelstudio.core.fine_tune_job.wait import cancel_job
from pulumi_modelstudio.core.job_cleanup import Cleanup, keep_files_of, remove_earlier_jobs, superseded_hint
from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.errors import BadRequestError, NotFoundError
from pulumi_modelstudio.wire.statuses import ACTIVE_JOB_STATUSES

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.core.context import Context
    from pulumi_modelstudio.core.fine_tune_job.inputs import FineTuneJobState
    from pulumi_modelstudio.core.identity import Owner
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob as JobObject

__all__ = ["delete_job"]


def _file_ids(props: FineTuneJobState) -> list[str]:
    """The training and validation file ids the state records."""
    ids = [props.training_file_ids, props.validation_file_ids]
    return [str(f) for values in ids if isinstance(values, list) for f in values]


def delete_job(context: Context, id_: str, props: FineTuneJobState) -> None:
    """Cancel a job that is still running (it stops billing), then delete it, except a finished job that a
    newer job of this declaration replaces or whose model a deployment still serves: that one stays.

    When the declaration goes for good (not replaced), its earlier jobs that no deployment serves go too.
    """
    resource = context.label(props, id_)
    owner = context.owner(props)
    for_good = owner is not None and replaced_in_this_run(owner, id_) is None
    with context.client() as client:
        try:
            job: JobObject | None = client.fine_tunes.get(id_)
        except NotFoundError:
            job = None
        refused = [] if job is None else _delete_current(client, job, owner, resource, for_good=for_good)
        files = _file_ids(props)
        done = remove_earlier_jobs(client, owner, id_, files) if owner is not None and for_good else Cleanup()
    for job_id, why in done.kept.items():
        progress(resource, f"keeping earlier job {job_id} of this declaration ({why})")
    if done.deleted:
        progress(resource, f"deleted earlier job(s) of this declaration: {', '.join(done.deleted)}")
    refused += done.refused
    if refused:
        progress(
            resource,
            f"the service keeps finished jobs and refused to delete {', '.join(refused)}; they are not billed; "
            f"list them with {superseded_hint(owner.stack if owner else None)}",
        )


def _delete_current(
    client: ModelStudioClient, job: JobObject, owner: Owner | None, resource: str, *, for_good: bool
) -> list[str]:
    """Delete this resource's own job (see `delete_job`); returns it when the service refuses to.

    A job that stays although its declaration goes for good keeps its training files for the rest of the run.
    """
    if job.status in ACTIVE_JOB_STATUSES:
        progress(resource, f"cancelling running job {job.job_id}")
        cancel_job(client, job.job_id)
    elif job.status == "SUCCEEDED":
        reason = keep_reason(client, job, owner)
        if reason is not None:
            if for_good:
                keep_files_of(job)
            progress(
                resource,
                f"keeping job {job.job_id} and its exported models ({reason}); "
                "list superseded jobs and remove the unused ones with `modelstudio jobs superseded`",
            )
            return []
    try:
        client.fine_tunes.delete(job.job_id)
    except NotFoundError:
        return []
    except BadRequestError:  # the service may refuse to delete a finished job
        if for_good:
            keep_files_of(job)
        return [job.job_id]
    return []
