"""NaN and Infinity are refused at preview in every resource's inputs, at any depth, and never sent."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi_modelstudio.core.finite import non_finite_inputs, non_finite_paths
from pulumi_modelstudio.errors import UnsendableRequestError
from pulumi_modelstudio.resources._base import ModelStudioProvider
from pulumi_modelstudio.resources.checkpoint_export import CheckpointExportProvider
from pulumi_modelstudio.resources.dataset import DatasetProvider
from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.transport import Transport
from pulumi_modelstudio.wan.hyperparams import hyperparameter_problems
from pulumi_modelstudio.wire._base import Request
from pydantic import ValidationError

NAN, INF = math.nan, math.inf
TRAIN = Path(__file__).resolve().parents[2] / "stacks" / "datasets" / "product-t2i"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_every_non_finite_number_is_found_with_its_path() -> None:
    value = {
        "a": 1.5,
        "hyper_parameters": {"learning_rate": INF, "nested": {"deep": [1, {"x": -INF}]}},
        "ids": ["f", NAN],
        "__provider": NAN,
    }
    assert non_finite_paths(value) == [
        ("hyper_parameters.learning_rate", "Infinity"),
        ("hyper_parameters.nested.deep[1].x", "-Infinity"),
        ("ids[1]", "NaN"),
    ]
    assert non_finite_paths({"ok": [1, 2.5, "NaN", True, None]}) == []
    [(path, reason)] = non_finite_inputs({"capacity": NAN})
    assert path == "capacity"
    assert reason.startswith("NaN is not a finite number")
    assert "declare a finite number" in reason


def _job(**hp: Any) -> dict[str, Any]:
    return {
        "resource_name": "job",
        "model": "wan2.7-image-pro",
        "training_file_ids": ["file-1"],
        "hyper_parameters": {"generation_type": "t2i", **hp},
    }


CASES: list[tuple[ModelStudioProvider, dict[str, Any], str, str]] = [
    (FineTuneJobProvider(), _job(learning_rate=INF), "hyper_parameters.learning_rate", "Infinity"),
    (FineTuneJobProvider(), _job(weight_decay=NAN), "hyper_parameters.weight_decay", "NaN"),
    (FineTuneJobProvider(), {**_job(), "timeout_minutes": -INF}, "timeout_minutes", "-Infinity"),
    (
        DeploymentProvider(),
        {"resource_name": "d", "model_name": "m", "capacity": INF, "plan": "lora"},
        "capacity",
        "Infinity",
    ),
    (
        CheckpointExportProvider(),
        {"resource_name": "e", "job_id": "ft-1", "checkpoint": "latest", "extra": {"steps": [NAN]}},
        "extra.steps[0]",
        "NaN",
    ),
    (
        DatasetProvider(),
        {"resource_name": "ds", "source": str(TRAIN), "generation_type": "t2i", "role": "training", "size": NAN},
        "size",
        "NaN",
    ),
]


@pytest.mark.parametrize(
    ("provider", "inputs", "path", "shown"), CASES, ids=[f"{type(c[0]).__name__}-{c[2]}" for c in CASES]
)
def test_every_resource_refuses_non_finite_inputs_naming_the_field(
    provider: ModelStudioProvider, inputs: dict[str, Any], path: str, shown: str
) -> None:
    failures = provider.check({}, inputs).failures
    rendered = [f"{f.property}: {f.reason}" for f in failures]
    assert len(failures) == 1, rendered
    assert f"{path}: {shown} is not a finite number" in rendered[0]


def test_a_nested_failure_names_its_path_in_the_reason() -> None:
    [failure] = FineTuneJobProvider().check({}, _job(learning_rate=INF)).failures
    assert (failure.property, failure.reason) == (
        "",
        "hyper_parameters.learning_rate: Infinity is not a finite number (the API's JSON cannot carry it) — "
        "declare a finite number",
    )


@pytest.mark.parametrize("text", ["Infinity", "-Infinity", "NaN", "inf", "1e400"])
def test_hyper_parameters_given_as_text_that_reads_as_non_finite_are_refused(text: str) -> None:
    [(path, reason)] = hyperparameter_problems({"generation_type": "t2i", "learning_rate": text})
    assert path == "hyper_parameters.learning_rate"
    assert f"{text!r} is not a finite number" in reason
    assert "3e-5" in reason
    rendered = [f.reason for f in FineTuneJobProvider().check({}, _job(learning_rate=text)).failures]
    assert any("hyper_parameters.learning_rate" in r and "not a finite number" in r for r in rendered), rendered


def test_non_finite_hyper_parameters_read_from_json_are_shown_as_json_writes_them() -> None:
    problems = dict(hyperparameter_problems({"generation_type": "t2i", "max_steps": NAN, "weight_decay": -INF}))
    assert problems["hyper_parameters.max_steps"].startswith("NaN is not a finite number")
    assert problems["hyper_parameters.weight_decay"].startswith("-Infinity is not a finite number")


def test_the_wire_never_sends_nan_or_infinity() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"request_id": "r", "output": {}})

    settings = ConnectionConfig(api_key="sk-finite-test", endpoint="https://api.test/api/v1").client_settings()
    transport = Transport(settings, http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    body = {"model": "m", "hyper_parameters": {"learning_rate": INF}}
    with pytest.raises(UnsendableRequestError, match=r"POST https://api.test/api/v1/fine-tunes not sent.*NaN or Inf"):
        transport.request("POST", "fine-tunes", json=body)
    assert sent == []
    transport.request("POST", "fine-tunes", json={"hyper_parameters": {"learning_rate": 3e-5}})
    assert len(sent) == 1


class _Body(Request):
    rate: float


def test_typed_request_bodies_refuse_non_finite_numbers() -> None:
    assert _Body(rate=0.5).rate == 0.5
    for value in (INF, NAN, "Infinity"):
        with pytest.raises(ValidationError, match="finite number"):
            _Body.model_validate({"rate": value})
