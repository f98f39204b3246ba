"""Example program: LoRA models declared from per-stack config, and promotion between stacks."""

from __future__ import annotations

import functools
from typing import Any

import pulumi
from lora_stack import ModelSpec, PromotionSpec, ReplaceMode, parse_stack
from pulumi_modelstudio import Deployment, LoraModel


def _raw_config() -> dict[str, Any]:
    config = pulumi.Config("lora")
    raw: dict[str, Any] = {}
    for key in ("models", "promote"):
        value = config.get_object(key)
        if value is not None:
            raw[key] = value
    allow = config.get_bool("allowTraining")
    if allow is not None:
        raw["allowTraining"] = allow
    for key in ("training", "replace"):
        value = config.get(key)
        if value is not None:
            raw[key] = value
    return raw


def declare_model(
    spec: ModelSpec, training: str = "wait", replace: str = "create-first"
) -> dict[str, pulumi.Output[Any]]:
    """Declare one trained (and maybe deployed) model; returns its exports."""
    deploy = spec.deploy
    model = LoraModel(
        spec.name,
        model=spec.base_model,
        training_data=spec.training_data,
        generation_type=spec.generation_type,
        validation_data=spec.validation_data,
        hyper_parameters=spec.hyper_parameters,
        export_checkpoint=spec.export_checkpoint,
        deploy=deploy is not None,
        capacity=deploy.capacity if deploy else 1,
        suffix=deploy.suffix if deploy else None,
        timeout_minutes=spec.timeout_minutes,
        training="submit" if (spec.training or training) == "submit" else "wait",
        replace=_replace_mode(deploy.replace if deploy else None, replace),
    )
    return {
        "job_id": model.job_id,
        "training_status": model.training_status,
        "finetuned_output": model.finetuned_output,
        "deployable_model": model.deployable_model,
        "deployed_model": model.deployed_model,
        "serving": model.serving,
        "estimated_cost_cny": model.estimated_cost_cny,
    }


def _replace_mode(declared: str | None, default: str) -> ReplaceMode:
    return "delete-first" if (declared or default) == "delete-first" else "create-first"


def declare_promotion(
    promotion: PromotionSpec, replace: str = "create-first"
) -> tuple[dict[str, pulumi.Output[Any]], dict[str, pulumi.Input[str]]]:
    """Deploy models another stack trained, through a StackReference; nothing is trained here.

    Each deployment is this stack's own (never the source stack's), so destroying either stack leaves the
    other serving. When the source stack no longer exports a model (it was destroyed, or dropped the model),
    the model this stack promoted last is kept: the source stack's lifecycle never changes what is served here.
    Returns (deployed model ids, promoted model ids) by model name.
    """
    source = pulumi.StackReference(promotion.from_stack)
    current = source.get_output("deployable_models")
    held = _PromotedBefore()
    deployed: dict[str, pulumi.Output[Any]] = {}
    promoted: dict[str, pulumi.Input[str]] = {}
    for name, deploy in promotion.models.items():
        pick = functools.partial(_promoted, name=name, source=promotion.from_stack, held=held)
        model_name: pulumi.Input[str] = deploy.model or current.apply(pick)
        deployment = Deployment(
            f"{name}-deploy",
            model_name=model_name,
            capacity=deploy.capacity,
            suffix=deploy.suffix,
            replace=_replace_mode(deploy.replace, replace),
            opts=pulumi.ResourceOptions(protect=deploy.protect),
        )
        deployed[name] = deployment.deployed_model
        promoted[name] = model_name
    return deployed, promoted


class _PromotedBefore:
    """This stack's own `promoted_models` output of its last update, read only when a source model is gone.

    Reading one's own stack races the engine writing that stack's checkpoint, so the common path (the source
    stack exports the model) never reads it, and the reference is registered at most once per run.
    """

    def __init__(self) -> None:
        self._output: pulumi.Output[Any] | None = None

    def output(self) -> pulumi.Output[Any]:
        """The output, from one StackReference created on first use."""
        if self._output is None:
            own = f"{pulumi.get_organization()}/{pulumi.get_project()}/{pulumi.get_stack()}"
            self._output = pulumi.StackReference("promoted-before", stack_name=own).get_output("promoted_models")
        return self._output


def _promoted(models: Any, name: str, source: str, held: _PromotedBefore) -> pulumi.Input[str]:
    if isinstance(models, dict) and name in models:
        return str(models[name])
    keep = functools.partial(_kept, models=models, name=name, source=source)
    return held.output().apply(keep)


def _kept(held: Any, models: Any, name: str, source: str) -> str:
    if isinstance(held, dict) and name in held:
        pulumi.log.warn(f"stack {source} exports no model '{name}' any more; keeping the promoted {held[name]}")
        return str(held[name])
    have = ", ".join(sorted(models)) if isinstance(models, dict) else "nothing"
    msg = f"lora:promote.models.{name}: stack {source} exports no model '{name}' (it has: {have})"
    raise ValueError(msg)


def main() -> None:
    """Read `lora:*` config and declare everything."""
    spec = parse_stack(_raw_config(), f"stacks/Pulumi.{pulumi.get_stack()}.yaml")
    models = {m.name: declare_model(m, spec.training, spec.replace) for m in spec.models}
    pulumi.export("models", models)
    pulumi.export("deployable_models", {name: out["deployable_model"] for name, out in models.items()})
    if spec.promote is not None:
        deployed, promoted = declare_promotion(spec.promote, spec.replace)
        pulumi.export("promoted", deployed)
        pulumi.export("promoted_models", promoted)


try:
    main()
except ValueError as exc:
    raise pulumi.RunError(str(exc)) from None
