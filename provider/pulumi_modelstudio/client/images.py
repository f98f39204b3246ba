"""Image generation (async) and task polling."""

from __future__ import annotations

from typing import Any

from pulumi_modelstudio.client._area import APIArea
from pulumi_modelstudio.client._parse import parse, require_id
from pulumi_modelstudio.wire.tasks import Task

__all__ = ["ImagesAPI", "TasksAPI"]


class ImagesAPI(APIArea):
    """`/services/aigc/image-generation/generation` (async)."""

    def submit(
        self,
        model: str,
        prompt: str,
        *,
        image_url: str | None = None,
        size: str = "1K",
        n: int = 1,
        seed: int | None = None,
    ) -> Task:
        """Submit a generation task for a base model or a RUNNING deployed model."""
        content: list[dict[str, str]] = [{"image": image_url}] if image_url else []
        content.append({"text": prompt})
        parameters: dict[str, Any] = {"size": size, "n": n}
        if seed is not None:
            parameters["seed"] = seed
        body = self._t.request(
            "POST",
            "services/aigc/image-generation/generation",
            json={
                "model": model,
                "input": {"messages": [{"role": "user", "content": content}]},
                "parameters": parameters,
            },
            headers={"X-DashScope-Async": "enable"},
        )
        return parse(Task, body.get("output"), what="image generation", request_id=body.get("request_id"))

    def download(self, url: str) -> bytes:
        """Bytes of a generated image."""
        return self._t.download(url)


class TasksAPI(APIArea):
    """`/tasks` operations."""

    def get(self, task_id: str) -> Task:
        """One task (an unknown id answers UNKNOWN)."""
        return self._get(Task, f"tasks/{require_id('task_id', task_id)}", what=f"task {task_id}")

    def cancel(self, task_id: str) -> None:
        """Cancel a task that is still PENDING."""
        self._t.request("POST", f"tasks/{require_id('task_id', task_id)}/cancel", mutating=False)
