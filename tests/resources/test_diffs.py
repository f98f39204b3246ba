"""What each change means for a paid job or a running deployment: replace, update in place, or nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from pulumi_modelstudio.core.values import PROVIDER_KEY
from pulumi_modelstudio.errors import ModelStudioError
from pulumi_modelstudio.resources._base import ModelStudioProvider
from pulumi_modelstudio.resources.checkpoint_export import CheckpointExportProvider
from pulumi_modelstudio.resources.dataset import DatasetProvider
from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider

from tests.e2e.release_state import FIXTURE, recorded_resources
from tests.resources.support import HP, owner

SHA_A = "a" * 64
SHA_B = "b" * 64
NORMALIZED = {
    **HP,
    "learning_rate": 3e-05,
    "gradient_clip": 0.5,
    "weight_decay": 0.02,
    "lora_rank": 32,
    "save_total_limit": 10,
    "split": 0.9,
    "max_pixels": "2k",
    "val_img_size": "2k",
}


def _job_state(**extra: Any) -> dict[str, Any]:
    state = {
        "model": "wan2.7-image-pro",
        "training_file_ids": ["f1"],
        "validation_file_ids": [],
        "training_sha256": [SHA_A],
        "validation_sha256": [],
        "hyper_parameters": dict(HP),
        "sent_hyper_parameters": dict(NORMALIZED),
        "wait": True,
        "job_id": "ft-1",
    }
    state.update(extra)
    return state


def _news(state: dict[str, Any], **changes: Any) -> dict[str, Any]:
    outputs = ("sent_hyper_parameters", "job_id", "job_name", "status", "checkpoints", "finetuned_output")
    news = {k: v for k, v in state.items() if k not in outputs}
    news.update(changes)
    return news


def _diff(olds: dict[str, Any], news: dict[str, Any]) -> tuple[bool, list[str]]:
    result = FineTuneJobProvider(owner("job")).diff("ft-1", olds, news)
    return bool(result.changes), list(result.replaces or [])


def test_a_reupload_of_the_same_content_updates_the_job_in_place() -> None:
    olds = _job_state()
    assert _diff(olds, _news(olds, training_file_ids=["f2"])) == (True, [])
    updated = FineTuneJobProvider(owner("job")).update("ft-1", olds, _news(olds, training_file_ids=["f2"])).outs
    assert updated is not None
    assert updated["training_file_ids"] == ["f2"]
    assert updated["job_id"] == "ft-1"


def test_new_content_retrains() -> None:
    olds = _job_state()
    assert _diff(olds, _news(olds, training_file_ids=["f2"], training_sha256=[SHA_B])) == (True, ["training_sha256"])


def test_declared_hyperparameters_are_compared_as_declared() -> None:
    olds = _job_state()
    assert _diff(olds, _news(olds)) == (False, [])
    transported = {**HP, "max_steps": 800.0, "max_token_length": "2K"}
    assert _diff(olds, _news(olds, hyper_parameters=transported)) == (False, [])
    assert _diff(olds, _news(olds, hyper_parameters={**HP, "lora_rank": 32})) == (True, ["hyper_parameters"])
    without = {k: v for k, v in HP.items() if k != "eval_steps"}
    assert _diff(olds, _news(olds, hyper_parameters=without)) == (True, ["hyper_parameters"])


def test_state_of_the_previous_release_compares_only_what_is_declared() -> None:
    olds = {**_job_state(hyper_parameters=dict(NORMALIZED)), "job_name": "p-s-job-0123456789"}
    del olds["sent_hyper_parameters"], olds["training_sha256"], olds["validation_sha256"]
    news = _news(olds, hyper_parameters=dict(HP), training_sha256=[SHA_A], validation_sha256=[])
    assert _diff(olds, news) == (False, [])  # its defaults filled in, this version's defaults never compared
    assert _diff(olds, dict(news, hyper_parameters={**HP, "max_steps": 900})) == (True, ["hyper_parameters"])
    assert _diff(olds, dict(news, training_file_ids=["f2"])) == (True, ["training_file_ids"])
    updated = FineTuneJobProvider(owner("job")).update("ft-1", olds, dict(news, wait=False)).outs
    assert updated is not None
    assert updated["sent_hyper_parameters"] == NORMALIZED
    assert updated["job_name"] == "p-s-job-0123456789"


def test_create_refuses_invalid_hyperparameters_before_any_request() -> None:
    provider = FineTuneJobProvider(owner("job"))
    props = _news(_job_state(), hyper_parameters={**HP, "lora_rank": 48})
    with pytest.raises(ModelStudioError, match=r"hyper_parameters are invalid .*lora_rank.*nothing was submitted"):
        provider.create(props)


def test_export_keeps_its_name_unless_another_is_declared() -> None:
    provider = CheckpointExportProvider(owner("x"))
    released = {"job_id": "ft-1", "checkpoint": "latest", "model_name": "proj-staging-m-ft-1", "deployable_model": "m"}
    assert not provider.diff("ft-1:checkpoint-800", released, {"job_id": "ft-1", "checkpoint": "latest"}).changes
    current = {"job_id": "ft-1", "checkpoint": "latest", "export_name": "proj-staging-x-0123abcd-ft-1"}
    assert not provider.diff("ft-1:checkpoint-800", current, {"job_id": "ft-1", "checkpoint": "latest"}).changes
    renamed = {"job_id": "ft-1", "checkpoint": "latest", "model_name": "mine"}
    assert provider.diff("ft-1:checkpoint-800", current, renamed).replaces == ["model_name"]


RELEASED_NEWS = {
    "Dataset": ("source", "generation_type", "role", "sha256", "image_count", "size_bytes"),
    "CheckpointExport": ("job_id", "checkpoint"),
    "Deployment": ("model_name", "capacity", "plan", "suffix", "timeout_minutes"),
}
PROVIDERS: dict[str, type[ModelStudioProvider]] = {
    "Dataset": DatasetProvider,
    "FineTuneJob": FineTuneJobProvider,
    "CheckpointExport": CheckpointExportProvider,
    "Deployment": DeploymentProvider,
}


def _as_engine_reads(value: Any) -> Any:
    """The engine's YAML reading: `3e-05` is a number (PyYAML reads it as text)."""
    try:
        return float(value) if isinstance(value, str) and "e-" in value else value
    except ValueError:
        return value


