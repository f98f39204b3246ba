"""`CheckpointExport`: turn one saved checkpoint of a job into a deployable model."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
from pulumi.dynamic import CheckFailure, CreateResult, DiffResult, ReadResult

from pulumi_modelstudio.core.identity import Owner, export_name
from pulumi_modelstudio.core.waiters import PollPlan, wait_until
from pulumi_modelstudio.errors import APIConnectionError, APIStatusError, NotFoundError, ProvisioningError
from pulumi_modelstudio.resources._base import (
    PENDING_PREFIX,
    ModelStudioProvider,
    is_placeholder,
    is_unknown,
    may_have_landed,
    progress,
)
from pulumi_modelstudio.resources._pickling import ModelStudioResource
from pulumi_modelstudio.resources.adoption import adopted_export
from pulumi_modelstudio.resources.registry import is_import_read
from pulumi_modelstudio.wan.durations import EXPORT_SECONDS

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.wire.fine_tunes import Checkpoint

__all__ = ["CheckpointExport", "CheckpointExportProvider", "pick_checkpoint"]

_CHECKPOINT = re.compile(r"^(latest|checkpoint-\d+)$")
_MODEL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_EXPORT_ATTEMPTS = 4


def pick_checkpoint(checkpoints: list[Checkpoint], wanted: str) -> Checkpoint | None:
    """The checkpoint named `wanted`, or the highest step for `latest`."""
    if wanted == "latest":
        return max(checkpoints, key=lambda c: c.step, default=None)
    return next((c for c in checkpoints if c.checkpoint == wanted), None)


class CheckpointExportProvider(ModelStudioProvider):
    """Export on create (adopting the export of this job's checkpoint already made); all inputs replace."""

    replace_on: ClassVar[tuple[str, ...]] = ("job_id", "checkpoint", "model_name")
    output_fields: ClassVar[tuple[str, ...]] = ("deployable_model", "step", "status", "export_name")

    def validate(self, inputs: dict[str, Any]) -> list[CheckFailure]:
        """Checkpoint is `latest` or `checkpoint-N`; the export name uses letters, digits, `_`, `-`."""
        failures: list[CheckFailure] = []
        checkpoint = inputs.get("checkpoint")
        if not is_unknown(checkpoint) and not (isinstance(checkpoint, str) and _CHECKPOINT.match(checkpoint)):
            failures.append(CheckFailure("checkpoint", f"{checkpoint!r} must be 'latest' or 'checkpoint-<step>'"))
        name = inputs.get("model_name")
        if name is not None and not is_unknown(name) and not (isinstance(name, str) and _MODEL_NAME.match(name)):
            failures.append(
                CheckFailure("model_name", f"{name!r} must be 1-64 letters, digits, '_' or '-' (unique per account)")
            )
        return failures

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replace for another job or checkpoint, or a declared `model_name` other than the one in use.

        Without a declared name the export keeps whatever name it was made with (a default never replaces). A
        placeholder becomes the real export (a replacement) once its job SUCCEEDED.
        """
        replaces = [name for name in ("job_id", "checkpoint") if self._changed(olds, news, name)]
        declared = news.get("model_name")
        in_use = olds.get("export_name") or olds.get("model_name")
        if declared is not None and (is_unknown(declared) or declared != in_use):
            replaces.append("model_name")
        if is_placeholder(id_) and not replaces:
            status = news.get("job_status")
            if status == "SUCCEEDED" or is_unknown(status):
                replaces.append("job_status")
        return DiffResult(changes=bool(replaces), replaces=replaces, stables=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Export the checkpoint and wait until its deployable model exists.

        While the job named by `job_status` has not SUCCEEDED this records a placeholder (`pending:…`, no API
        call); the run that sees the job succeed replaces it with the real export.
        """
        job_id = str(props["job_id"])
        declared = props.get("model_name")
        if isinstance(declared, str) and declared:
            resource, name = self.label(props, job_id), declared
        else:
            owner = self.require_owner(props)
            resource, name = owner.resource, export_name(owner, job_id)
        job_status = props.get("job_status")
        if job_status is not None and job_status != "SUCCEEDED":
            progress(resource, f"waiting for job {job_id} ({job_status}) to finish training before exporting")
            outs = {k: v for k, v in props.items() if k != "__provider"}
            marker = f"{PENDING_PREFIX}{job_id}:{props['checkpoint']}"
            outs.update(deployable_model=marker, step=None, status="WAITING_FOR_TRAINING")
            return CreateResult(marker, outs)
        with self.client() as client:
            target = self._target(client, job_id, str(props["checkpoint"]), resource)
            if not (target.status in ("PROCESSING", "SUCCEEDED") and target.model_display_name in (None, name)):
                self._export(client, job_id, target.checkpoint, name, resource)
            done = self._wait(client, job_id, target.checkpoint, resource)
        outs = {k: v for k, v in props.items() if k != "__provider"}
        outs.update(
            deployable_model=done.model_name,
            step=done.step,
            status=done.status,
            exported_checkpoint=done.checkpoint,
            export_name=name,
        )
        return CreateResult(f"{job_id}:{done.checkpoint}", outs)

    @staticmethod
    def _target(client: ModelStudioClient, job_id: str, wanted: str, resource: str) -> Checkpoint:
        checkpoints = client.fine_tunes.checkpoints(job_id)
        target = pick_checkpoint(checkpoints, wanted)
        if target is None:
            have = ", ".join(c.checkpoint for c in checkpoints) or "none yet"
            msg = f"CheckpointExport '{resource}': job {job_id} has no {wanted} (saved: {have})"
            raise ProvisioningError(msg)
        return target

    @staticmethod
    def _export(client: ModelStudioClient, job_id: str, checkpoint: str, name: str, resource: str) -> None:
        for attempt in range(1, _EXPORT_ATTEMPTS + 1):
            try:
                if client.fine_tunes.export(job_id, checkpoint, model_name=name):
                    progress(resource, f"exporting {job_id} {checkpoint} as {name}")
                    return
            except (APIConnectionError, APIStatusError) as exc:
                if not may_have_landed(exc) or attempt == _EXPORT_ATTEMPTS:
                    raise
            current = pick_checkpoint(client.fine_tunes.checkpoints(job_id), checkpoint)
            if current is not None and current.status in ("PROCESSING", "SUCCEEDED"):
                return
        msg = f"CheckpointExport '{resource}': export of {job_id} {checkpoint} was not accepted"
        raise ProvisioningError(msg)

    @staticmethod
    def _wait(client: ModelStudioClient, job_id: str, checkpoint: str, resource: str) -> Checkpoint:
        plan = PollPlan(expected_s=EXPORT_SECONDS, min_s=5, near_s=10)

        def fetch() -> Checkpoint:
            found = pick_checkpoint(client.fine_tunes.checkpoints(job_id), checkpoint)
            if found is None:
                msg = f"CheckpointExport '{resource}': {job_id} {checkpoint} disappeared while exporting"
                raise ProvisioningError(msg)
            return found

        done = wait_until(
            fetch,
            done=lambda c: c.status in ("SUCCEEDED", "FAILED", "UNSUPPORTED"),
            status=lambda c: c.status,
            what="checkpoint export",
            ident=f"{job_id}:{checkpoint}",
            timeout_s=1800,
            next_interval=plan.interval,
            sleep=client.sleep,
            clock=client.clock,
        )
        if done.status != "SUCCEEDED" or not done.model_name:
            msg = f"CheckpointExport '{resource}': export of {job_id} {checkpoint} ended {done.status}"
            raise ProvisioningError(msg)
        progress(resource, f"exported {checkpoint} as deployable model {done.model_name}")
        return done

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the export is gone when its job or checkpoint is."""
        if is_import_read(props):
            return adopted_export(self, id_, props)
        if is_placeholder(id_):
            return ReadResult(id_, {k: v for k, v in props.items() if k != "__provider"})
        job_id, _, checkpoint = id_.partition(":")
        with self.client() as client:
            try:
                found = pick_checkpoint(client.fine_tunes.checkpoints(job_id), checkpoint)
            except NotFoundError:
                return ReadResult("", {})
        if found is None or found.status != "SUCCEEDED":
            return ReadResult("", {})
        outs = {k: v for k, v in props.items() if k != "__provider"}
        outs.update(deployable_model=found.model_name, status=found.status)
        return ReadResult(id_, outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """The API has no call to remove an export; it goes with its job."""
        del id_, props


class CheckpointExport(ModelStudioResource, module="modelstudio", name="CheckpointExport"):
    """One checkpoint of a finished job, exported as a deployable model (`deployable_model`).

    Given `job_status` (the job's `status` output), it waits for training without blocking: until the job
    SUCCEEDED it is a placeholder whose `deployable_model` is `pending:<job_id>:<checkpoint>`.
    """

    deployable_model: pulumi.Output[str]
    """The model id to deploy, `<finetuned_output>-c<step>`."""
    step: pulumi.Output[int]
    """Training step of the exported checkpoint."""
    export_name: pulumi.Output[str]
    """The display name the export was made with."""
    status: pulumi.Output[str]
    """`SUCCEEDED`, or `WAITING_FOR_TRAINING` while a placeholder."""

    def __init__(
        self,
        resource_name: str,
        *,
        job_id: pulumi.Input[str],
        model_name: pulumi.Input[str] | None = None,
        checkpoint: pulumi.Input[str] = "latest",
        job_status: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Export `checkpoint` (`latest` or `checkpoint-N`) of `job_id` under `model_name`, unique per account.

        Without `model_name` the export is named `<project>-<stack>-<resource>-<owner key>-<job_id>`.
        """
        props: dict[str, Any] = {
            "job_id": job_id,
            "checkpoint": checkpoint,
            "model_name": model_name,
            "job_status": job_status,
            "deployable_model": None,
            "step": None,
            "status": None,
        }
        owner = Owner(pulumi.get_project(), pulumi.get_stack(), resource_name)
        super().__init__(CheckpointExportProvider(owner), resource_name, props, opts)
