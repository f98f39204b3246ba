"""Which fine-tune jobs a FineTuneJob owns: the one to adopt after an interrupted run, and the ones to keep.

A job is this declaration's when the service echoes the `job_name` it sent (it carries the owner key), or,
when the service ignores custom names (`job_name` = `job_id`), when it trains exactly what this declaration
sends on files this stack uploaded (their names carry the stack's keys), or appeared after this run's own
submission. Nothing another stack could own is ever adopted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pulumi_modelstudio.core.identity import Owner, canonical, parse_job_name
from pulumi_modelstudio.errors import NotFoundError
from pulumi_modelstudio.wire.statuses import RETRAIN_JOB_STATUSES

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.core.fine_tune_job.inputs import FineTuneJobInputs
    from pulumi_modelstudio.wire.fine_tunes import CreateFineTuneRequest
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob as JobObject

__all__ = ["find_own_job", "keep_reason", "remember", "replaced_in_this_run", "training_spec"]

_LOCK = threading.Lock()
_THIS_RUN: dict[str, set[str]] = {}
"""Jobs this provider process submitted or adopted, by owner key. One process serves one `pulumi` run, so a
delete of another job of the same owner in the same run is the end of a replacement, not a destroy."""


def remember(owner: Owner, job_id: str) -> None:
    """Note that this run created or adopted `job_id` for `owner`."""
    with _LOCK:
        _THIS_RUN.setdefault(owner.key, set()).add(job_id)


def training_spec(props: FineTuneJobInputs, hyper_parameters: dict[str, Any]) -> dict[str, Any]:
    """What a job trains: model, the parameters sent, and the data (content digests when known, else file ids)."""

    def data(digests: object, file_ids: object) -> list[Any]:
        if isinstance(digests, list) and all(isinstance(d, str) for d in digests):
            return list(digests)
        return list(file_ids) if isinstance(file_ids, list) else []

    return {
        "model": props.model,
        "hyper_parameters": hyper_parameters,
        "training": data(props.training_sha256, props.training_file_ids),
        "validation": data(props.validation_sha256, props.validation_file_ids),
    }


def _newest(jobs: Iterable[JobObject]) -> JobObject | None:
    return max(jobs, key=lambda j: j.create_time or "", default=None)


def _trains(job: JobObject, request: CreateFineTuneRequest) -> bool:
    """Whether `job` trains what `request` asks for (the service may add its own defaults to the parameters)."""
    if job.model not in (None, request.model) or job.base_model not in (None, request.model):
        return False
    if sorted(job.all_training_file_ids) != sorted(request.training_file_ids):
        return False
    if sorted(job.all_validation_file_ids) != sorted(request.validation_file_ids or []):
        return False
    got = job.hyper_parameters
    return all(canonical(got.get(k)) == canonical(v) for k, v in request.hyper_parameters.items())


def _own_uploads(client: ModelStudioClient, owner: Owner, file_ids: list[str]) -> bool:
    """Whether every file was uploaded by a Dataset of this owner's stack (its name carries the stack's key)."""
    for file_id in file_ids:
        try:
            name = client.files.get(file_id).name
        except NotFoundError:
            return False
        if not owner.owns_upload(name):
            return False
    return bool(file_ids)


def find_own_job(
    client: ModelStudioClient,
    jobs: list[JobObject],
    request: CreateFineTuneRequest,
    owner: Owner,
    listed_before_submit: set[str] | None,
) -> JobObject | None:
    """The live job this declaration already started, if any (see the module docstring for the rules)."""
    alive = [j for j in jobs if j.status not in RETRAIN_JOB_STATUSES]
    named = _newest(j for j in alive if j.job_name == request.job_name)
    if named is not None:
        return named
    unnamed = [j for j in alive if j.name_dropped and _trains(j, request)]
    if not unnamed:
        return None
    if listed_before_submit is not None:
        fresh = _newest(j for j in unnamed if j.job_id not in listed_before_submit)
        if fresh is not None:
            return fresh
    files = [*request.training_file_ids, *(request.validation_file_ids or [])]
    return _newest(unnamed) if _own_uploads(client, owner, files) else None


def replaced_in_this_run(owner: Owner, job_id: str) -> str | None:
    """The job this run created or adopted for `owner` in place of `job_id` (a replacement), or None."""
    with _LOCK:
        others = sorted(_THIS_RUN.get(owner.key, set()) - {job_id})
    return others[0] if others else None


def keep_reason(client: ModelStudioClient, job: JobObject, owner: Owner | None) -> str | None:
    """Why a finished job must stay although its resource is being deleted, or None to delete it.

    It stays when a newer job of the same declaration replaces it (models exported from it may still be
    deployed or rolled back to), or when a deployment on the account still serves a model made from it.
    """
    if owner is not None:
        replaced_by = replaced_in_this_run(owner, job.job_id)
        if replaced_by is not None:
            return f"job {replaced_by} replaces it"
        for other in client.fine_tunes.iter_all():
            parsed = parse_job_name(other.job_name or "")
            if (
                parsed is not None
                and parsed[1] == owner.key
                and other.job_id != job.job_id
                and other.status not in RETRAIN_JOB_STATUSES
                and (other.create_time or "") > (job.create_time or "")
            ):
                return f"job {other.job_id} of the same declaration replaces it"
    models = {job.finetuned_output} | {c.model_name for c in client.fine_tunes.checkpoints(job.job_id)}
    models.discard(None)
    for deployment in client.deployments.iter_all():
        if deployment.model_name in models and deployment.status != "DELETING":
            return f"deployment {deployment.deployed_model} still serves {deployment.model_name}"
    return None
