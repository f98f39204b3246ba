"""Fine-tunes API: jobs, logs, checkpoints, export, validation previews."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any

from pulumi_modelstudio.client._area import APIArea
from pulumi_modelstudio.client._paging import walk_pages
from pulumi_modelstudio.client._parse import parse, require_id
from pulumi_modelstudio.wire.fine_tunes import (
    Checkpoint,
    CreateFineTuneRequest,
    FineTuneJob,
    JobList,
    JobLogs,
    ValidationDetails,
)
from pulumi_modelstudio.wire.statuses import RETRAIN_JOB_STATUSES

__all__ = ["FineTunesAPI"]


class FineTunesAPI(APIArea):
    """`/fine-tunes` operations."""

    def create(self, request: CreateFineTuneRequest) -> FineTuneJob:
        """Submit a job (never re-sent blindly: see Transport.request)."""
        return self._create(FineTuneJob, "fine-tunes", request, what="create fine-tune")

    def get(self, job_id: str) -> FineTuneJob:
        """One job."""
        return self._get(FineTuneJob, f"fine-tunes/{require_id('job_id', job_id)}", what=f"job {job_id}")

    def list(self, *, page_no: int = 1, page_size: int = 100, model: str | None = None) -> JobList:
        """One page of jobs, newest first."""
        params: dict[str, Any] = {"page_no": page_no, "page_size": page_size}
        if model:
            params["model"] = model
        return self._get(JobList, "fine-tunes", what="job list", params=params)

    def iter_all(self, *, model: str | None = None) -> Iterator[FineTuneJob]:
        """Every job, page by page."""
        return walk_pages(lambda n: self.list(page_no=n, model=model), lambda page: page.jobs)

    def find_by_name(self, job_name: str) -> FineTuneJob | None:
        """The newest job with this `job_name`, preferring one that did not fail or get cancelled."""
        matches = [j for j in self.iter_all() if j.job_name == job_name]
        alive = [j for j in matches if j.status not in RETRAIN_JOB_STATUSES]
        pool = alive or matches
        return max(pool, key=lambda j: j.create_time or "", default=None)

    def cancel(self, job_id: str) -> None:
        """Cancel a job that has not finished."""
        self._t.request("POST", f"fine-tunes/{require_id('job_id', job_id)}/cancel", mutating=False)

    def delete(self, job_id: str) -> None:
        """Delete a finished job."""
        self._t.request("DELETE", f"fine-tunes/{require_id('job_id', job_id)}")

    def logs(self, job_id: str, *, offset: int = 0, line: int = 100) -> JobLogs:
        """`line` log lines after skipping `offset`."""
        path = f"fine-tunes/{require_id('job_id', job_id)}/logs"
        return self._get(JobLogs, path, what=f"logs of {job_id}", params={"offset": offset, "line": line})

    def iter_logs(self, job_id: str, *, offset: int = 0) -> Iterator[str]:
        """Every log line from `offset` on."""
        while True:
            page = self.logs(job_id, offset=offset, line=1000)
            yield from page.logs
            offset += len(page.logs)
            if not page.logs or offset >= page.total:
                return

    def checkpoints(self, job_id: str) -> builtins.list[Checkpoint]:
        """Saved checkpoints, step descending."""
        body = self._t.request("GET", f"fine-tunes/{require_id('job_id', job_id)}/checkpoints")
        return [parse(Checkpoint, item, what=f"checkpoints of {job_id}") for item in body.get("output") or []]

    def export(self, job_id: str, checkpoint: str, *, model_name: str) -> bool:
        """Ask for a checkpoint export under a unique `model_name` (a GET in this API)."""
        body = self._t.request(
            "GET",
            f"fine-tunes/{require_id('job_id', job_id)}/export/{require_id('checkpoint', checkpoint)}",
            params={"model_name": model_name},
            mutating=True,
        )
        return bool(body.get("output"))

    def validation_results(self, job_id: str) -> builtins.list[str]:
        """Checkpoints whose validation previews exist."""
        body = self._t.request("GET", f"fine-tunes/{require_id('job_id', job_id)}/validation-results")
        return [str(item["checkpoint"]) for item in body.get("output") or [] if "checkpoint" in item]

    def validation_details(
        self, job_id: str, checkpoint: str, *, page_no: int = 1, page_size: int = 100
    ) -> ValidationDetails:
        """Validation previews of one checkpoint."""
        path = f"fine-tunes/{require_id('job_id', job_id)}/validation-details/{require_id('checkpoint', checkpoint)}"
        params = {"page_no": page_no, "page_size": page_size}
        return self._get(ValidationDetails, path, what=f"validation details of {job_id}", params=params)
