"""Wire shapes: how records and their derived state are rendered in answers."""

from __future__ import annotations

from typing import Any, Protocol

from modelstudio_emulator.clock import fmt_iso, fmt_iso_ms, fmt_job, fmt_task
from modelstudio_emulator.compat import Compat
from modelstudio_emulator.lifecycle import CHECKPOINT_TTL_S, CheckpointState, JobState, TaskState
from modelstudio_emulator.records import DeploymentRecord, FileRecord, JobRecord, TaskRecord

__all__ = [
    "USER",
    "Links",
    "checkpoint_view",
    "deleted_deployment_view",
    "deployment_view",
    "file_view",
    "job_view",
    "pixel_size",
    "task_list_item",
    "task_view",
]

USER = "1234567890123456"
API_KEY_ID = "67516"
SIZES = {"1K": "1024*1024", "2K": "2048*2048", "4K": "4096*4096"}


class Links(Protocol):
    """Where the emulator serves stored bytes; built by the HTTP layer from the request's host."""

    def file(self, file_id: str, name: str) -> str:
        """Download URL of an uploaded file."""
        ...

    def preview(self, job_id: str, checkpoint: str, index: int) -> str:
        """Validation preview image of a checkpoint."""
        ...

    def input_image(self, job_id: str, index: int) -> str:
        """Reference image of a validation line."""
        ...

    def task_image(self, task_id: str, index: int) -> str:
        """Generated image of a task."""
        ...


def pixel_size(size: str) -> str:
    """`1K`/`2K`/`4K` or `W*H` as the `W*H` the service reports in `usage.size`."""
    return SIZES.get(size.upper(), size)


def file_view(record: FileRecord, links: Links, region: str) -> dict[str, Any]:
    """FileObject."""
    return {
        "id": record.id,
        "file_id": record.file_id,
        "name": record.name,
        "description": record.description,
        "size": record.size,
        "md5": record.md5,
        "gmt_create": fmt_job(record.created),
        "purpose": record.purpose,
        "url": links.file(record.file_id, record.name),
        "region": region,
        "user_id": USER,
        "api_key_id": API_KEY_ID,
    }


def job_view(job: JobRecord, state: JobState, lmax: int, output_cnt: int) -> dict[str, Any]:
    """Job object."""
    hp = job.hp
    view: dict[str, Any] = {
        "job_id": job.job_id,
        "job_name": job.job_name,
        "status": state.status,
        "finetuned_output": job.finetuned_output,
        "model": job.model,
        "base_model": job.model,
        "training_file_ids": job.train,
        "validation_file_ids": job.val,
        "training_datasets": [{"data_source_type": "file_id", "file_id": f} for f in job.train],
        "validation_datasets": [{"data_source_type": "file_id", "file_id": f} for f in job.val],
        "hyper_parameters": hp,
        "training_type": "efficient_sft",
        "create_time": fmt_job(job.created),
        "workspace_id": job.workspace,
        "user_identity": USER,
        "creator": USER,
        "modifier": USER,
        "group": "llm",
        "max_output_cnt": hp.get("save_total_limit", 10),
        "output_cnt": output_cnt,
    }
    if state.end is not None:
        view["end_time"] = fmt_job(state.end)
    if state.status in ("SUCCEEDED", "CANCELED"):
        view["usage"] = state.steps_done * 10 * lmax
    if state.status == "FAILED":
        view["code"], view["message"] = job.problem_code, job.problem
    return view


def checkpoint_view(job: JobRecord, checkpoint: CheckpointState) -> dict[str, Any]:
    """Checkpoint list item."""
    ident = f"{job.job_id}:{checkpoint.name}"
    item: dict[str, Any] = {
        "checkpoint_id": ident,
        "full_name": ident,
        "checkpoint": checkpoint.name,
        "job_id": job.job_id,
        "step": checkpoint.step,
        "status": checkpoint.export_status,
        "create_time": fmt_iso(checkpoint.created),
        "expire_time": fmt_iso(checkpoint.created + CHECKPOINT_TTL_S),
    }
    if checkpoint.export_status == "SUCCEEDED":
        item["model_name"] = f"{job.finetuned_output}-c{checkpoint.step}"
        item["model_display_name"] = checkpoint.display_name
    return item


