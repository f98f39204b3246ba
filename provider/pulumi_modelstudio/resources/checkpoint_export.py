"""`CheckpointExport`: turn one saved checkpoint of a job into a deployable model."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from pulumi_modelstudio.core.checkpoint_export.core import CheckpointExportCore, pick_checkpoint
from pulumi_modelstudio.core.checkpoint_export.inputs import CheckpointExportInputs, CheckpointExportState
from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.core.model import Props
from pulumi_modelstudio.core.registry import is_import_read
from pulumi_modelstudio.resources._base import ModelStudioProvider, diff_result, read_result
from pulumi_modelstudio.resources._pickling import ModelStudioResource

__all__ = ["CheckpointExport", "CheckpointExportProvider", "pick_checkpoint"]


class CheckpointExportProvider(ModelStudioProvider):
    """Export on create (adopting the export of this job's checkpoint already made); all inputs replace."""

    state_model = CheckpointExportState

    def _core(self) -> CheckpointExportCore:
        return CheckpointExportCore(self.context())

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Checkpoint is `latest` or `checkpoint-N`; the export name uses letters, digits, `_`, `-`."""
        return self.checked(news, CheckpointExportInputs, CheckpointExportCore.check)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replace for another job or checkpoint, or a declared name other than the one in use."""
        return diff_result(
            CheckpointExportCore.diff(id_, CheckpointExportState.of(olds), CheckpointExportInputs.of(news))
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Export the checkpoint and wait until its deployable model exists (a placeholder while training)."""
        id_, state = self._core().create(CheckpointExportInputs.of(props))
        return CreateResult(id_, state.to_props())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the export is gone when its job or checkpoint is."""
        if is_import_read(props):
            return read_result(self._core().import_read(id_, Props.of(props)))
        return read_result(self._core().read(id_, CheckpointExportState.of(props)))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """No API call: the new inputs beside the outputs."""
        return UpdateResult(
            CheckpointExportCore.update(CheckpointExportState.of(olds), CheckpointExportInputs.of(news)).to_props()
        )

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
