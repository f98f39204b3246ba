"""Deployment: deploy (or adopt this declaration's own deployment), wait RUNNING, verify; delete and wait gone."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pulumi_modelstudio.core.adoption import adopted_deployment
from pulumi_modelstudio.core.deployment.inputs import (
    REPLACE_PROBLEM,
    TRAINING_PROBLEM,
    DeploymentInputs,
    DeploymentState,
)
from pulumi_modelstudio.core.deployment.ownership import DeploymentIdentity
from pulumi_modelstudio.core.deployment.service import adopt_or_create, get_deployment, wait_gone, wait_running
from pulumi_modelstudio.core.deployment.switch import switch_diff, switch_update
from pulumi_modelstudio.core.model import Diff, Failure, Props, Read
from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.core.serving import REPLACE_MODES, TRAINING_MODES
from pulumi_modelstudio.core.values import PENDING_PREFIX, is_placeholder
from pulumi_modelstudio.errors import NotFoundError, ProvisioningError

if TYPE_CHECKING:
    from pulumi_modelstudio.core.context import Context
    from pulumi_modelstudio.wire.deployments import Deployment as DeploymentObject

__all__ = ["DeploymentCore"]

_SUFFIX = re.compile(r"^[a-z0-9]{1,8}$")
_LORA_CAPACITY_NOTE = (
    "capacity has no effect on LoRA deployments (plan 'lora') and they cannot be scaled through the API; "
    "scale them in the Model Studio console. Set capacity to 1 to silence this warning"
)


def _verify(deployment: DeploymentObject, props: DeploymentInputs, resource: str) -> None:
    """After waiting, check the service really runs what was asked for (no silent rollback)."""
    wanted_model, wanted_capacity = str(props.model_name), props.capacity
    if deployment.model_name != wanted_model:
        msg = (
            f"Deployment '{resource}': {deployment.deployed_model} serves {deployment.model_name}, "
            f"expected {wanted_model}"
        )
        raise ProvisioningError(msg)
    lora = deployment.plan in (None, "lora")  # capacity has no effect on LoRA deployments
    if not lora and deployment.capacity is not None and deployment.capacity != wanted_capacity:
        msg = (
            f"Deployment '{resource}': {deployment.deployed_model} has capacity {deployment.capacity}, "
            f"expected {wanted_capacity}"
        )
        raise ProvisioningError(msg)


def _observed(props: Props, deployment: DeploymentObject) -> DeploymentState:
    state = DeploymentState.of(props.to_props())
    state.deployed_model, state.status, state.base_model = (
        deployment.deployed_model,
        deployment.status,
        deployment.base_model,
    )
    state.served_model = deployment.model_name
    if not state.is_set("next_model"):
        state.next_model = None
    return state


class DeploymentCore:
    """Create waits for RUNNING and checks the served model; capacity is informational for LoRA deployments."""

    def __init__(self, context: Context) -> None:
        """Work for the resource `context` describes."""
        self.context = context

    def check(self, news: DeploymentInputs) -> list[Failure]:
        """Check capacity, plan and suffix the way the API will."""
        failures: list[Failure] = []
        capacity = news.capacity
        if isinstance(capacity, int) and not 0 <= capacity < 1000:
            failures.append(Failure("capacity", f"{capacity!r} must be a whole number from 0 to 999 (1 is typical)"))
        elif isinstance(capacity, int) and capacity != 1:
            progress(self.context.label(news, "deployment"), f"warning: capacity {capacity}: {_LORA_CAPACITY_NOTE}")
        if isinstance(news.plan, str) and news.plan != "lora":
            failures.append(Failure("plan", f"{news.plan!r} is not supported for Wan LoRA models — use 'lora'"))
        if isinstance(news.suffix, str) and not _SUFFIX.match(news.suffix):
            failures.append(Failure("suffix", f"{news.suffix!r} must be 1-8 lower-case letters or digits"))
        if news.model_name == "":
            failures.append(Failure("model_name", "needs the fine-tuned or exported model id to deploy"))
        for name, modes, problem in (
            ("replace", REPLACE_MODES, REPLACE_PROBLEM),
            ("training", TRAINING_MODES, TRAINING_PROBLEM),
        ):
            value = getattr(news, name)
            if isinstance(value, str) and value not in modes:
                failures.append(Failure(name, problem.format(value=value)))
        return failures

    def diff(self, id_: str, olds: DeploymentState, news: DeploymentInputs) -> Diff:
        """Another model, plan or suffix replaces (create-first unless `replace` says otherwise); a model still
        training is the next version, recorded in place while this one keeps serving (see `switch`)."""
        return switch_diff(id_, olds, news, self.context.label(news, "deployment"))

    def create(self, props: DeploymentInputs) -> tuple[str, DeploymentState]:
        """Deploy (or adopt this declaration's own deployment an interrupted run started), wait RUNNING, verify.

        Without a declared suffix the deployment gets one unique to this declaration and model, so stacks
        deploying the same model never meet; an existing deployment is adopted only when it provably is ours.
        A `model_name` of `pending:…` (a model still training) records a placeholder without calling the API;
        the run that sees the model trained replaces it with the real deployment.
        """
        owner = self.context.require_owner(props)
        resource = owner.resource
        model_name = str(props.model_name)
        if is_placeholder(model_name):
            job = model_name.removeprefix(PENDING_PREFIX).split(":", 1)[0]
            progress(resource, f"waiting for job {job} to finish training before deploying")
            state = DeploymentState.of(props.to_props())
            state.deployed_model, state.status, state.base_model = model_name, "WAITING_FOR_TRAINING", None
            state.served_model, state.next_model = None, None
            return model_name, state
        declared = props.suffix if isinstance(props.suffix, str) else None
        identity = DeploymentIdentity.of(owner, model_name, declared)
        from pulumi_modelstudio.wire.deployments import CreateDeploymentRequest  # noqa: PLC0415 - keep previews light

        capacity = props.capacity if isinstance(props.capacity, int) else 1
        request = CreateDeploymentRequest(
            model_name=model_name, capacity=capacity, plan="lora", suffix=identity.suffix, name=identity.name
        )
        timeout = float(props.timeout_minutes) if isinstance(props.timeout_minutes, int | float) else None
        with self.context.client() as client:
            deployment = adopt_or_create(client, request, identity, resource)
            deployment = wait_running(client, deployment.deployed_model, timeout, resource)
        _verify(deployment, props, resource)
        return deployment.deployed_model, _observed(props, deployment)

    def update(self, id_: str, olds: DeploymentState, news: DeploymentInputs) -> DeploymentState:
        """Nothing to call: record the next version while it trains, or forget it once the served one is wanted.

        LoRA deployments are never scaled through the API (capacity has no effect on them).
        """
        return switch_update(id_, olds, news, self.context.label(news, id_))

    def read(self, id_: str, props: DeploymentState) -> Read:
        """Refresh: a deployment deleted outside Pulumi drops out of state; a reported capacity is recorded."""
        if is_placeholder(id_):
            return Read(id_, props)
        with self.context.client() as client:
            deployment = get_deployment(client, id_)
        if deployment is None or deployment.status == "DELETING":
            return Read.gone()
        state = _observed(props, deployment)
        if deployment.capacity is not None:
            state.capacity = deployment.capacity
        return Read(id_, state, state.recorded_inputs())

    def import_read(self, id_: str, identity: Props) -> Read:
        """Read an existing deployment for an import."""
        return adopted_deployment(self.context, id_, identity)

    def delete(self, id_: str, _props: DeploymentState) -> None:
        """Delete and wait until it is gone, so a replacement can reuse the name."""
        if is_placeholder(id_):
            return
        with self.context.client() as client:
            try:
                client.deployments.delete(id_)
            except NotFoundError:
                return
            wait_gone(client, id_)
