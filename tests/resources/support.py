"""Shared pieces of the provider tests: owners, configured providers, inputs, and the emulator's readings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.resources._base import ModelStudioProvider
from pulumi_modelstudio.resources.dataset import DatasetProvider
from pulumi_modelstudio.settings.config import ConnectionConfig

REPO = Path(__file__).resolve().parents[2]
TRAIN = REPO / "stacks" / "datasets" / "product-t2i"
VAL = REPO / "stacks" / "datasets" / "product-t2i-val"
KEY = "sk-resource-tests"
HP: dict[str, Any] = {"max_steps": 800, "eval_steps": 200, "max_token_length": "2k", "generation_type": "t2i"}

P = TypeVar("P", bound=ModelStudioProvider)


def owner(resource: str, stack: str = "dev", project: str = "proj") -> Owner:
    """The owner of `resource` in `stack`."""
    return Owner(project, stack, resource)


def configured(provider: P, emulator: Any) -> P:
    """`provider` pointed at the live emulator, as `configure` would do."""
    speed = float(emulator.control("health")["speed"])
    provider._runtime_config = ConnectionConfig(api_key=KEY, endpoint=emulator.api_url, time_scale=speed)
    return provider


def dataset_inputs(source: Path, role: str = "training") -> dict[str, Any]:
    """Inputs of a t2i Dataset."""
    return {"source": str(source), "generation_type": "t2i", "role": role}


def job_inputs(file_id: Any, **extra: Any) -> dict[str, Any]:
    """Inputs of a FineTuneJob on one training file."""
    inputs: dict[str, Any] = {
        "model": "wan2.7-image-pro",
        "training_file_ids": [file_id],
        "validation_file_ids": [],
        "hyper_parameters": dict(HP),
        "wait": True,
    }
    inputs.update(extra)
    return inputs


def create(provider: ModelStudioProvider, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Check then create, as the engine does; returns (id, outputs)."""
    checked = provider.check({}, inputs)
    assert checked.failures == [], [f.reason for f in checked.failures]
    result = provider.create(checked.inputs)
    assert result.id is not None
    return result.id, dict(result.outs or {})


def uploaded(emulator: Any, resource: str = "ds", stack: str = "dev", project: str = "proj") -> str:
    """The file id of the training dataset `resource` of `stack` uploaded to the emulator."""
    datasets = configured(DatasetProvider(owner(resource, stack, project)), emulator)
    file_id, _ = create(datasets, dataset_inputs(TRAIN))
    return file_id


def requests(emulator: Any, method: str, path_end: str) -> list[dict[str, Any]]:
    """Requests the emulator answered with `method` on a path ending with `path_end`."""
    return [r for r in emulator.control("requests") if r["method"] == method and r["path"].endswith(path_end)]


def reading(emulator: Any) -> dict[str, str]:
    """The emulator's current compatibility reading (empty: every documented default)."""
    response = httpx.get(f"{emulator.url}/_emulator/compat", timeout=10)
    return dict(response.json()) if response.status_code == 200 else {}


@contextmanager
def switches(emulator: Any, **keys: str) -> Iterator[None]:
    """Run with some compatibility switches set, then restore the previous reading."""
    before = reading(emulator)
    response = httpx.post(f"{emulator.url}/_emulator/compat", json=keys, timeout=10)
    if response.status_code == 404:
        pytest.skip(f"this emulator has no compatibility switches ({', '.join(keys)})")
    response.raise_for_status()
    try:
        yield
    finally:
        httpx.post(f"{emulator.url}/_emulator/compat", json=before or {"preset": "default"}, timeout=10)
