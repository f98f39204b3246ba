"""What a FineTuneJob change means: a new paid run (replace), bookkeeping (update in place), or nothing.

What was trained is the base model, the hyper-parameters as the user declared them and the content of the
data. Server-assigned file ids are not: a re-upload of identical content changes the ids, not the training.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_modelstudio.core.identity import canonical
from pulumi_modelstudio.resources._base import is_unknown

__all__ = ["SENT_HYPER_PARAMETERS", "data_change", "hyperparameters_changed"]

SENT_HYPER_PARAMETERS = "sent_hyper_parameters"
"""Output: the full parameter set sent on create; its presence marks state that records declared values."""


def _ids(value: object) -> object:
    return value if is_unknown(value) else canonical(list(value) if isinstance(value, list | tuple) else [])


def _digests(value: object) -> list[str] | None:
    if not isinstance(value, list | tuple) or is_unknown(value):
        return None
    return [str(v) for v in value] if all(isinstance(v, str) for v in value) else None


def data_change(olds: Mapping[str, Any], news: Mapping[str, Any], role: str) -> tuple[str | None, bool]:
    """(field that forces a replacement, whether to update in place) for the `role` datasets.

    With content digests on both sides (`<role>_sha256`), only a digest change retrains; new file ids with the
    same digests are recorded in place without any API call. Without them, the file ids are all there is.
    """
    ids_field, sha_field = f"{role}_file_ids", f"{role}_sha256"
    new_ids, old_ids = _ids(news.get(ids_field)), _ids(olds.get(ids_field))
    ids_changed = is_unknown(new_ids) or new_ids != old_ids
    new_sha, old_sha = news.get(sha_field), olds.get(sha_field)
    known_new, known_old = _digests(new_sha), _digests(old_sha)
    if known_new is not None and known_old is not None:
        if known_new != known_old:
            return sha_field, False
        return None, ids_changed
    if is_unknown(new_sha) and old_sha is not None:
        return (sha_field, False) if ids_changed else (None, False)
    return (ids_field, False) if ids_changed else (None, False)


def hyperparameters_changed(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether the declared hyper-parameters differ from those the job was created with.

    State written by this version keeps the declared values; state of an earlier release kept them filled
    with that release's defaults, so only what is declared now can be compared with it: a changed default
    never retrains.
    """
    new, old = news.get("hyper_parameters"), olds.get("hyper_parameters")
    if is_unknown(new):
        return True
    if not isinstance(new, Mapping) or not isinstance(old, Mapping):
        return bool(canonical(new) != canonical(old))
    if SENT_HYPER_PARAMETERS in olds:
        return bool(canonical(old) != canonical(new))
    return any(canonical(old.get(k)) != canonical(v) for k, v in new.items() if v is not None)
