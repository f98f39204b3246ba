"""`Deployment`: serve a fine-tuned or exported LoRA model, verified to run what was asked for."""

from __future__ import annotations

from typing import Any

import pulumi

from pulumi_modelstudio.core.deployment.core import DeploymentCore
from pulumi_modelstudio.core.deployment.inputs import DeploymentInputs, DeploymentState
from pulumi_modelstudio.core.serving import ReplaceMode, TrainingMode
from pulumi_modelstudio.resources._base import CoreProvider, program_owner
from pulumi_modelstudio.resources._pickling import ModelStudioResource

__all__ = ["Deployment", "DeploymentProvider"]


class DeploymentProvider(CoreProvider[DeploymentInputs, DeploymentState]):
    """Create waits for RUNNING and checks the served model; capacity is informational for LoRA deployments.

    A deployment keeps serving while the next version of its model trains: see `DeploymentCore.diff`.
    """

    inputs_model = DeploymentInputs
    state_model = DeploymentState
    core_class = DeploymentCore


class Deployment(ModelStudioResource, module="modelstudio", name="Deployment"):
    """A LoRA deployment of a fine-tuned or exported model.

    A different model, plan or suffix replaces it: the new one is RUNNING and verified before the old one is
    deleted (`replace="delete-first"` deletes the old one first). Capacity has no effect on LoRA deployments:
    it is sent when deploying, a change is not an update, and scaling is done in the Model Studio console.
    A `model_name` of `pending:…` (a job or export still waiting for training) is recorded as a placeholder
    and becomes the real deployment in the run that sees the model trained. When a deployment already serves,
    such a model is its next version (`next_model`): the deployment keeps serving until that run.
    """

    deployed_model: pulumi.Output[str]
    """The model id to call for inference."""
    status: pulumi.Output[str]
    """Status at the last create, update or refresh."""
    base_model: pulumi.Output[str]
    """The base model behind the LoRA."""
    served_model: pulumi.Output[str | None]
    """The model it serves (None while it waits for its first training)."""
    next_model: pulumi.Output[str | None]
    """`pending:<job_id>…` while the next version trains and this deployment keeps serving; else None."""

    def __init__(
        self,
        resource_name: str,
        *,
        model_name: pulumi.Input[str],
        capacity: pulumi.Input[int] = 1,
        plan: str = "lora",
        suffix: str | None = None,
        timeout_minutes: float = 30,
        replace: ReplaceMode = "create-first",
        training: TrainingMode | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Deploy `model_name` (a job's `finetuned_output` or a checkpoint's `deployable_model`).

        `suffix` (1-8 lower-case letters or digits) names the deployment `<model_name>-<suffix>`; without it the
        deployment gets a suffix unique to this project, stack, resource and model. `replace` orders a switch
        to another model: `create-first` (no downtime, two deployments billed for a while) or `delete-first`.
        `training="submit"` says `model_name` comes from a job submitted without waiting: a retrain then keeps
        this deployment serving in the run that submits it (an in-place update, also at preview), and a later run
        switches.
        """
        props: dict[str, Any] = {
            "model_name": model_name,
            "capacity": capacity,
            "plan": plan,
            "suffix": suffix,
            "timeout_minutes": timeout_minutes,
            "deployed_model": None,
            "status": None,
            "base_model": None,
            "served_model": None,
            "next_model": None,
        }
        if replace != "create-first":  # the default is not recorded: state of earlier releases reads the same
            props["replace"] = replace
        if training is not None:  # unset reads as `wait`, as in state of earlier releases
            props["training"] = training
        super().__init__(DeploymentProvider(program_owner(resource_name)), resource_name, props, opts)
