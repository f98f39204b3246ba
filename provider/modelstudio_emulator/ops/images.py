"""Image generation (messages protocol, sync and async), legacy image synthesis, and async tasks."""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from modelstudio_emulator.errors import ApiError
from modelstudio_emulator.lifecycle import TASK_PENDING_S, task_state
from modelstudio_emulator.ops.deployments import DeploymentsOps
from modelstudio_emulator.ops.fine_tunes import BASE_IMAGE_MODELS
from modelstudio_emulator.records import TaskRecord
from modelstudio_emulator.state import State
from modelstudio_emulator.views import Links, task_list_item, task_view

__all__ = ["LEGACY_MODELS", "ImagesOps"]

LEGACY_MODELS = ("wanx2.1-t2i-turbo", "wanx2.1-t2i-plus", "wan2.2-t2i-flash", "wan2.2-t2i-plus", "wan2.5-t2i-preview")
_WH = re.compile(r"(\d{3,4})\*(\d{3,4})")
_TIME = "%Y%m%d%H%M%S"


def _n(params: dict[str, Any]) -> int:
    n = params.get("n", 1)
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 4:
        raise ApiError.invalid("parameters.n must be 1 to 4")
    return n


def _size(params: dict[str, Any], default: str) -> str:
    size = str(params.get("size") or default)
    if size.upper() in ("1K", "2K", "4K"):
        return size.upper()
    if not _WH.fullmatch(size):
        raise ApiError.invalid("parameters.size must be 1K, 2K, 4K or W*H")
    return size


def _seed(params: dict[str, Any]) -> int:
    seed = params.get("seed") or 0
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= 2**31 - 1:
        raise ApiError.invalid("parameters.seed must be an integer from 0 to 2147483647")
    return seed


def _message_prompt(body: dict[str, Any]) -> str:
    try:
        content = body["input"]["messages"][0]["content"]
        return next(str(c["text"]) for c in content if isinstance(c, dict) and "text" in c)
    except (KeyError, IndexError, TypeError, StopIteration) as exc:
        raise ApiError.invalid("input.messages[0].content needs a text item") from exc


def _time_arg(value: str | None, name: str) -> float | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, _TIME).replace(tzinfo=UTC).timestamp()
    except ValueError as exc:
        raise ApiError.invalid(f"{name} must look like 20230420000000") from exc


class ImagesOps:
    """Image calls and `/tasks`."""

    def __init__(self, state: State, deployments: DeploymentsOps) -> None:
        """Bind to the shared state; deployments tell which LoRA models are RUNNING."""
        self.state = state
        self.deployments = deployments

    def _model(self, workspace: str, body: dict[str, Any], extra: tuple[str, ...] = ()) -> str:
        model = body.get("model")
        known = isinstance(model, str) and (model in (*BASE_IMAGE_MODELS, *extra))
        if not isinstance(model, str) or not (known or self.deployments.running(workspace, model)):
            raise ApiError(404, "ModelNotFound", f"Model: {model} not found!")
        return model

    def _store(self, workspace: str, model: str, prompt: str, params: dict[str, Any], **kind: Any) -> TaskRecord:
        task = TaskRecord(
            task_id=str(uuid.uuid4()),
            model=model,
            prompt=prompt,
            n=_n(params),
            size=_size(params, str(kind.pop("default_size"))),
            seed=_seed(params),
            submitted=self.state.now(),
            workspace=workspace,
            **kind,
        )
        self.state.records.put(task)
        return task

    def submit_generation(self, workspace: str, body: dict[str, Any]) -> dict[str, Any]:
        """Async messages-protocol generation: a PENDING task."""
        model = self._model(workspace, body)
        params = dict(body.get("parameters") or {})
        task = self._store(workspace, model, _message_prompt(body), params, default_size="2K")
        return {"task_id": task.task_id, "task_status": "PENDING"}

    def generate_sync(self, workspace: str, body: dict[str, Any], links: Links) -> tuple[dict[str, Any], Any]:
        """Synchronous messages-protocol generation: the images at once, with `usage.size` as `W*H`."""
        model = self._model(workspace, body)
        params = dict(body.get("parameters") or {})
        task = self._store(workspace, model, _message_prompt(body), params, default_size="2K", sync=True)
        return task_view(task, task_state(task, self.state.now()), links)

    def submit_synthesis(self, workspace: str, body: dict[str, Any]) -> dict[str, Any]:
        """Legacy text-to-image synthesis (async only): a PENDING task whose result lists `results[].url`."""
        model = self._model(workspace, body, LEGACY_MODELS)
        given = body.get("input")
        prompt = given.get("prompt") if isinstance(given, dict) else None
        if not isinstance(prompt, str) or not prompt.strip():
            raise ApiError.invalid("input.prompt is required")
        params = dict(body.get("parameters") or {})
        task = self._store(workspace, model, prompt, params, default_size="1024*1024", protocol="synthesis")
        return {"task_id": task.task_id, "task_status": "PENDING"}

    def get_task(self, task_id: str, links: Links) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """(output, usage) of a task; unknown ids are UNKNOWN."""
        task = self.state.records.get(TaskRecord, task_id)
        if task is None:
            return {"task_id": task_id, "task_status": "UNKNOWN"}, None
        return task_view(task, task_state(task, self.state.now()), links)

    def cancel_task(self, task_id: str) -> None:
        """Cancel while PENDING only."""
        with self.state.lock:
            task = self.state.records.get(TaskRecord, task_id)
            now = self.state.now()
            if task is None or task.sync or task.canceled is not None or now >= task.submitted + TASK_PENDING_S:
                raise ApiError.unsupported(
                    "Failed to cancel the task, please confirm if the task is in PENDING status."
                )
            task.canceled = now
            self.state.records.put(task)

    def list_tasks(self, query: dict[str, str], page_no: int, page_size: int) -> dict[str, Any]:
        """`GET /tasks`: async tasks of the account, newest first, filtered like the SDK asks."""
        start = _time_arg(query.get("start_time"), "start_time")
        end = _time_arg(query.get("end_time"), "end_time")
        now, region = self.state.now(), self.state.settings.region
        items = []
        for task in reversed(self.state.records.all(TaskRecord)):
            state = task_state(task, now)
            if (
                task.sync
                or (start is not None and task.submitted < start)
                or (end is not None and task.submitted > end)
            ):
                continue
            if query.get("model_name") and task.model != query["model_name"]:
                continue
            if query.get("status") and state.status != query["status"]:
                continue
            items.append(task_list_item(task, state, region))
        page_no, page_size = max(1, page_no), max(1, min(page_size, 100))
        listed = items[(page_no - 1) * page_size : page_no * page_size]
        total_page = max(1, math.ceil(len(items) / page_size))
        return {
            "total": len(items),
            "data": listed,
            "total_page": total_page,
            "page_no": page_no,
            "page_size": page_size,
        }

    def task_prompt(self, task_id: str) -> tuple[str, int]:
        """Prompt and seed of a task (for rendering its images)."""
        task = self.state.records.get(TaskRecord, task_id)
        return (task.prompt, task.seed) if task else ("unknown", 0)
