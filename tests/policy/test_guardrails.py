"""The policy pack's checks: training budget and production guardrails."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "policy"))

from guardrails import DATASET, DEPLOYMENT, FINE_TUNE_JOB, Found, budget_violations, production_violations


def _job(cost: float, name: str = "job") -> Found:
    return Found(f"urn:pulumi:dev::p::t::{name}", FINE_TUNE_JOB, {"estimated_cost_cny": cost})


def test_budget_allows_spend_within_it() -> None:
    assert budget_violations([_job(9000), _job(9000, "b")], {"maxTrainingCny": 20000}) == []


def test_budget_reports_total_each_job_and_the_fix() -> None:
    [(message, urn)] = budget_violations([_job(14860.8), _job(9288, "b")], {"maxTrainingCny": 20000})
    assert "24,148.80 CNY" in message
    assert "job 14,860.80" in message
    assert "maxTrainingCny" in message
    assert urn is None


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
