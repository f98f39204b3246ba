"""What a FineTuneJob change means: a new paid run (replace), bookkeeping (update in place), or nothing.

What was trained is the base model, the hyper-parameters as the user declared them and the content of the
data. Server-assigned file ids are not: a re-upload of identical content changes the ids, not the training.
A job that ended FAILED or CANCELED trains again; a blocking run waits for a job an earlier run left training.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_modelstudio.core.adoption import adopted_diff
from pulumi_modelstudio.core.fine_tune_job.inputs import FileIds, FineTuneJobInputs, FineTuneJobState
from pulumi_modelstudio.core.identity import canonical
from pulumi_modelstudio.core.model import Diff, changed
from pulumi_modelstudio.core.values import is_unknown
from pulumi_modelstudio.wire.statuses import RETRAIN_JOB_STATUSES, TERMINAL_JOB_STATUSES

__all__ = ["data_change", "hyperparameters_changed", "job_diff"]


def _ids(value: FileIds | None) -> object:
    return value if is_unknown(value) else canonical(list(value) if isinstance(value, list) else [])


def _digests(value: FileIds | None) -> list[str] | None:
    if not isinstance(value, list) or is_unknown(value):
        return None
    return [str(v) for v in value] if all(isinstance(v, str) for v in value) else None


def data_change(
    old_ids: FileIds | None, new_ids: FileIds | None, old_sha: FileIds | None, new_sha: FileIds | None, role: str
) -> tuple[str | None, bool]:
    """(field that forces a replacement, whether to update in place) for the `role` datasets.

    With content digests on both sides (`<role>_sha256`), only a digest change retrains; new file ids with the
    same digests are recorded in place without any API call. Without them, the file ids are all there is.
    """
    ids_field, sha_field = f"{role}_file_ids", f"{role}_sha256"
    ids_changed = is_unknown(new_ids) or _ids(new_ids) != _ids(old_ids)
    known_new, known_old = _digests(new_sha), _digests(old_sha)
    if known_new is not None and known_old is not None:
        if known_new != known_old:
            return sha_field, False
        return None, ids_changed
    if is_unknown(new_sha) and old_sha is not None:
        return (sha_field, False) if ids_changed else (None, False)
    return (ids_field, False) if ids_changed else (None, False)


def hyperparameters_changed(olds: FineTuneJobState, news: FineTuneJobInputs) -> bool:
    """Whether the declared hyper-parameters differ from those the job was created with.

    State written by this version keeps the declared values; state of an earlier release kept them filled
    with that release's defaults, so only what is declared now can be compared with it: a changed default
    never retrains.
    """
    new, old = news.hyper_parameters, olds.hyper_parameters
    if is_unknown(new):
        return True
    if not isinstance(new, Mapping) or not isinstance(old, Mapping):
        return bool(canonical(new) != canonical(old))
    if olds.is_set("sent_hyper_parameters"):
        return bool(canonical(old) != canonical(new))
    return any(canonical(old.get(k)) != canonical(v) for k, v in new.items() if v is not None)


def _declared_diff(olds: FineTuneJobState, news: FineTuneJobInputs) -> Diff:
    """Replace when what is trained changed (model, declared hyper-parameters, data content); new file ids
    of the same content, `wait` and `timeout_minutes` update in place without any API call."""
    adopted = adopted_diff(olds, news)
    if adopted is not None:
        return adopted
    replaces = ["model"] if changed(olds.model, news.model) else []
    if hyperparameters_changed(olds, news):
        replaces.append("hyper_parameters")
    updates = changed(olds.wait, news.wait) or changed(olds.timeout_minutes, news.timeout_minutes)
    for role, old_ids, new_ids, old_sha, new_sha in (
        ("training", olds.training_file_ids, news.training_file_ids, olds.training_sha256, news.training_sha256),
        (
            "validation",
            olds.validation_file_ids,
            news.validation_file_ids,
            olds.validation_sha256,
            news.validation_sha256,
        ),
    ):
        replaced, updated = data_change(old_ids, new_ids, old_sha, new_sha, role)
        if replaced:
            replaces.append(replaced)
        updates = updates or updated
    return Diff(tuple(replaces), updates)


def job_diff(olds: FineTuneJobState, news: FineTuneJobInputs) -> Diff:
    """What is trained decides; a job that ended FAILED or CANCELED trains again; a blocking run waits."""
    result = _declared_diff(olds, news)
    status = olds.status
    if result.replaces or not isinstance(status, str) or olds.adopted_id:
        return result
    if status in RETRAIN_JOB_STATUSES:
        return Diff(("status",), updates=True)
    if status not in TERMINAL_JOB_STATUSES and news.training_mode == "wait":
        return Diff((), updates=True)
    return result
