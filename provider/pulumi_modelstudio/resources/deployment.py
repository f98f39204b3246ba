"""`Deployment`: serve a fine-tuned or exported LoRA model, verified to run what was asked for."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
from pulumi.dynamic import CheckFailure, CreateResult, ReadResult, UpdateResult

from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.core.waiters import PollPlan, wait_until
from pulumi_modelstudio.errors import (
    APIConnectionError,
    APIStatusError,
    ConflictError,
    NotFoundError,
    ProvisioningError,
)
from pulumi_modelstudio.resources._base import (
    PENDING_PREFIX,
    ModelStudioProvider,
    is_placeholder,
    is_unknown,
    may_have_landed,
    progress,
    whole_number,
)
from pulumi_modelstudio.resources._deployment_ownership import DeploymentIdentity, find_own_deployment
from pulumi_modelstudio.resources._pickling import ModelStudioResource
from pulumi_modelstudio.resources.adoption import adopted_deployment
from pulumi_modelstudio.resources.registry import is_import_read
from pulumi_modelstudio.wan.durations import DEPLOY_SECONDS

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.wire.deployments import CreateDeploymentRequest
    from pulumi_modelstudio.wire.deployments import Deployment as DeploymentObject

__all__ = ["Deployment", "DeploymentProvider"]

_SUFFIX = re.compile(r"^[a-z0-9]{1,8}$")
_CREATE_ATTEMPTS = 4
_GONE_WAIT_S = 300.0
_SETTLED = ("RUNNING", "FAILED", "UPDATING_FAILED", "STOPPED")
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
_LORA_CAPACITY_NOTE = (
    "capacity has no effect on LoRA deployments (plan 'lora') and they cannot be scaled through the API; "
    "scale them in the Model Studio console. Set capacity to 1 to silence this warning"
)


class DeploymentProvider(ModelStudioProvider):
    """Create waits for RUNNING and checks the served model; capacity is informational for LoRA deployments."""

    replace_on: ClassVar[tuple[str, ...]] = ("model_name", "plan", "suffix")
    update_on: ClassVar[tuple[str, ...]] = ("timeout_minutes",)
    output_fields: ClassVar[tuple[str, ...]] = ("deployed_model", "status", "base_model")

    def validate(self, inputs: dict[str, Any]) -> list[CheckFailure]:
        """Check capacity, plan and suffix the way the API will."""
        failures: list[CheckFailure] = []
        capacity = inputs.get("capacity")
        whole = whole_number(capacity)
        if not is_unknown(capacity) and (whole is None or not 0 <= whole < 1000):
            failures.append(
                CheckFailure("capacity", f"{capacity!r} must be a whole number from 0 to 999 (1 is typical)")
            )
        elif whole is not None and whole != 1:
            resource = self.label(inputs, "deployment")
            progress(resource, f"warning: capacity {whole}: {_LORA_CAPACITY_NOTE}")
        plan = inputs.get("plan")
        if not is_unknown(plan) and plan != "lora":
            failures.append(CheckFailure("plan", f"{plan!r} is not supported for Wan LoRA models — use 'lora'"))
        suffix = inputs.get("suffix")
        if suffix is not None and not is_unknown(suffix) and not (isinstance(suffix, str) and _SUFFIX.match(suffix)):
            failures.append(CheckFailure("suffix", f"{suffix!r} must be 1-8 lower-case letters or digits"))
        model = inputs.get("model_name")
        if not is_unknown(model) and (not isinstance(model, str) or not model):
            failures.append(CheckFailure("model_name", "needs the fine-tuned or exported model id to deploy"))
        return failures

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Deploy (or adopt this declaration's own deployment an interrupted run started), wait RUNNING, verify.

        Without a declared suffix the deployment gets one unique to this declaration and model, so stacks
        deploying the same model never meet; an existing deployment is adopted only when it provably is ours.
        A `model_name` of `pending:…` (a model still training) records a placeholder without calling the API;
        the run that sees the model trained replaces it with the real deployment.
        """
        owner = self.require_owner(props)
        resource = owner.resource
        model_name = str(props["model_name"])
        if is_placeholder(model_name):
            job = model_name.removeprefix(PENDING_PREFIX).split(":", 1)[0]
            progress(resource, f"waiting for job {job} to finish training before deploying")
            outs = {k: v for k, v in props.items() if k != "__provider"}
            outs.update(deployed_model=model_name, status="WAITING_FOR_TRAINING", base_model=None)
            return CreateResult(model_name, outs)
        declared = props.get("suffix")
        identity = DeploymentIdentity.of(owner, model_name, declared if isinstance(declared, str) else None)
        from pulumi_modelstudio.wire.deployments import CreateDeploymentRequest  # noqa: PLC0415 - keep previews light

        request = CreateDeploymentRequest(
            model_name=model_name,
            capacity=int(props["capacity"]),
            plan="lora",
            suffix=identity.suffix,
            name=identity.name,
        )
        with self.client() as client:
            deployment = self._adopt_or_create(client, request, identity, resource)
            deployment = self._wait_running(client, deployment.deployed_model, props, resource)
        self._verify(deployment, props, resource)
        return CreateResult(deployment.deployed_model, self._outputs(props, deployment))

    def _adopt_or_create(
        self,
        client: ModelStudioClient,
        request: CreateDeploymentRequest,
        identity: DeploymentIdentity,
        resource: str,
    ) -> DeploymentObject:
        listed_before_create: set[str] | None = None
        for attempt in range(1, _CREATE_ATTEMPTS + 1):
            listed = list(client.deployments.iter_all())
            existing = find_own_deployment(listed, identity, listed_before_create, resource)
            if existing is not None and existing.status != "DELETING":
                progress(resource, f"adopting deployment {existing.deployed_model} ({existing.status}) started earlier")
                return existing
            if existing is not None:
                self._wait_gone(client, existing.deployed_model)
            listed_before_create = {d.deployed_model for d in listed}
            try:
                deployment = client.deployments.create(request)
            except ConflictError:
                continue  # appeared meanwhile: adopted on the next pass if it is ours, refused otherwise
            except (APIConnectionError, APIStatusError) as exc:
                if not may_have_landed(exc) or attempt == _CREATE_ATTEMPTS:
                    raise
                progress(resource, f"deployment request unclear ({exc}); looking it up before trying again")
                continue
            progress(resource, f"deploying {request.model_name} as {deployment.deployed_model}")
            return deployment
        msg = f"Deployment '{resource}': could not deploy {request.model_name}; see the errors above"
        raise ProvisioningError(msg)

    @staticmethod
    def _get(client: ModelStudioClient, deployed_model: str) -> DeploymentObject | None:
        try:
            return client.deployments.get(deployed_model)
        except NotFoundError:
            return None

    def _wait_running(
        self, client: ModelStudioClient, deployed_model: str, props: dict[str, Any], resource: str
    ) -> DeploymentObject:
        timeout_min = float(props.get("timeout_minutes") or 30)
        plan = PollPlan(expected_s=DEPLOY_SECONDS, min_s=5, near_s=10)
        deployment = wait_until(
            lambda: client.deployments.get(deployed_model),
            done=lambda d: d.status == "RUNNING" or d.status in _STOPS,
            status=lambda d: d.status,
            what="deployment",
            ident=deployed_model,
            timeout_s=timeout_min * 60,
            next_interval=plan.interval,
            sleep=client.sleep,
            clock=client.clock,
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

    @staticmethod
    def _verify(deployment: DeploymentObject, props: dict[str, Any], resource: str) -> None:
        """After waiting, check the service really runs what was asked for (no silent rollback)."""
        wanted_model = str(props["model_name"])
        wanted_capacity = int(props["capacity"])
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

    @staticmethod
    def _outputs(props: dict[str, Any], deployment: DeploymentObject) -> dict[str, Any]:
        outs = {k: v for k, v in props.items() if k != "__provider"}
        outs.update(
            deployed_model=deployment.deployed_model,
            status=deployment.status,
            base_model=deployment.base_model,
        )
        return outs

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Nothing to call: LoRA deployments are never scaled through the API (capacity has no effect on them)."""
        del id_
        return UpdateResult(self.carry_outputs(olds, news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: a deployment deleted outside Pulumi drops out of state; a reported capacity is recorded."""
        if is_import_read(props):
            return adopted_deployment(self, id_, props)
        if is_placeholder(id_):
            return ReadResult(id_, {k: v for k, v in props.items() if k != "__provider"})
        with self.client() as client:
            deployment = self._get(client, id_)
        if deployment is None or deployment.status == "DELETING":
            return ReadResult("", {})
        outs = self._outputs(props, deployment)
        if deployment.capacity is not None:
            outs["capacity"] = deployment.capacity
        inputs = {k: v for k, v in outs.items() if k not in self.output_fields}
        return ReadResult(id_, outs, inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Delete and wait until it is gone, so a replacement can reuse the name."""
        del props
        if is_placeholder(id_):
            return
        with self.client() as client:
            try:
                client.deployments.delete(id_)
            except NotFoundError:
                return
            self._wait_gone(client, id_)

    def _wait_gone(self, client: ModelStudioClient, deployed_model: str) -> None:
        wait_until(
            lambda: self._get(client, deployed_model),
            done=lambda d: d is None,
            status=lambda d: "GONE" if d is None else d.status,
            what="deployment deletion",
            ident=deployed_model,
            timeout_s=_GONE_WAIT_S,
            next_interval=lambda _elapsed: 5.0,
            sleep=client.sleep,
            clock=client.clock,
        )


class Deployment(ModelStudioResource, module="modelstudio", name="Deployment"):
    """A LoRA deployment of a fine-tuned or exported model.

    A different model, plan or suffix replaces it (the new one is RUNNING before the old one is deleted).
    Capacity has no effect on LoRA deployments: it is sent when deploying, a change is not an update, and
    scaling is done in the Model Studio console.
    A `model_name` of `pending:…` (a job or export still waiting for training) is recorded as a placeholder
    and becomes the real deployment in the run that sees the model trained.
    """

    deployed_model: pulumi.Output[str]
    """The model id to call for inference."""
    status: pulumi.Output[str]
    """Status at the last create, update or refresh."""
    base_model: pulumi.Output[str]
    """The base model behind the LoRA."""

    def __init__(
        self,
        resource_name: str,
        *,
        model_name: pulumi.Input[str],
        capacity: pulumi.Input[int] = 1,
        plan: str = "lora",
        suffix: str | None = None,
        timeout_minutes: float = 30,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Deploy `model_name` (a job's `finetuned_output` or a checkpoint's `deployable_model`).

        `suffix` (1-8 lower-case letters or digits) names the deployment `<model_name>-<suffix>`; without it the
        deployment gets a suffix unique to this project, stack, resource and model.
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
        }
        owner = Owner(pulumi.get_project(), pulumi.get_stack(), resource_name)
        super().__init__(DeploymentProvider(owner), resource_name, props, opts)
