"""Talking to the service about one deployment: create it once, wait until it runs or is gone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_modelstudio.core.attempts import look_up_or_create
from pulumi_modelstudio.core.deployment.ownership import DeploymentIdentity, find_own_deployment
from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.core.waiters import PollPlan, wait_until
from pulumi_modelstudio.errors import ConflictError, NotFoundError, ProvisioningError
from pulumi_modelstudio.wan.durations import DEPLOY_SECONDS

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.wire.deployments import CreateDeploymentRequest
    from pulumi_modelstudio.wire.deployments import Deployment as DeploymentObject

__all__ = ["adopt_or_create", "get_deployment", "wait_gone", "wait_running"]

_GONE_WAIT_S = 300.0
_DEFAULT_TIMEOUT_MIN = 30.0
_STOPS: dict[str, tuple[str, str]] = {
    "FAILED": (
        "the service could not start it",
        "check that model_name is a SUCCEEDED job's finetuned_output or an exported checkpoint, delete the failed "
        "deployment in the Model Studio console, then run `pulumi up` again",
    ),
    "UPDATING_FAILED": (
        "a change to it failed on the service side",
        "look at it in the Model Studio console; to start over, delete it there and run `pulumi up` again",
    ),
    "STOPPED": (
        "it was stopped and serves nothing",
        "start it again in the Model Studio console, then run `pulumi up` again",
    ),
    "ARREARS_DOWN": (
        "the account is in arrears, so the service took it offline",
        "top up the Alibaba Cloud account; it comes back by itself (ARREARS_RECOVERING, then RUNNING), then run "
        "`pulumi up` again",
    ),
    "OFFLINING": (
        "it is being taken offline",
        "wait until it is gone, then run `pulumi refresh` and `pulumi up` to deploy it again",
    ),
    "DELETING": (
        "it is being deleted",
        "wait until it is gone, then run `pulumi refresh` and `pulumi up` to deploy it again",
    ),
}
"""Statuses a deployment does not leave by itself towards RUNNING: waiting stops with what they mean and the fix.

PENDING, DEPLOYING, UPDATING and ARREARS_RECOVERING are transient: the wait goes on."""


def get_deployment(client: ModelStudioClient, deployed_model: str) -> DeploymentObject | None:
    """The deployment, or None when it does not exist."""
    try:
        return client.deployments.get(deployed_model)
    except NotFoundError:
        return None


def adopt_or_create(
    client: ModelStudioClient, request: CreateDeploymentRequest, identity: DeploymentIdentity, resource: str
) -> DeploymentObject:
    """This declaration's deployment an interrupted run started, or a new one."""
    listed_before_create: set[str] | None = None

    def look_up(_attempt: int) -> DeploymentObject | None:
        nonlocal listed_before_create
        listed = list(client.deployments.iter_all())
        existing = find_own_deployment(listed, identity, listed_before_create, resource)
        if existing is not None and existing.status != "DELETING":
            progress(resource, f"adopting deployment {existing.deployed_model} ({existing.status}) started earlier")
            return existing
        if existing is not None:
            wait_gone(client, existing.deployed_model)
        listed_before_create = {d.deployed_model for d in listed}
        return None

    def create() -> DeploymentObject | None:
        try:
            deployment = client.deployments.create(request)
        except ConflictError:
            return None  # appeared meanwhile: adopted on the next pass if it is ours, refused otherwise
        progress(resource, f"deploying {request.model_name} as {deployment.deployed_model}")
        return deployment

    deployment = look_up_or_create(look_up, create, what="deployment request", resource=resource)
    if deployment is None:
        msg = f"Deployment '{resource}': could not deploy {request.model_name}; see the errors above"
        raise ProvisioningError(msg)
    return deployment


def wait_running(
    client: ModelStudioClient, deployed_model: str, timeout_minutes: float | None, resource: str
) -> DeploymentObject:
    """Wait until the deployment runs; a status it does not leave by itself stops the wait with the fix."""
    timeout_min = timeout_minutes or _DEFAULT_TIMEOUT_MIN
    plan = PollPlan(expected_s=DEPLOY_SECONDS, min_s=5, near_s=10)
    deployment = wait_until(
        lambda: client.deployments.get(deployed_model),
        done=lambda d: d.status == "RUNNING" or d.status in _STOPS,
        status=lambda d: d.status,
        what="deployment",
        ident=deployed_model,
        timeout_s=timeout_min * 60,
        next_interval=plan.interval,
        timing=client,
    )
    if deployment.status != "RUNNING":
        meaning, fix = _STOPS[deployment.status]
        msg = (
            f"Deployment '{resource}': {deployed_model} is {deployment.status} instead of RUNNING: {meaning}. "
            f"Fix: {fix}."
        )
        raise ProvisioningError(msg)
    progress(resource, f"{deployed_model} is RUNNING")
    return deployment


def wait_gone(client: ModelStudioClient, deployed_model: str) -> None:
    """Wait until the deployment no longer exists."""
    wait_until(
        lambda: get_deployment(client, deployed_model),
        done=lambda d: d is None,
        status=lambda d: "GONE" if d is None else d.status,
        what="deployment deletion",
        ident=deployed_model,
        timeout_s=_GONE_WAIT_S,
        next_interval=lambda _elapsed: 5.0,
        timing=client,
    )
