"""Async task objects (image generation)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from pulumi_modelstudio.wire._base import Answer
from pulumi_modelstudio.wire.statuses import TERMINAL_TASK_STATUSES

__all__ = ["TERMINAL_TASK_STATUSES", "Task"]


class Task(Answer):
    """An async task."""

    task_id: str
    task_status: str
    code: str | None = None
    message: str | None = None
    choices: list[dict[str, Any]] = Field(default_factory=list)
    results: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def image_urls(self) -> list[str]:
        """Image URLs from `choices[].message.content[].image` or legacy `results[].url`."""
        urls = [
            item["image"]
            for choice in self.choices
            for item in choice.get("message", {}).get("content", [])
            if isinstance(item, dict) and "image" in item
        ]
        return urls + [r["url"] for r in self.results if "url" in r]
