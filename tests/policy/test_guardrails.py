"""The policy pack's checks: training budget and production guardrails."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "policy"))

from guardrails import (
    DATASET,
    DEPLOYMENT,
    FINE_TUNE_JOB,
    UNKNOWN,
    Found,
    budget_violations,
    found,
    production_violations,
)


def _job(cost: float, name: str = "job", job_id: str | None = None) -> Found:
    return Found(f"urn:pulumi:dev::p::t::{name}", FINE_TUNE_JOB, {"estimated_cost_cny": cost, "job_id": job_id})


def test_budget_allows_spend_within_it() -> None:
    assert budget_violations([_job(9000), _job(9000, "b")], {"maxNewTrainingCny": 20000}) == []


def test_budget_reports_new_spend_each_job_and_the_fix() -> None:
    [(message, urn)] = budget_violations([_job(14860.8), _job(9288, "b")], {"maxNewTrainingCny": 20000})
    assert "this change starts training estimated at 24,148.80 CNY" in message
    assert "job 14,860.80" in message
    assert "maxNewTrainingCny" in message
    assert urn is None


def test_training_already_run_does_not_count_against_a_change() -> None:
    past = [_job(14860.8, f"m{i}", job_id=f"ft-20260603011{i}-abcd") for i in range(3)]
    assert budget_violations(past, {"maxNewTrainingCny": 1000}) == []
    [(message, _)] = budget_violations([*past, _job(1200, "new", job_id=UNKNOWN)], {"maxNewTrainingCny": 1000})
    assert "1,200.00 CNY (new 1,200.00)" in message


def test_the_optional_stack_total_is_named_apart() -> None:
    past = [_job(14860.8, "old", job_id="ft-202606030110-abcd"), _job(500, "new")]
    [(message, _)] = budget_violations(past, {"maxNewTrainingCny": 1000, "maxStackTrainingCny": 10000})
    assert "the stack's training, already run and new, is estimated at 15,360.80 CNY" in message
    assert "maxStackTrainingCny" in message


def test_older_configs_budget_new_training() -> None:
    assert budget_violations([_job(1500, job_id="ft-202606030110-abcd")], {"maxTrainingCny": 1000}) == []
    assert budget_violations([_job(1500)], {"maxTrainingCny": 1000})


def test_unknown_cost_at_preview_counts_as_zero() -> None:
    unknown = Found("urn:x::j", FINE_TUNE_JOB, {"estimated_cost_cny": None})
    assert budget_violations([unknown], {}) == []


def test_production_refuses_training_and_unprotected_deployments() -> None:
    config = {"production": True}
    assert production_violations(_job(1), config)
    assert production_violations(Found("urn:x::d", DATASET, {}), config)
    assert production_violations(Found("urn:x::dep", DEPLOYMENT, {}), config)
    assert production_violations(Found("urn:x::dep", DEPLOYMENT, {}, protect=True), config) == []


def test_non_production_stacks_are_not_restricted() -> None:
    assert production_violations(_job(1), {}) == []
    assert production_violations(Found("urn:x::dep", DEPLOYMENT, {}), {"production": False}) == []


def test_package_resources_are_checked_like_the_dynamic_ones() -> None:
    job = found("urn:pulumi:dev::p::modelstudio:index:FineTuneJob::j", "modelstudio:index:FineTuneJob",
                {"estimatedCostCny": 30000.0})  # fmt: skip
    assert job.resource_type == FINE_TUNE_JOB
    assert budget_violations([job], {"maxNewTrainingCny": 20000})
    dataset = found("urn:x::d", "modelstudio:index:Dataset", {})
    assert production_violations(dataset, {"production": True})
