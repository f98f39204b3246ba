"""The bad-input corpus through the providers' preview checks directly: fast, time-boxed, no CLI or network."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from lora_stack import parse_stack
from pulumi.dynamic import CheckFailure
from pulumi_modelstudio.resources.dataset import DatasetProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider
from pulumi_modelstudio.settings.config import ConnectionConfig

from tests.reliability.bad_inputs import (
    CONFIGS,
    DATASETS,
    HYPER_PARAMETERS,
    PROGRAMS,
    PROVIDER_CONFIGS,
    BadInput,
    stack_config,
)

EMULATOR = {"modelstudio:endpoint": "http://127.0.0.1:9/api/v1", "modelstudio:apiKey": "sk-unit-corpus-key"}


class _Config:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def get(self, key: str) -> object:
        return self.values.get(key)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _rendered(failures: list[CheckFailure]) -> str:
    return "\n".join(f"{f.property}: {f.reason}" for f in failures)


def _dataset_failures(entry: dict[str, Any], config: ConnectionConfig | None = None) -> list[CheckFailure]:
    failures: list[CheckFailure] = []
    for key, role in (("trainingData", "training"), ("validationData", "validation")):
        if key not in entry:
            continue
        provider = DatasetProvider()
        provider._runtime_config = config or ConnectionConfig()
        inputs = {"resource_name": role, "source": entry[key], "generation_type": entry["generationType"], "role": role}
        failures += provider.check({}, inputs).failures
    return failures


def _job_failures(entry: dict[str, Any], datasets: list[dict[str, str]] | None = None) -> list[CheckFailure]:
    hp = dict(entry["hyperParameters"])
    hp.setdefault("generation_type", entry["generationType"])
    inputs = {
        "resource_name": "job",
        "model": entry["baseModel"],
        "training_file_ids": ["file-1"],
        "hyper_parameters": hp,
        "dataset_generation_types": datasets or [],
    }
    return FineTuneJobProvider().check({}, inputs).failures


def _assert_named(case: BadInput, output: str) -> None:
    assert not case.missing_from(output), f"{case.ident}: missing {case.missing_from(output)} in:\n{output}"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", DATASETS, ids=lambda c: c.ident)
def test_every_bad_dataset_fails_its_check_naming_the_file_and_fix(case: BadInput, tmp_path: Path) -> None:
    _assert_named(case, _rendered(_dataset_failures(stack_config(case, tmp_path)["models"][0])))


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "case", [c for c in HYPER_PARAMETERS if c.ident != "generation-type-mismatch"], ids=lambda c: c.ident
)
def test_every_bad_hyperparameter_set_fails_naming_the_field(case: BadInput, tmp_path: Path) -> None:
    entry = stack_config(case, tmp_path)["models"][0]
    assert _dataset_failures(entry) == []
    _assert_named(case, _rendered(_job_failures(entry)))


@pytest.mark.parametrize("case", CONFIGS, ids=lambda c: c.ident)
def test_every_bad_stack_config_names_the_key(case: BadInput, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r".") as err:
        parse_stack(stack_config(case, tmp_path), "Pulumi.bad.yaml")
    _assert_named(case, str(err.value))


@pytest.mark.parametrize("case", PROVIDER_CONFIGS, ids=lambda c: c.ident)
def test_every_bad_provider_setting_fails_every_check_naming_the_key(case: BadInput, tmp_path: Path) -> None:
    config = ConnectionConfig.from_pulumi_config(_Config({**EMULATOR, **case.provider_config}), env={})
    entry = stack_config(case, tmp_path)["models"][0]
    failures = _dataset_failures(entry, config)
    assert failures
    assert all(f.property == "" for f in failures)
    output = _rendered(failures)
    _assert_named(case, output)
    assert "X-Injected" not in output  # a key is never repeated in its error


def _program(ident: str) -> BadInput:
    return next(case for case in PROGRAMS if case.ident == ident)


def test_a_job_contradicting_its_dataset_fails_naming_both(tmp_path: Path) -> None:
    case = _program("job-contradicts-its-dataset")
    entry = stack_config(case, tmp_path)["models"][0]
    failures = _job_failures(entry, [{"dataset": "sketches", "generation_type": "i2i"}])
    _assert_named(case, _rendered(failures))
    assert _job_failures(entry, [{"dataset": "product", "generation_type": "t2i"}]) == []


def test_non_finite_numbers_a_program_declares_fail_naming_each_field() -> None:
    case = _program("non-finite-numbers-in-a-program")
    job = FineTuneJobProvider().check(
        {},
        {
            "resource_name": "job",
            "model": "wan2.7-image-pro",
            "training_file_ids": ["file-1"],
            "hyper_parameters": {"generation_type": "t2i", "learning_rate": math.nan},
            "timeout_minutes": math.inf,
        },
    )
    _assert_named(case, _rendered(job.failures))
