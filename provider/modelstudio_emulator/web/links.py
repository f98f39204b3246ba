"""URLs of bytes the emulator serves, built from the host the client called."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["UrlLinks"]


class UrlLinks:
    """Implements `emulator.views.Links` under `base_url` (`http://HOST:PORT`)."""

    def __init__(self, base_url: str) -> None:
        """Build links under `base_url`."""
        self.base = base_url.rstrip("/")

    def file(self, file_id: str, name: str) -> str:
        """Download URL of an uploaded file."""
        return f"{self.base}/_emulator/files/{file_id}/{quote(name)}"

    def preview(self, job_id: str, checkpoint: str, index: int) -> str:
        """Validation preview image of a checkpoint."""
        return f"{self.base}/_emulator/blobs/preview/{job_id}/{checkpoint}/{index}.png"

    def input_image(self, job_id: str, index: int) -> str:
        """Reference image of a validation line."""
        return f"{self.base}/_emulator/blobs/input/{job_id}/{index}.png"

    def task_image(self, task_id: str, index: int) -> str:
        """Generated image of a task."""
        return f"{self.base}/_emulator/blobs/task/{task_id}/{index}.png"
