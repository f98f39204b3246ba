"""CheckpointExport: export one checkpoint of a finished job; a placeholder while the job trains."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pulumi_modelstudio.core.adoption import adopted_export
from pulumi_modelstudio.core.attempts import may_have_landed
from pulumi_modelstudio.core.checkpoint_export.inputs import CheckpointExportInputs, CheckpointExportState
from pulumi_modelstudio.core.identity import export_name
from pulumi_modelstudio.core.model import Diff, Failure, Props, Read, changed
from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.core.values import is_placeholder, is_unknown, pending_marker
from pulumi_modelstudio.core.waiters import PollPlan, wait_until
from pulumi_modelstudio.errors import APIConnectionError, APIStatusError, NotFoundError, ProvisioningError
from pulumi_modelstudio.wan.checkpoints import checkpoint_problem
from pulumi_modelstudio.wan.durations import EXPORT_SECONDS
from pulumi_modelstudio.wire.statuses import TERMINAL_EXPORT_STATUSES

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.core.context import Context
    from pulumi_modelstudio.wire.fine_tunes import Checkpoint

__all__ = ["CheckpointExportCore", "pick_checkpoint"]

_CHECKPOINT = re.compile(r"^(latest|checkpoint-\d+)$")
_MODEL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_EXPORT_ATTEMPTS = 4
_UNDER_WAY = ("PROCESSING", "SUCCEEDED")


def pick_checkpoint(checkpoints: list[Checkpoint], wanted: str) -> Checkpoint | None:
    """The checkpoint named `wanted`, or the highest step for `latest`."""
    if wanted == "latest":
        return max(checkpoints, key=lambda c: c.step, default=None)
    return next((c for c in checkpoints if c.checkpoint == wanted), None)


def _target(client: ModelStudioClient, job_id: str, wanted: str, resource: str) -> Checkpoint:
    checkpoints = client.fine_tunes.checkpoints(job_id)
    target = pick_checkpoint(checkpoints, wanted)
    if target is None:
        have = ", ".join(c.checkpoint for c in checkpoints) or "none yet"
        msg = f"CheckpointExport '{resource}': job {job_id} has no {wanted} (saved: {have})"
        raise ProvisioningError(msg)
    return target


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
        if current is not None and current.status in _UNDER_WAY:
            return
    msg = f"CheckpointExport '{resource}': export of {job_id} {checkpoint} was not accepted"
    raise ProvisioningError(msg)


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
        done=lambda c: c.status in TERMINAL_EXPORT_STATUSES,
        status=lambda c: c.status,
        what="checkpoint export",
        ident=f"{job_id}:{checkpoint}",
        timeout_s=1800,
        next_interval=plan.interval,
        timing=client,
    )
    if done.status != "SUCCEEDED" or not done.model_name:
        msg = f"CheckpointExport '{resource}': export of {job_id} {checkpoint} ended {done.status}"
        raise ProvisioningError(msg)
    progress(resource, f"exported {checkpoint} as deployable model {done.model_name}")
    return done


class CheckpointExportCore:
    """Export on create (adopting the export of this job's checkpoint already made); all inputs replace."""

    def __init__(self, context: Context) -> None:
        """Work for the resource `context` describes."""
        self.context = context

    @staticmethod
    def check(news: CheckpointExportInputs) -> list[Failure]:
        """Checkpoint is `latest` or `checkpoint-N`, one the job keeps when its hyper-parameters are given; the
        export name uses letters, digits, `_`, `-`."""
        failures: list[Failure] = []
        checkpoint, name = news.checkpoint, news.model_name
        if isinstance(checkpoint, str) and not _CHECKPOINT.match(checkpoint):
            failures.append(Failure("checkpoint", f"{checkpoint!r} must be 'latest' or 'checkpoint-<step>'"))
        elif isinstance(checkpoint, str) and isinstance(news.job_hyper_parameters, dict):
            kept = checkpoint_problem(checkpoint, news.job_hyper_parameters)
            if kept:
                failures.append(Failure("checkpoint", kept))
        if isinstance(name, str) and not _MODEL_NAME.match(name):
            failures.append(
                Failure("model_name", f"{name!r} must be 1-64 letters, digits, '_' or '-' (unique per account)")
            )
        return failures

    @staticmethod
    def diff(id_: str, olds: CheckpointExportState, news: CheckpointExportInputs) -> Diff:
        """Replace for another job or checkpoint, or a declared `model_name` other than the one in use.

        Without a declared name the export keeps whatever name it was made with (a default never replaces). A
        placeholder becomes the real export (a replacement) once its job SUCCEEDED.
        """
        compared = (("job_id", olds.job_id, news.job_id), ("checkpoint", olds.checkpoint, news.checkpoint))
        replaces = [name for name, old, new in compared if changed(old, new)]
        declared, in_use = news.model_name, olds.export_name or olds.model_name
        if declared is not None and (is_unknown(declared) or declared != in_use):
            replaces.append("model_name")
        if is_placeholder(id_) and not replaces and (news.job_status == "SUCCEEDED" or is_unknown(news.job_status)):
            replaces.append("job_status")
        return Diff(tuple(replaces))

    def create(self, props: CheckpointExportInputs) -> tuple[str, CheckpointExportState]:
        """Export the checkpoint and wait until its deployable model exists.

        While the job named by `job_status` has not SUCCEEDED this records a placeholder (`pending:…`, no API
        call); the run that sees the job succeed replaces it with the real export.
        """
        job_id, checkpoint = str(props.job_id), str(props.checkpoint)
        if isinstance(props.model_name, str) and props.model_name:
            resource, name = self.context.label(props, job_id), props.model_name
        else:
            owner = self.context.require_owner(props)
            resource, name = owner.resource, export_name(owner, job_id)
        state = CheckpointExportState.of(props.to_props())
        if props.job_status is not None and props.job_status != "SUCCEEDED":
            progress(resource, f"waiting for job {job_id} ({props.job_status}) to finish training before exporting")
            marker = pending_marker(job_id, checkpoint)
            state.deployable_model, state.step, state.status = marker, None, "WAITING_FOR_TRAINING"
            return marker, state
        with self.context.client() as client:
            target = _target(client, job_id, checkpoint, resource)
            if not (target.status in _UNDER_WAY and target.model_display_name in (None, name)):
                _export(client, job_id, target.checkpoint, name, resource)
            done = _wait(client, job_id, target.checkpoint, resource)
        state.deployable_model, state.step, state.status = done.model_name, done.step, done.status
        state.exported_checkpoint, state.export_name = done.checkpoint, name
        return f"{job_id}:{done.checkpoint}", state

    def read(self, id_: str, props: CheckpointExportState) -> Read:
        """Refresh: the export is gone when its job or checkpoint is."""
        if is_placeholder(id_):
            return Read(id_, props)
        job_id, _, checkpoint = id_.partition(":")
        with self.context.client() as client:
            try:
                found = pick_checkpoint(client.fine_tunes.checkpoints(job_id), checkpoint)
            except NotFoundError:
                return Read.gone()
        if found is None or found.status != "SUCCEEDED":
            return Read.gone()
        state = props.model_copy()
        state.deployable_model, state.status = found.model_name, found.status
        return Read(id_, state)

    def import_read(self, id_: str, identity: Props) -> Read:
        """Read an exported checkpoint `<job_id>:<checkpoint>` for an import."""
        return adopted_export(self.context, id_, identity)

    @staticmethod
    def update(_id: str, olds: CheckpointExportState, news: CheckpointExportInputs) -> CheckpointExportState:
        """No API call (nothing of an export changes in place): the new inputs beside the outputs."""
        return CheckpointExportState.of(news.to_props()).with_outputs_of(olds)

    @staticmethod
    def delete(_id: str, _props: CheckpointExportState) -> None:
        """Nothing to call: the API has no call to remove an export; it goes with its job."""
