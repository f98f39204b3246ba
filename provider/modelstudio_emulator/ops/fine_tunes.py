"""Fine-tune jobs: create, get, list, cancel, delete, logs, checkpoints, export and validation previews."""

from __future__ import annotations

import re
import secrets
from typing import Any

from modelstudio_emulator.clock import fmt_job
from modelstudio_emulator.datasets import InvalidDatasetError, check_zip, prompts_of
from modelstudio_emulator.errors import ApiError
from modelstudio_emulator.hyperparams import QWEN_MODELS, WAN_MODELS, check_hyperparameters
from modelstudio_emulator.lifecycle import TERMINAL, Schedule, checkpoints, job_state, lmax, steps_of
from modelstudio_emulator.ops._paging import page
from modelstudio_emulator.records import ExportRecord, FileRecord, JobRecord
from modelstudio_emulator.state import State
from modelstudio_emulator.views import Links, checkpoint_view, job_view

__all__ = ["BASE_IMAGE_MODELS", "FineTunesOps"]

BASE_IMAGE_MODELS = (*WAN_MODELS, "wan2.6-image", "wan2.5-t2i-preview", *QWEN_MODELS)
_EXPORT_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _file_ids(body: dict[str, Any], ids_key: str, datasets_key: str) -> list[str]:
    ids = [str(i) for i in body.get(ids_key) or []]
    ids += [str(d.get("file_id")) for d in body.get(datasets_key) or [] if isinstance(d, dict)]
    return ids


