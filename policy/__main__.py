"""Policy pack `modelstudio-guardrails`: run with `pulumi preview --policy-pack policy`."""

from __future__ import annotations

from guardrails import DEFAULT_BUDGET_CNY, Found, budget_violations, production_violations
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


def _training_budget(args: StackValidationArgs, report: ReportViolation) -> None:
    found = [Found(r.urn, r.resource_type, r.props) for r in args.resources]
    for message, urn in budget_violations(found, args.get_config()):
        report(message, urn)


def _production(args: ResourceValidationArgs, report: ReportViolation) -> None:
    protect = bool(args.opts.protect) if args.opts is not None else False
    for message in production_violations(Found(args.urn, args.resource_type, args.props, protect), args.get_config()):
        report(message)


PolicyPack(
    name="modelstudio-guardrails",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        StackValidationPolicy(
            name="training-budget",
            description="The stack's estimated LoRA training cost stays within its budget.",
            validate=_training_budget,
            config_schema=PolicyConfigSchema(
                properties={"maxTrainingCny": {"type": "number", "default": DEFAULT_BUDGET_CNY}}
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
