"""Preview placeholders at every depth: `check` and `diff` of every provider never fail on them.

Current Pulumi passes `pulumi.output.Unknown` objects (and older hosts the string placeholder) for values not
known at preview: a whole input, an item of a list, a value of a mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi_modelstudio.core.values import UNKNOWN
from pulumi_modelstudio.resources._base import ModelStudioProvider
from pulumi_modelstudio.resources.checkpoint_export import CheckpointExportProvider
from pulumi_modelstudio.resources.dataset import DatasetProvider
from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider

from tests.resources.support import HP, TRAIN, owner

SHA = "f09b6e28babd9b62313fcf31be2b20e090c663bed1fd64d8cf8b50fa7bd879e9"
PLACEHOLDERS: dict[str, Callable[[], Any]] = {"object": Unknown, "string": lambda: UNKNOWN}

JOB_OLDS: dict[str, Any] = {
    "model": "wan2.7-image-pro",
    "training_file_ids": ["f1"],
    "validation_file_ids": ["v1"],
    "training_sha256": [SHA],
    "validation_sha256": [SHA],
    "hyper_parameters": dict(HP),
    "wait": True,
    "timeout_minutes": 60,
    "sent_hyper_parameters": dict(HP),
    "job_id": "ft-1",
}
DATASET_OLDS: dict[str, Any] = {"source": str(TRAIN), "generation_type": "t2i", "role": "training", "sha256": SHA}
EXPORT_OLDS: dict[str, Any] = {"job_id": "ft-1", "checkpoint": "latest", "export_name": "x", "deployable_model": "m"}
DEPLOY_OLDS: dict[str, Any] = {
    "model_name": "m",
    "capacity": 1,
    "plan": "lora",
    "suffix": "prod",
    "timeout_minutes": 30,
}


def _with(base: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A deep copy of `base` with `value` at `path` (a missing list index appends)."""
    copied: dict[str, Any] = {
        k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v) for k, v in base.items()
    }
    target: Any = copied
    for step in path[:-1]:
        target = target[step]
    last = path[-1]
    if isinstance(target, list) and isinstance(last, int) and last >= len(target):
        target.append(value)
    else:
        target[last] = value
    return copied


NO_CHANGE = {"job whole digests", "job digest", "deployment capacity"}
"""Unknown digests of the very files the job trained on (the same files hold the same content), and a
capacity, which has no effect on LoRA deployments."""


@dataclass(frozen=True)
class Case:
    """One placeholder position: which provider, its state, where the placeholder goes, what it replaces."""

    name: str
    make: Callable[[], ModelStudioProvider]
    olds: dict[str, Any]
    path: tuple[str | int, ...]
    replaces: frozenset[str] = frozenset()


def _job() -> ModelStudioProvider:
    return FineTuneJobProvider(owner("j"))


def _dataset() -> ModelStudioProvider:
    return DatasetProvider(owner("d"))


def _export() -> ModelStudioProvider:
    return CheckpointExportProvider(owner("x"))


def _deployment() -> ModelStudioProvider:
    return DeploymentProvider(owner("p"))


CASES = [
    Case("job model", _job, JOB_OLDS, ("model",), frozenset({"model"})),
    Case("job whole file list", _job, JOB_OLDS, ("training_file_ids",)),
    Case("job file id", _job, JOB_OLDS, ("training_file_ids", 0)),
    Case("job added file id", _job, JOB_OLDS, ("validation_file_ids", 1)),
    Case("job whole digests", _job, JOB_OLDS, ("training_sha256",)),
    Case("job digest", _job, JOB_OLDS, ("validation_sha256", 0)),
    Case("job hyper-parameters", _job, JOB_OLDS, ("hyper_parameters",), frozenset({"hyper_parameters"})),
    Case("job hyper-parameter", _job, JOB_OLDS, ("hyper_parameters", "max_steps"), frozenset({"hyper_parameters"})),
    Case("job timeout", _job, JOB_OLDS, ("timeout_minutes",)),
    Case("job wait", _job, JOB_OLDS, ("wait",)),
    Case("dataset source", _dataset, DATASET_OLDS, ("source",)),
    Case("dataset type", _dataset, DATASET_OLDS, ("generation_type",), frozenset({"generation_type"})),
    Case("dataset role", _dataset, DATASET_OLDS, ("role",), frozenset({"role"})),
    Case("export job", _export, EXPORT_OLDS, ("job_id",), frozenset({"job_id"})),
    Case("export name", _export, EXPORT_OLDS, ("model_name",), frozenset({"model_name"})),
    Case("export checkpoint", _export, EXPORT_OLDS, ("checkpoint",), frozenset({"checkpoint"})),
    Case("deployment model", _deployment, DEPLOY_OLDS, ("model_name",), frozenset({"model_name"})),
    Case("deployment capacity", _deployment, DEPLOY_OLDS, ("capacity",)),
    Case("deployment suffix", _deployment, DEPLOY_OLDS, ("suffix",), frozenset({"suffix"})),
    Case("deployment plan", _deployment, DEPLOY_OLDS, ("plan",), frozenset({"plan"})),
]


@pytest.mark.parametrize("placeholder", list(PLACEHOLDERS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_and_diff_take_placeholders(case: Case, placeholder: str) -> None:
    provider = case.make()
    news = _with(case.olds, case.path, PLACEHOLDERS[placeholder]())
    checked = provider.check({}, news)
    assert checked.failures == [], (case.name, [f.reason for f in checked.failures])
    diff = provider.diff("id", case.olds, news)
    assert set(diff.replaces or []) == case.replaces, (case.name, diff.replaces)
    if case.name not in NO_CHANGE:  # unknown: the preview cannot promise that nothing changes
        assert diff.changes, case.name


@pytest.mark.parametrize("placeholder", list(PLACEHOLDERS))
def test_unknown_data_with_unknown_digests_replaces(placeholder: str) -> None:
    unknown = PLACEHOLDERS[placeholder]
    news = dict(JOB_OLDS, training_file_ids=[unknown()], training_sha256=unknown())
    diff = FineTuneJobProvider(owner("j")).diff("id", JOB_OLDS, news)
    assert diff.replaces == ["training_sha256"]


@pytest.mark.parametrize("placeholder", list(PLACEHOLDERS))
def test_every_input_unknown_at_once(placeholder: str) -> None:
    unknown = PLACEHOLDERS[placeholder]
    for make, olds in ((_job, JOB_OLDS), (_dataset, DATASET_OLDS), (_export, EXPORT_OLDS), (_deployment, DEPLOY_OLDS)):
        provider = make()
        news = {key: unknown() for key in olds}
        assert provider.check({}, news).failures == []
        assert provider.diff("id", olds, news).changes
