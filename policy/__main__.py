"""Policy pack `modelstudio-guardrails`: run with `pulumi preview --policy-pack policy`."""

from __future__ import annotations

from typing import Any

from guardrails import DEFAULT_BUDGET_CNY, UNKNOWN, budget_violations, found, production_violations
from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError


def _plain(props: Any) -> dict[str, Any]:
    """Top-level properties with the values a preview cannot know yet read as UNKNOWN (not skipped)."""
    plain: dict[str, Any] = {}
    for key in list(props.keys()):
        try:
            plain[key] = props[key]
        except UnknownValueError:
            plain[key] = UNKNOWN
    return plain


def _training_budget(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = [found(r.urn, r.resource_type, _plain(r.props)) for r in args.resources]
    for message, urn in budget_violations(resources, args.get_config()):
        report(message, urn)


def _production(args: ResourceValidationArgs, report: ReportViolation) -> None:
    protect = bool(args.opts.protect) if args.opts is not None else False
    for message in production_violations(found(args.urn, args.resource_type, {}, protect), args.get_config()):
        report(message)


PolicyPack(
    name="modelstudio-guardrails",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        StackValidationPolicy(
            name="training-budget",
            description=(
                "The LoRA training a change starts stays within maxNewTrainingCny; optionally all of the "
                "stack's training within maxStackTrainingCny."
            ),
            validate=_training_budget,
            config_schema=PolicyConfigSchema(
                properties={
                    "maxNewTrainingCny": {"type": "number", "default": DEFAULT_BUDGET_CNY},
                    "maxStackTrainingCny": {"type": "number"},
                    "maxTrainingCny": {"type": "number"},
                }
            ),
        ),
        ResourceValidationPolicy(
            name="production-guardrails",
            description="Production stacks never train and protect their deployments.",
            validate=_production,
            config_schema=PolicyConfigSchema(properties={"production": {"type": "boolean", "default": False}}),
        ),
    ],
)