def _released_news(kind: str, outputs: dict[str, Any], digests: dict[str, str]) -> dict[str, Any]:
    """The inputs this version's program declares for a resource the previous release recorded."""
    if kind != "FineTuneJob":
        return {k: outputs[k] for k in RELEASED_NEWS[kind] if k in outputs}
    config = yaml.safe_load((FIXTURE / "Pulumi.staging.yaml").read_text(encoding="utf-8"))["config"]
    model = next(m for m in config["lora:models"] if outputs["resource_name"] == f"{m['name']}-job")
    declared = {k: _as_engine_reads(v) for k, v in model["hyperParameters"].items()}
    declared["generation_type"] = model["generationType"]
    return {
        "model": outputs["model"],
        "training_file_ids": outputs["training_file_ids"],
        "validation_file_ids": outputs["validation_file_ids"],
        "training_sha256": [digests[f] for f in outputs["training_file_ids"]],
        "validation_sha256": [digests[f] for f in outputs["validation_file_ids"]],
        "hyper_parameters": declared,
        "wait": True,
        PROVIDER_KEY: "a newer pickle",
    }


def test_every_resource_of_the_previous_release_diffs_clean() -> None:
    resources = [r for r in recorded_resources() if r["type"].startswith("pulumi-python:dynamic/")]
    digests = {r["outputs"]["file_id"]: r["outputs"]["sha256"] for r in resources if r["type"].endswith(":Dataset")}
    assert len(resources) == 10
    for resource in resources:
        kind = resource["type"].rsplit(":", 1)[-1]
        outputs = resource["outputs"]
        provider = PROVIDERS[kind](owner(resource["urn"].rsplit("::", 1)[-1]))
        diff = provider.diff(resource["id"], outputs, _released_news(kind, outputs, digests))
        assert not diff.changes, (resource["urn"], diff.replaces, json.dumps(outputs)[:300])
