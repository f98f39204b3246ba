"""Pure checks behind the policy pack, testable without the Pulumi engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DATASET",
    "DEPLOYMENT",
    "FINE_TUNE_JOB",
    "Found",
    "budget_violations",
    "production_violations",
]

FINE_TUNE_JOB = "pulumi-python:dynamic/modelstudio:FineTuneJob"
DATASET = "pulumi-python:dynamic/modelstudio:Dataset"
DEPLOYMENT = "pulumi-python:dynamic/modelstudio:Deployment"
DEFAULT_BUDGET_CNY = 20000.0


@dataclass(frozen=True)
class Found:
    """One resource as the policies see it."""

    urn: str
    resource_type: str
    props: Mapping[str, Any]
    protect: bool = False


def _cost(props: Mapping[str, Any]) -> float:
    value = props.get("estimated_cost_cny")
    return float(value) if isinstance(value, int | float) else 0.0


def budget_violations(resources: Iterable[Found], config: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """The stack's estimated training cost must stay within `maxTrainingCny`."""
    budget = float(config.get("maxTrainingCny", DEFAULT_BUDGET_CNY))
    jobs = [r for r in resources if r.resource_type == FINE_TUNE_JOB]
    total = sum(_cost(r.props) for r in jobs)
    if total <= budget:
        return []
    detail = ", ".join(f"{r.urn.rsplit('::', 1)[-1]} {_cost(r.props):,.2f}" for r in jobs)
    msg = (
        f"estimated training cost {total:,.2f} CNY exceeds this stack's budget of {budget:,.2f} CNY ({detail}). "
        "Lower max_steps or max_token_length, or raise maxTrainingCny in the policy config."
    )
    return [(msg, None)]


def production_violations(resource: Found, config: Mapping[str, Any]) -> list[str]:
    """In a production stack nothing trains and every deployment is protected."""
    if not config.get("production", False):
        return []
    if resource.resource_type in (FINE_TUNE_JOB, DATASET):
        kind = resource.resource_type.rsplit(":", 1)[-1]
        return [
            f"{kind} in a production stack: production deploys models promoted from staging "
            "(lora:promote), it never trains"
        ]
    if resource.resource_type == DEPLOYMENT and not resource.protect:
        return ["production deployments must be protected: set protect: true under lora:promote.models.<name>"]
    return []
