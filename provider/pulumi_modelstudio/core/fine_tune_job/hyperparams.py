"""A job's hyper-parameters at check and create: validated once per content, priced, filled with defaults."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pulumi_modelstudio.core.checkcache import CheckCache
from pulumi_modelstudio.core.fine_tune_job.inputs import DatasetType
from pulumi_modelstudio.core.model import Failure
from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.core.values import is_unknown
from pulumi_modelstudio.errors import ModelStudioError

__all__ = ["checked_hyperparameters", "generation_type_conflicts", "sent_hyperparameters"]


def checked_hyperparameters(
    hp: dict[str, Any], resource: str = "hyper_parameters"
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """(problems, normalized parameters), remembered by content so unchanged previews skip the validation.

    Advice (few steps, sizes that differ) is printed as a warning for `resource` when the set is first checked.
    """
    key = "hp:" + hashlib.sha256(json.dumps(hp, sort_keys=True).encode()).hexdigest()
    cache = CheckCache.default()
    known = cache.get(key)
    if known is not None:
        return [], dict(known)
    from pulumi_modelstudio.wan.hyperparams import (  # noqa: PLC0415
        hyperparameter_problems,
        hyperparameter_warnings,
        normalize_hyperparameters,
    )

    problems = hyperparameter_problems(hp)
    if problems:
        return problems, {}
    for field, advice in hyperparameter_warnings(hp):
        progress(resource, f"warning: {field}: {advice}")
    normalized = normalize_hyperparameters(hp)
    cache.put(key, normalized)
    return [], normalized


def generation_type_conflicts(declared: object, datasets: object) -> list[Failure]:
    """A failure when hyper_parameters.generation_type contradicts the datasets the job trains on."""
    if not isinstance(declared, str) or is_unknown(declared) or not isinstance(datasets, list) or is_unknown(datasets):
        return []
    wrong = [d for d in datasets if isinstance(d, DatasetType) and d.generation_type != declared]
    if not wrong:
        return []
    named = ", ".join(f"'{d.dataset}' is {d.generation_type!r}" for d in wrong)
    other = wrong[0].generation_type
    reason = (
        f"{declared!r} contradicts the datasets ({named}) — make them the same: set "
        f"hyper_parameters.generation_type={other!r} or declare the Dataset with generation_type={declared!r}"
    )
    return [Failure("hyper_parameters.generation_type", reason)]


def sent_hyperparameters(resource: str, declared: object) -> dict[str, Any]:
    """The full parameter set to send: declared values with the documented defaults; fails on invalid input."""
    problems, normalized = (
        ([], {}) if not isinstance(declared, Mapping) else checked_hyperparameters(dict(declared), resource)
    )
    if problems or not normalized:
        detail = "; ".join(f"{field}: {reason}" for field, reason in problems) or "not a mapping of values"
        msg = f"FineTuneJob '{resource}': hyper_parameters are invalid ({detail}); nothing was submitted"
        raise ModelStudioError(msg)
    return normalized
