"""What a FineTuneJob declares and records."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from pulumi_modelstudio.core.model import Props, Role, declared
from pulumi_modelstudio.core.serving import TrainingMode
from pulumi_modelstudio.core.values import Unknowable
from pulumi_modelstudio.wan.models import SUPPORTED_BASE_MODELS

__all__ = ["DatasetType", "FileIds", "FineTuneJobInputs", "FineTuneJobState", "TrainingMode"]


FileIds = Unknowable[list[Unknowable[str]]]
"""File ids or content digests, each possibly unknown at preview."""


class DatasetType(BaseModel):
    """The generation type of a Dataset a job trains on, found through its file id outputs."""

    model_config = ConfigDict(defer_build=True, extra="allow", strict=True)

    dataset: str | None = None
    generation_type: str | None = None


class FineTuneJobInputs(Props):
    """Declared: what is trained (model, data, hyper-parameters) and how a run waits for it."""

    model: Unknowable[str] | None = declared(
        role=Role.REPLACE,
        problem="{value!r} is not a Wan image base model — use one of " + ", ".join(SUPPORTED_BASE_MODELS),
        required=True,
    )
    training_file_ids: FileIds | None = declared(
        role=Role.REPLACE, problem="needs at least one training Dataset file id", required=True
    )
    validation_file_ids: FileIds | None = declared(role=Role.REPLACE)
    hyper_parameters: Unknowable[dict[str, Any]] | None = declared(
        role=Role.REPLACE, problem="must be a mapping of hyper-parameter names to values", required=True
    )
    """As declared: compared as declared; what was sent (with defaults) is recorded apart."""
    training_sha256: FileIds | None = declared()
    """Content digests of the training files: with them, only new content retrains."""
    validation_sha256: FileIds | None = declared()
    dataset_generation_types: Unknowable[list[Unknowable[DatasetType]]] | None = declared()
    wait: Unknowable[bool] | None = declared(default=True, role=Role.UPDATE)
    """The training mode: true waits for the job (`wait`), false submits it and returns (`submit`)."""
    timeout_minutes: Unknowable[int | float] | None = declared(
        role=Role.UPDATE, problem="{value!r} must be a positive number of minutes"
    )
    estimated_tokens: Unknowable[int] | None = declared()
    estimated_cost_cny: Unknowable[float] | None = declared()

    def timeout(self) -> float | None:
        """The declared deadline in minutes, when known."""
        value = self.timeout_minutes
        return float(value) if isinstance(value, int | float) else None

    def declared_parameters(self) -> dict[str, Any] | None:
        """The declared hyper-parameters, when they are a mapping."""
        return dict(self.hyper_parameters) if isinstance(self.hyper_parameters, dict) else None

    @property
    def training_mode(self) -> TrainingMode:
        """`wait` when the run waits for the job (`wait` true, the default), else `submit` (also while unknown)."""
        return "wait" if self.wait is True else "submit"


class FineTuneJobState(FineTuneJobInputs):
    """What a FineTuneJob records about its job."""

    job_id: str | None = declared(role=Role.OUTPUT)
    status: str | None = declared(role=Role.OUTPUT)
    finetuned_output: str | None = declared(role=Role.OUTPUT)
    usage_tokens: int | None = declared(role=Role.OUTPUT)
    checkpoints: list[str] | None = declared(role=Role.OUTPUT)
    created_job_name: str | None = declared(role=Role.OUTPUT)
    job_name: str | None = declared(role=Role.OUTPUT)
    """The job name sent on create."""
    sent_hyper_parameters: dict[str, Any] | None = declared(role=Role.OUTPUT)
    """The full parameter set sent on create; its presence marks state that records declared values."""
    deployable_model: str | None = declared(role=Role.OUTPUT)
    progress: dict[str, Any] | None = declared(role=Role.OUTPUT)
    adopted_id: str | None = declared()
    """Set on state read from an existing job (`import_`)."""
