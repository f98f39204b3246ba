"""What a CheckpointExport declares and records."""

from __future__ import annotations

from typing import Any

from pulumi_modelstudio.core.model import Props, Role, declared
from pulumi_modelstudio.core.values import Unknowable

__all__ = ["CheckpointExportInputs", "CheckpointExportState"]


class CheckpointExportInputs(Props):
    """Declared: the job, which checkpoint, an optional name, and the job's status (to wait without blocking)."""

    job_id: Unknowable[str] | None = declared(role=Role.REPLACE)
    checkpoint: Unknowable[str] | None = declared(
        role=Role.REPLACE, problem="{value!r} must be 'latest' or 'checkpoint-<step>'", required=True
    )
    model_name: Unknowable[str] | None = declared(
        role=Role.REPLACE, problem="{value!r} must be 1-64 letters, digits, '_' or '-' (unique per account)"
    )
    """A declared export name; without one the export is named after its owner and job."""
    job_status: Unknowable[str] | None = declared()
    """The job's `status` output: until SUCCEEDED the export is a placeholder."""
    job_hyper_parameters: Unknowable[dict[str, Any]] | None = declared()
    """The job's hyper-parameters: with them the preview refuses a checkpoint the job will not keep."""


class CheckpointExportState(CheckpointExportInputs):
    """What a CheckpointExport records about its export."""

    deployable_model: str | None = declared(role=Role.OUTPUT)
    step: int | None = declared(role=Role.OUTPUT)
    status: str | None = declared(role=Role.OUTPUT)
    exported_checkpoint: str | None = declared(role=Role.OUTPUT)
    export_name: str | None = declared(role=Role.OUTPUT)
    """The display name the export was made with (earlier releases recorded it as `model_name`)."""
    adopted_id: str | None = declared()
