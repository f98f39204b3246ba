"""Per-stack configuration of the example program, read and checked before anything is declared."""

from __future__ import annotations

from typing import Any, Literal

from pulumi_modelstudio.wan.checkpoints import checkpoint_problem
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "DeploySpec",
    "ModelSpec",
    "PromotedSpec",
    "PromotionSpec",
    "ReplaceMode",
    "StackSpec",
    "config_problems",
    "parse_stack",
]


ReplaceMode = Literal["create-first", "delete-first"]
"""How a deployment switches to a new version of its model."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, allow_inf_nan=False)


class DeploySpec(_Strict):
    """How a model is served."""

    capacity: int = Field(default=1, ge=0, lt=1000)
    """Deployment capacity: sent as documented but without effect on LoRA deployments (scale in the console)."""
    suffix: str | None = Field(default=None, pattern=r"^[a-z0-9]{1,8}$")
    """Optional: names the deployment `<model>-<suffix>`; without it each stack gets a suffix of its own."""
    protect: bool = False
    """Refuse `pulumi destroy` of the deployment."""
    replace: ReplaceMode | None = None
    """How a new version takes over: `create-first` (no downtime) or `delete-first`; default `lora:replace`."""


class ModelSpec(_Strict):
    """One LoRA model trained in this stack."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")
    """Resource name prefix, lower-case letters, digits and '-'."""
    base_model: Literal["wan2.7-image-pro", "wan2.7-image"] = Field(alias="baseModel")
    """Wan image base model to fine-tune."""
    generation_type: Literal["t2i", "i2i"] = Field(default="t2i", alias="generationType")
    """Text-to-image or image-to-image."""
    training_data: str = Field(alias="trainingData")
    """Dataset folder or .zip, relative to the project root."""
    validation_data: str | None = Field(default=None, alias="validationData")
    """Validation prompts folder or .zip (optional)."""
    hyper_parameters: dict[str, Any] = Field(default_factory=dict, alias="hyperParameters")
    """Wan hyper-parameters; missing ones take the documented recommended values."""
    export_checkpoint: str | None = Field(default=None, alias="exportCheckpoint", pattern=r"^(latest|checkpoint-\d+)$")
    """Export this checkpoint and deploy it instead of the final model."""
    timeout_minutes: float | None = Field(default=None, alias="timeoutMinutes", gt=0)
    """Cancel the job if it has not finished by then."""
    training: Literal["wait", "submit"] | None = None
    """`pulumi up` waits for this model's training (`wait`) or submits it and returns (`submit`); default
    `lora:training`."""
    deploy: DeploySpec | None = None
    """Serve the model from this stack; omit to only train."""

    @field_validator("export_checkpoint")
    @classmethod
    def _checkpoint_kept(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Refuse a checkpoint the job will not have when it ends (past max_steps, off eval_steps, or pruned)."""
        if not value or "hyper_parameters" not in info.data:  # invalid parameters are reported on their own
            return value
        hp = {"generation_type": info.data.get("generation_type", "t2i"), **info.data["hyper_parameters"]}
        problem = checkpoint_problem(value, hp)
        if problem:
            kind = "checkpoint_not_kept"
            raise PydanticCustomError(kind, problem)
        return value


class PromotedSpec(DeploySpec):
    """How a promoted model is served, and optionally which version of it."""

    model: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._-]{1,128}$")
    """Deploy this exact model id (an earlier `deployable_models` value: roll back, or hold a version while
    the source stack retrains) instead of the one the source stack exports now."""


class PromotionSpec(_Strict):
    """Deploy models another stack trained, without training here."""

    from_stack: str = Field(alias="fromStack")
    """Fully qualified stack, e.g. `organization/modelstudio-lora/staging`."""
    models: dict[str, PromotedSpec]
    """Model name in the source stack -> how to deploy it here."""


class StackSpec(_Strict):
    """Everything the program reads from `lora:*` config."""

    models: list[ModelSpec] = Field(default_factory=list)
    promote: PromotionSpec | None = None
    allow_training: bool = Field(default=True, alias="allowTraining")
    """False in production stacks: declaring a model to train there is an error."""
    training: Literal["wait", "submit"] = "wait"
    """`wait`: `pulumi up` waits for training. `submit`: it submits every job, records it and returns; later runs
    (`pulumi up --refresh`) export and deploy what has finished."""
    replace: ReplaceMode = "create-first"
    """How a deployment switches to a new version: `create-first` deploys it next to the old one, which serves
    until the new one is RUNNING (no downtime; both are billed for a few minutes); `delete-first` deletes the
    old one first (downtime while the new one deploys; for dev accounts)."""


def config_problems(error: ValidationError, stack_file: str) -> list[str]:
    """Readable problems naming the config key and the fix."""
    problems = []
    for item in error.errors():
        path = ".".join(str(p) for p in item["loc"])
        problems.append(f"{stack_file}: lora:{path}: {item['msg']} (got {item.get('input')!r})")
    return problems


def parse_stack(raw: dict[str, Any], stack_file: str) -> StackSpec:
    """Validate `lora:*` config; raises ValueError listing every problem."""
    try:
        spec = StackSpec.model_validate(raw)
    except ValidationError as exc:
        msg = "invalid stack configuration:\n  " + "\n  ".join(config_problems(exc, stack_file))
        raise ValueError(msg) from exc
    if spec.models and not spec.allow_training:
        names = ", ".join(m.name for m in spec.models)
        msg = (
            f"{stack_file}: lora:models declares {names} but lora:allowTraining is false in this stack — "
            "promote a model trained elsewhere with lora:promote instead"
        )
        raise ValueError(msg)
    declared = [m.name for m in spec.models]
    if len(set(declared)) != len(declared):
        msg = f"{stack_file}: lora:models has duplicate names {declared} — give each model its own name"
        raise ValueError(msg)
    return spec