def deployment_view(dep: DeploymentRecord, status: str, compat: Compat) -> dict[str, Any]:
    """Deployment object. LoRA deployments carry no capacity (it has no effect on them), as documented."""
    view: dict[str, Any] = {
        "deployed_model": dep.deployed_model,
        "model_name": dep.model_name,
        "base_model": dep.base_model,
        "status": status,
        "plan": dep.plan,
        "gmt_create": fmt_iso_ms(dep.created),
        "gmt_modified": fmt_iso_ms(dep.modified),
        "workspace_id": dep.workspace,
        "charge_type": "post_paid",
        "creator": USER,
        "modifier": USER,
    }
    if dep.plan != "lora":
        view.update(base_capacity=1, capacity=dep.capacity, ready_capacity=dep.capacity if status == "RUNNING" else 0)
    if compat.reads("deployment_name", "echo"):
        view["name"] = dep.name
    return view


def deleted_deployment_view(dep: DeploymentRecord, status: str, compat: Compat) -> dict[str, Any]:
    """`output` of a deployment DELETE: the object, or only the status (compat `deployment_delete=status`)."""
    if compat.reads("deployment_delete", "status"):
        return {"status": status}
    return deployment_view(dep, status, compat)


def _choices(task: TaskRecord, links: Links) -> list[dict[str, Any]]:
    return [
        {
            "finish_reason": "stop",
            "message": {
                "role": "assistant",
                "content": [{"image": links.task_image(task.task_id, i), "type": "image"}],
            },
        }
        for i in range(task.n)
    ]


def task_view(task: TaskRecord, state: TaskState, links: Links) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(output, usage) of a task; usage only once SUCCEEDED."""
    out: dict[str, Any] = {"task_id": task.task_id, "task_status": state.status}
    if not task.sync:
        out["submit_time"] = fmt_task(task.submitted)
        if state.scheduled is not None:
            out["scheduled_time"] = fmt_task(state.scheduled)
        if state.end is not None:
            out["end_time"] = fmt_task(state.end)
    if task.protocol == "synthesis":
        succeeded = task.n if state.status == "SUCCEEDED" else 0
        out["task_metrics"] = {"TOTAL": task.n, "SUCCEEDED": succeeded, "FAILED": 0}
    if state.status != "SUCCEEDED":
        return out, None
    if task.protocol == "synthesis":
        out["results"] = [{"url": links.task_image(task.task_id, i)} for i in range(task.n)]
        return out, {"image_count": task.n}
    out.update(choices=_choices(task, links), finished=True)
    if task.sync:
        del out["task_id"], out["task_status"]
    usage = {"size": pixel_size(task.size), "image_count": task.n}
    if not task.sync:
        usage.update(total_tokens=770, input_tokens=79, output_tokens=691)
    return out, usage


def task_list_item(task: TaskRecord, state: TaskState, region: str) -> dict[str, Any]:
    """One entry of `GET /tasks` (times in epoch milliseconds)."""
    item: dict[str, Any] = {
        "api_key_id": API_KEY_ID,
        "caller_parent_id": USER,
        "caller_uid": USER,
        "gmt_create": int(task.submitted * 1000),
        "model_name": task.model,
        "region": region,
        "request_id": task.task_id,
        "start_time": int((state.scheduled or task.submitted) * 1000),
        "status": state.status,
        "task_id": task.task_id,
        "user_api_unique_key": f"apikey:v1:{API_KEY_ID}",
    }
    if state.end is not None:
        item["end_time"] = int(state.end * 1000)
    return item
