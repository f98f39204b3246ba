"""What a Deployment declares and records."""

from __future__ import annotations

from pulumi_modelstudio.core.model import Props, Role, declared
from pulumi_modelstudio.core.serving import REPLACE_MODES, TRAINING_MODES
from pulumi_modelstudio.core.values import Unknowable

__all__ = ["REPLACE_PROBLEM", "TRAINING_PROBLEM", "DeploymentInputs", "DeploymentState"]

TRAINING_PROBLEM = "{value!r} is not a training mode — use " + " or ".join(f"'{m}'" for m in TRAINING_MODES)
REPLACE_PROBLEM = "{value!r} is not a replacement order — use " + " or ".join(f"'{m}'" for m in REPLACE_MODES)


class DeploymentInputs(Props):
    """Declared: the model to serve, plan, suffix, capacity (no effect on LoRA) and how long to wait."""

    model_name: Unknowable[str] | None = declared(
        role=Role.REPLACE, problem="needs the fine-tuned or exported model id to deploy", required=True
    )
    plan: Unknowable[str] | None = declared(
        role=Role.REPLACE, problem="{value!r} is not supported for Wan LoRA models — use 'lora'", required=True
    )
    suffix: Unknowable[str] | None = declared(
        role=Role.REPLACE, problem="{value!r} must be 1-8 lower-case letters or digits"
    )
    capacity: Unknowable[int] | None = declared(
        problem="{value!r} must be a whole number from 0 to 999 (1 is typical)", required=True
    )
    timeout_minutes: Unknowable[int | float] | None = declared(role=Role.UPDATE)
    replace: Unknowable[str] | None = declared(problem=REPLACE_PROBLEM)
    """The order of a switch to another model: `create-first` (not recorded: the default) or `delete-first`."""
    training: Unknowable[str] | None = declared(problem=TRAINING_PROBLEM)
    """`submit` when the model comes from a job submitted without waiting: a model not yet known at preview is
    then the next version, still training (the deployment keeps serving), not a switch. Unset: `wait`."""


class DeploymentState(DeploymentInputs):
    """What a Deployment records about its deployment."""

    deployed_model: str | None = declared(role=Role.OUTPUT)
    status: str | None = declared(role=Role.OUTPUT)
    base_model: str | None = declared(role=Role.OUTPUT)
    served_model: str | None = declared(role=Role.OUTPUT)
    """The model it serves (None while it waits for its first training)."""
    next_model: str | None = declared(role=Role.OUTPUT)
    """`pending:<job_id>…` while the next version trains and this deployment keeps serving; else None."""
    adopted_id: str | None = declared()
