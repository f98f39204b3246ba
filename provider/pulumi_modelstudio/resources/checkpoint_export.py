"""`CheckpointExport`: turn one saved checkpoint of a job into a deployable model."""

from __future__ import annotations

from typing import Any

import pulumi

from pulumi_modelstudio.core.checkpoint_export.core import CheckpointExportCore, pick_checkpoint
from pulumi_modelstudio.core.checkpoint_export.inputs import CheckpointExportInputs, CheckpointExportState
from pulumi_modelstudio.resources._base import CoreProvider, program_owner
from pulumi_modelstudio.resources._pickling import ModelStudioResource

__all__ = ["CheckpointExport", "CheckpointExportProvider", "pick_checkpoint"]


class CheckpointExportProvider(CoreProvider[CheckpointExportInputs, CheckpointExportState]):
    """Export on create (adopting the export of this job's checkpoint already made); all inputs replace."""

    inputs_model = CheckpointExportInputs
    state_model = CheckpointExportState
    core_class = CheckpointExportCore


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
        job_hyper_parameters: pulumi.Input[dict[str, Any]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Export `checkpoint` (`latest` or `checkpoint-N`) of `job_id` under `model_name`, unique per account.

        Without `model_name` the export is named `<project>-<stack>-<resource>-<owner key>-<job_id>`. Given
        `job_hyper_parameters` (the job's `hyper_parameters`), the preview refuses a checkpoint the job will not
        keep (past `max_steps`, between two `eval_steps`, or older than the last `save_total_limit`).
        """
        props: dict[str, Any] = {
            "job_id": job_id,
            "checkpoint": checkpoint,
            "model_name": model_name,
            "job_status": job_status,
            "job_hyper_parameters": job_hyper_parameters,
            "deployable_model": None,
            "step": None,
            "status": None,
        }
        super().__init__(CheckpointExportProvider(program_owner(resource_name)), resource_name, props, opts)
