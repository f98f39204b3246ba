"""Pure checks behind the policy pack, testable without the Pulumi engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DATASET",
    "DEPLOYMENT",
    "FINE_TUNE_JOB",
    "UNKNOWN",
    "Found",
    "budget_violations",
    "found",
    "production_violations",
    "trains_in_this_change",
]

FINE_TUNE_JOB = "pulumi-python:dynamic/modelstudio:FineTuneJob"
DATASET = "pulumi-python:dynamic/modelstudio:Dataset"
DEPLOYMENT = "pulumi-python:dynamic/modelstudio:Deployment"
DEFAULT_BUDGET_CNY = 20000.0
PACKAGE_TYPES = {
    "modelstudio:index:FineTuneJob": FINE_TUNE_JOB,
    "modelstudio:index:Dataset": DATASET,
    "modelstudio:index:Deployment": DEPLOYMENT,
}
"""The package resources (`modelstudio_lora`, YAML, other languages) and the dynamic types they are checked as."""
_PACKAGE_KEYS = {"estimatedCostCny": "estimated_cost_cny", "jobId": "job_id"}


@dataclass(frozen=True)
class Found:
    """One resource as the policies see it."""

    urn: str
    resource_type: str
    props: Mapping[str, Any]
    protect: bool = False


def found(urn: str, resource_type: str, props: Mapping[str, Any], protect: bool = False) -> Found:  # noqa: FBT001, FBT002
    """A resource as the policies see it: package resources read as their dynamic twins."""
    if resource_type in PACKAGE_TYPES:
        props = {_PACKAGE_KEYS.get(k, k): v for k, v in props.items()}
        resource_type = PACKAGE_TYPES[resource_type]
    return Found(urn, resource_type, props, protect)


UNKNOWN = "<unknown>"
"""What a value the preview cannot know yet reads as (e.g. the id of a job this change creates)."""


def _cost(props: Mapping[str, Any]) -> float:
    value = props.get("estimated_cost_cny")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def trains_in_this_change(props: Mapping[str, Any]) -> bool:
    """A job without a recorded id is created (or replaced) by this change: its training is new spend."""
    job_id = props.get("job_id")
    return not (isinstance(job_id, str) and job_id and job_id != UNKNOWN)


def _listing(jobs: list[Found]) -> str:
    return ", ".join(f"{r.urn.rsplit('::', 1)[-1]} {_cost(r.props):,.2f}" for r in jobs)


def budget_violations(resources: Iterable[Found], config: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """New training must stay within `maxNewTrainingCny`; all of the stack's within `maxStackTrainingCny` if set.

    `maxTrainingCny` (older configs) is read as `maxNewTrainingCny`.
    """
    jobs = [r for r in resources if r.resource_type == FINE_TUNE_JOB]
    violations: list[tuple[str, str | None]] = []
    new_budget = float(config.get("maxNewTrainingCny", config.get("maxTrainingCny", DEFAULT_BUDGET_CNY)))
    new = [r for r in jobs if trains_in_this_change(r.props)]
    new_total = sum(_cost(r.props) for r in new)
    if new_total > new_budget:
        violations.append(
            (
                f"this change starts training estimated at {new_total:,.2f} CNY ({_listing(new)}), over the "
                f"budget for new training of {new_budget:,.2f} CNY (maxNewTrainingCny). Lower max_steps or "
                "max_token_length, or raise maxNewTrainingCny in the policy config.",
                None,
            )
        )
    stack_budget = config.get("maxStackTrainingCny")
    stack_total = sum(_cost(r.props) for r in jobs)
    if stack_budget is not None and stack_total > float(stack_budget):
        violations.append(
            (
                f"the stack's training, already run and new, is estimated at {stack_total:,.2f} CNY "
                f"({_listing(jobs)}), over its total budget of {float(stack_budget):,.2f} CNY "
                "(maxStackTrainingCny). Remove models the stack no longer needs, or raise maxStackTrainingCny.",
                None,
            )
        )
    return violations


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
