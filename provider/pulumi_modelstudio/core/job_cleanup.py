"""When a FineTuneJob is deleted for good: remove the earlier jobs of its declaration that nothing serves.

A retrain keeps the replaced job (its models may still be deployed or rolled back to). When the declaration
itself goes (`pulumi destroy`, or the model removed from the program), those earlier jobs go too. A job is the
declaration's when its `job_name` carries the declaration's owner key, or, where the service keeps no custom
names, when it trained only on files uploaded by the same Dataset declarations as the declaration's current job
(upload names carry the Dataset's resource name and owner key). No provider can read another stack's state;
another stack uses a model of this one only by deploying it, so a job stays while any deployment on the account
serves a model made from it. Jobs the service refuses to delete are reported once; where their names carry no
owner key, the files they trained on stay on the account (the Dataset deletions of the same run skip them), so
`modelstudio jobs superseded` still proves them this stack's afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pulumi_modelstudio.core.identity import Owner, parse_job_name, parse_upload_name
from pulumi_modelstudio.errors import BadRequestError, NotFoundError
from pulumi_modelstudio.wire.statuses import TERMINAL_JOB_STATUSES

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob as JobObject

__all__ = ["Cleanup", "file_kept_for_jobs", "keep_files_of", "remove_earlier_jobs", "superseded_hint"]

_LOCK = threading.Lock()
_KEPT_FILES: dict[str, str] = {}
"""File id -> a job the service keeps that trained on it, for this provider process (one `pulumi` run)."""


@dataclass
class Cleanup:
    """What the removal of a declaration's earlier jobs did."""

    deleted: list[str] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)
    """Job id -> why it stays (a deployment serves a model of it)."""
    refused: list[str] = field(default_factory=list)
    """Jobs the service would not delete (it keeps finished jobs)."""


def superseded_hint(stack: str | None) -> str:
    """The command that lists a stack's jobs its state no longer records."""
    return f"`modelstudio jobs superseded --stack {stack}`" if stack else "`modelstudio jobs superseded`"


def keep_files_of(job: JobObject) -> None:
    """Remember that `job` stays: when its name carries no owner key, the files it trained on (whose names do)
    stay for the rest of this run, as the proof that it is this stack's."""
    if parse_job_name(job.job_name or "") is not None:
        return
    with _LOCK:
        for file_id in [*job.all_training_file_ids, *job.all_validation_file_ids]:
            _KEPT_FILES.setdefault(file_id, job.job_id)


def file_kept_for_jobs(file_id: str) -> str | None:
    """The job the service keeps that trained on `file_id` (its proof of ownership), or None to delete it."""
    with _LOCK:
        return _KEPT_FILES.get(file_id)


def _upload_owners(client: ModelStudioClient, owner: Owner, file_ids: Iterable[str]) -> frozenset[str] | None:
    """Keys of this stack's Dataset declarations that uploaded the files, or None when one is not provably its."""
    keys: set[str] = set()
    for file_id in file_ids:
        try:
            name = client.files.get(file_id).name
        except NotFoundError:
            return None
        parsed = parse_upload_name(name)
        if parsed is None or Owner(owner.project, owner.stack, parsed[0]).key != parsed[1]:
            return None
        keys.add(parsed[1])
    return frozenset(keys) or None


def _served_models(client: ModelStudioClient) -> dict[str, str]:
    """Model name -> deployed model, for every deployment on the account that is not being deleted."""
    return {
        d.model_name: d.deployed_model for d in client.deployments.iter_all() if d.model_name and d.status != "DELETING"
    }


def _serving(client: ModelStudioClient, job: JobObject, served: dict[str, str]) -> str | None:
    models = [job.finetuned_output] + [c.model_name for c in client.fine_tunes.checkpoints(job.job_id)]
    for model in models:
        if model and model in served:
            return f"deployment {served[model]} serves {model}"
    return None


def _earlier_jobs(
    client: ModelStudioClient, owner: Owner, current_id: str, current_files: list[str]
) -> list[JobObject]:
    """Finished jobs of this declaration other than the current one (see the module docstring for the rules)."""
    current_uploads = _upload_owners(client, owner, current_files) if current_files else None
    found: list[JobObject] = []
    for job in client.fine_tunes.iter_all():
        if job.job_id == current_id or job.status not in TERMINAL_JOB_STATUSES:
            continue
        parsed = parse_job_name(job.job_name or "")
        if parsed is not None:
            if parsed[1] == owner.key:
                found.append(job)
            continue
        if not job.name_dropped or current_uploads is None:
            continue
        files = [*job.all_training_file_ids, *job.all_validation_file_ids]
        if files and _upload_owners(client, owner, files) == current_uploads:
            found.append(job)
    return found


def remove_earlier_jobs(client: ModelStudioClient, owner: Owner, current_id: str, current_files: list[str]) -> Cleanup:
    """Delete the declaration's earlier jobs that no deployment serves; report those kept or refused."""
    result = Cleanup()
    earlier = _earlier_jobs(client, owner, current_id, current_files)
    served = _served_models(client) if earlier else {}
    for job in earlier:
        reason = _serving(client, job, served)
        if reason is not None:
            result.kept[job.job_id] = reason
            keep_files_of(job)
            continue
        try:
            client.fine_tunes.delete(job.job_id)
        except NotFoundError:
            continue
        except BadRequestError:
            result.refused.append(job.job_id)
            keep_files_of(job)
            continue
        result.deleted.append(job.job_id)
    return result
