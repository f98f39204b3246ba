"""Fine-tune API objects: jobs, logs, checkpoints, validation previews."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from pulumi_modelstudio.wire._base import Answer, Page, Request
from pulumi_modelstudio.wire.statuses import ACTIVE_JOB_STATUSES, TERMINAL_JOB_STATUSES, JobStatus

__all__ = [
    "ACTIVE_JOB_STATUSES",
    "TERMINAL_JOB_STATUSES",
    "Checkpoint",
    "CreateFineTuneRequest",
    "DatasetRef",
    "FineTuneJob",
    "JobList",
    "JobLogs",
    "JobStatus",
    "ValidationDetail",
    "ValidationDetails",
]


class DatasetRef(Answer):
    """`training_datasets` / `validation_datasets` item."""

    data_source_type: str = "file_id"
    file_id: str | None = None


class FineTuneJob(Answer):
    """A fine-tune job."""

    job_id: str
    job_name: str | None = None
    status: str
    finetuned_output: str | None = None
    model: str | None = None
    base_model: str | None = None
    training_file_ids: list[str] = Field(default_factory=list)
    validation_file_ids: list[str] = Field(default_factory=list)
    training_datasets: list[DatasetRef] = Field(default_factory=list)
    validation_datasets: list[DatasetRef] = Field(default_factory=list)
    hyper_parameters: dict[str, Any] = Field(default_factory=dict)
    create_time: str | None = None
    usage: int | None = None
    code: str | None = None
    message: str | None = None

    @property
    def name_dropped(self) -> bool:
        """Whether the service dropped the `job_name` it was sent: none, or the job id in its place."""
        return self.job_name in (None, "", self.job_id)

    @property
    def all_training_file_ids(self) -> list[str]:
        """Training file ids from either the legacy field or `training_datasets`."""
        ids = list(self.training_file_ids)
        ids += [d.file_id for d in self.training_datasets if d.file_id and d.file_id not in ids]
        return ids

    @property
    def all_validation_file_ids(self) -> list[str]:
        """Validation file ids from either the legacy field or `validation_datasets`."""
        ids = list(self.validation_file_ids)
        ids += [d.file_id for d in self.validation_datasets if d.file_id and d.file_id not in ids]
        return ids


class JobList(Page):
    """`output` of a job list."""

    jobs: list[FineTuneJob] = Field(default_factory=list)


class CreateFineTuneRequest(Request):
    """Body of `POST /fine-tunes`."""

    model: str
    training_file_ids: list[str]
    validation_file_ids: list[str] | None = None
    training_type: str = "efficient_sft"
    hyper_parameters: dict[str, Any] = Field(default_factory=dict)
    job_name: str | None = None


class JobLogs(Answer):
    """`output` of a logs call."""

    total: int = 0
    logs: list[str] = Field(default_factory=list)


class Checkpoint(Answer):
    """A saved checkpoint of a job."""

    checkpoint: str
    job_id: str | None = None
    step: int = 0
    status: str = "PENDING"
    model_name: str | None = None
    model_display_name: str | None = None
    create_time: str | None = None
    expire_time: str | None = None


class ValidationDetail(Answer):
    """One validation preview."""

    img_path: str | None = None
    prompt: str | None = None
    input_img: str | None = None


class ValidationDetails(Page):
    """`output` of validation-details."""

    items: list[ValidationDetail] = Field(default_factory=list, alias="list")