class FineTunesOps:
    """`/fine-tunes` rules."""

    def __init__(self, state: State) -> None:
        """Bind to the shared state."""
        self.state = state

    # -- reading -------------------------------------------------------------------------------------
    def view(self, job: JobRecord, now: float, plan: Schedule) -> dict[str, Any]:
        """Wire form of a job at `now`."""
        return job_view(job, job_state(job, now, plan), lmax(job), len(checkpoints(job, now, plan)))

    def _job(self, workspace: str, job_id: str) -> JobRecord:
        job = self.state.records.get(JobRecord, job_id)
        if job is None or job.deleted or job.workspace != workspace:
            raise ApiError.not_found(f"Fine-tune job {job_id} not found.")
        return job

    def _status(self, job: JobRecord) -> str:
        return job_state(job, self.state.now(), self.state.schedule()).status

    def get(self, workspace: str, job_id: str) -> dict[str, Any]:
        """One job."""
        return self.view(self._job(workspace, job_id), self.state.now(), self.state.schedule())

    def list_jobs(self, workspace: str, page_no: int, page_size: int, model: str | None) -> dict[str, Any]:
        """A page of jobs, newest first."""
        now, plan = self.state.now(), self.state.schedule()
        jobs = [
            j
            for j in reversed(self.state.records.all(JobRecord))
            if not j.deleted and j.workspace == workspace and (not model or j.model == model)
        ]
        items, total = page(jobs, page_no, page_size)
        return {
            "page_no": page_no,
            "page_size": page_size,
            "total": total,
            "jobs": [self.view(j, now, plan) for j in items],
        }

    # -- writing -------------------------------------------------------------------------------------
    def create(self, workspace: str, body: dict[str, Any]) -> dict[str, Any]:
        """Submit a job; a dataset the service would refuse makes the job end FAILED, as the service does."""
        state = self.state
        model = body.get("model")
        if not isinstance(model, str) or model not in BASE_IMAGE_MODELS:
            raise ApiError(404, "ModelNotFound", f"Model: {model} not found!")
        training_type = body.get("training_type") or "efficient_sft"
        if training_type != "efficient_sft":
            raise ApiError.invalid(f"The model {model} does not support training_type: {training_type}")
        train_ids = _file_ids(body, "training_file_ids", "training_datasets")
        val_ids = _file_ids(body, "validation_file_ids", "validation_datasets")
        if not train_ids:
            raise ApiError.invalid("Missing training files")
        for file_id in [*train_ids, *val_ids]:
            record = state.records.get(FileRecord, file_id)
            if record is None or record.deleted or record.workspace != workspace:
                raise ApiError.invalid(f"File not found: {file_id}")
        hp = check_hyperparameters(model, dict(body.get("hyper_parameters") or {}))
        with state.lock:
            now = state.now()
            plan = state.schedule()
            busy = [
                j
                for j in state.records.all(JobRecord)
                if not j.deleted and job_state(j, now, plan).status in ("RUNNING", "SUCCEEDED")
            ]
            if len(busy) >= state.settings.job_quota:
                raise ApiError(
                    429,
                    "Throttling",
                    f"Only {state.settings.job_quota} fine-tune job in running or succeeded allowed per user.",
                )
            stamp = fmt_job(now).replace("-", "").replace(" ", "").replace(":", "")[:12]
            job_id = f"ft-{stamp}-{secrets.token_hex(2)}"
            custom_name = body.get("job_name") if state.compat.reads("job_name", "echo") else None
            job = JobRecord(
                job_id=job_id,
                job_name=str(custom_name or job_id),
                model=model,
                train=train_ids,
                val=val_ids,
                hp=hp,
                created=now,
                workspace=workspace,
                finetuned_output=f"{model}-ft-{stamp}-{job_id[-4:]}",
                problem=self._dataset_problem(train_ids, val_ids, str(hp.get("generation_type", "t2i"))),
            )
            state.records.put(job)
            return self.view(job, now, state.schedule())

    def _dataset_problem(self, train_ids: list[str], val_ids: list[str], generation_type: str) -> str | None:
        try:
            for role, ids in (("training", train_ids), ("validation", val_ids)):
                for file_id in ids:
                    check_zip(self.state.file_path(file_id), role=role, generation_type=generation_type)
        except InvalidDatasetError as exc:
            return str(exc)
        return None

    def force_failure(self, job_id: str, code: str, message: str) -> dict[str, Any]:
        """Control: make a job still in its data check (PENDING) end FAILED with `code` and `message`."""
        with self.state.lock:
            job = self.state.records.get(JobRecord, job_id)
            if job is None or job.deleted:
                raise ApiError.not_found(f"Fine-tune job {job_id} not found.")
            status = self._status(job)
            if status != "PENDING":
                raise ApiError.invalid(f"job {job_id} is {status}: only a PENDING job (in its data check) can fail")
            job.problem, job.problem_code = message, code
            self.state.records.put(job)
            return self.view(job, self.state.now(), self.state.schedule())

    def cancel(self, workspace: str, job_id: str) -> None:
        """Cancel a job that has not finished."""
        with self.state.lock:
            job = self._job(workspace, job_id)
            status = self._status(job)
            if status in TERMINAL or status == "CANCELING":
                raise ApiError.unsupported(f"The fine-tune job {job_id} can not be canceled because it is {status}")
            job.cancel_at = self.state.now()
            self.state.records.put(job)

    def delete(self, workspace: str, job_id: str) -> None:
        """Delete a finished job (compat `finished_job_delete=refuse`: refuse that too)."""
        with self.state.lock:
            job = self._job(workspace, job_id)
            status = self._status(job)
            if status not in TERMINAL:
                raise ApiError.unsupported(
                    f"The fine-tune job can not be deleted because it is {status.lower()}, cancel it first"
                )
            if self.state.compat.reads("finished_job_delete", "refuse"):
                raise ApiError.unsupported(
                    f"Job {job_id} can not be deleted because it is succeeded, failed or canceled."
                )
            job.deleted = True
            self.state.records.put(job)

    # -- logs ----------------------------------------------------------------------------------------
    def logs(self, workspace: str, job_id: str, offset: int, line: int) -> dict[str, Any]:
        """Log lines of a job."""
        job = self._job(workspace, job_id)
        now = self.state.now()
        state = job_state(job, now, self.state.schedule())
        stamp = fmt_job(job.created)
        lines = [f"{stamp},000 - INFO - job {job_id} accepted"]
        if state.status != "PENDING":
            lines.append(
                f"{stamp},500 - INFO - data process {'failed' if job.problem else 'succeeded'}"
                + ("" if job.problem else ", start to fine-tune")
            )
        if job.problem:
            lines.append(f"{stamp},600 - ERROR - {job.problem}")
        steps, _ = steps_of(job)
        lines += [f"{stamp},700 - INFO - step {s}/{steps}" for s in range(50, state.steps_done + 1, 50)]
        if state.status in TERMINAL:
            end = fmt_job(state.end or now)
            lines.append(f"{end},000 - INFO - finetune-job {state.status.lower()}")
            lines.append(f"{end},001 - INFO - ##FT_COMPLETE##")
        offset, line = max(0, offset), max(1, min(line, 1000))
        return {"total": len(lines), "logs": lines[offset : offset + line]}

    # -- checkpoints ---------------------------------------------------------------------------------
    def _checkpoint_views(self, job: JobRecord) -> list[dict[str, Any]]:
        return [checkpoint_view(job, c) for c in checkpoints(job, self.state.now(), self.state.schedule())]

    def checkpoints(self, workspace: str, job_id: str) -> list[dict[str, Any]]:
        """Saved checkpoints, step descending."""
        return self._checkpoint_views(self._job(workspace, job_id))

    def all_checkpoints(self) -> list[tuple[JobRecord, dict[str, Any]]]:
        """Every checkpoint of the account with its job (deleted jobs included)."""
        return [(job, c) for job in self.state.records.all(JobRecord) for c in self._checkpoint_views(job)]

    def export(self, workspace: str, job_id: str, checkpoint: str, model_name: str | None) -> bool:
        """Start exporting a checkpoint under a display name unique in the account."""
        if not model_name or not _EXPORT_NAME.fullmatch(model_name):
            raise ApiError.invalid("model_name is required and may use letters, digits, '_' and '-'")
        with self.state.lock:
            job = self._job(workspace, job_id)
            if checkpoint not in {c["checkpoint"] for c in self._checkpoint_views(job)}:
                raise ApiError.not_found(f"Checkpoint {checkpoint} of {job_id} not found.")
            for other in self.state.records.all(JobRecord):
                for name, export in other.exports.items():
                    same = other.job_id == job_id and name == checkpoint
                    if export.name == model_name and not same:
                        raise ApiError.invalid(f"Model name {model_name} already exists.")
            if checkpoint not in job.exports:
                job.exports[checkpoint] = ExportRecord(name=model_name, at=self.state.now())
                self.state.records.put(job)
            return True

    # -- validation previews -------------------------------------------------------------------------
    def _previews(self, job: JobRecord) -> list[dict[str, str]]:
        if job.val:
            return [p for f in job.val for p in prompts_of(self.state.file_path(f))]
        lines = [p for f in job.train for p in prompts_of(self.state.file_path(f))]
        return lines[-max(1, len(lines) // 10) :]

    def validation_results(self, workspace: str, job_id: str) -> list[dict[str, str]]:
        """Checkpoints with previews, once the job has finished."""
        job = self._job(workspace, job_id)
        if self._status(job) != "SUCCEEDED" or not self._previews(job):
            return []
        return [{"checkpoint": c["checkpoint"]} for c in self._checkpoint_views(job)]

    def validation_details(  # noqa: PLR0917 - mirrors the endpoint's path and query parameters
        self, workspace: str, job_id: str, checkpoint: str, page_no: int, page_size: int, links: Links
    ) -> dict[str, Any]:
        """Previews of one checkpoint (PNG URLs served by the emulator)."""
        job = self._job(workspace, job_id)
        if checkpoint not in {c["checkpoint"] for c in self._checkpoint_views(job)}:
            raise ApiError.not_found(f"Checkpoint {checkpoint} of {job_id} not found.")
        items = []
        for index, line in enumerate(self._previews(job)):
            item = {"prompt": line.get("prompt", ""), "img_path": links.preview(job_id, checkpoint, index)}
            if "input_img" in line:
                item["input_img"] = links.input_image(job_id, index)
            items.append(item)
        listed, total = page(items, page_no, page_size)
        return {"page_no": page_no, "page_size": page_size, "total": total, "list": listed}

    def preview_prompt(self, job_id: str, index: int) -> str:
        """Prompt of preview `index` (for rendering its PNG)."""
        job = self.state.records.get(JobRecord, job_id)
        previews = self._previews(job) if job else []
        return previews[index]["prompt"] if 0 <= index < len(previews) else "unknown"

    # -- for deployments -----------------------------------------------------------------------------
    def deployable(self) -> dict[str, str]:
        """Every deployable model name of the account (job outputs and exported checkpoints) -> base model."""
        now, plan = self.state.now(), self.state.schedule()
        models: dict[str, str] = {}
        for job in self.state.records.all(JobRecord):
            if job.deleted:
                continue
            if job_state(job, now, plan).status == "SUCCEEDED":
                models[job.finetuned_output] = job.model
            for checkpoint in checkpoints(job, now, plan):
                if checkpoint.export_status == "SUCCEEDED":
                    models[f"{job.finetuned_output}-c{checkpoint.step}"] = job.model
        return models
