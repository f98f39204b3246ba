"""Files: upload (streamed to disk), get, list, delete."""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import IO, Any

from modelstudio_emulator.errors import ApiError
from modelstudio_emulator.ops._paging import page
from modelstudio_emulator.records import FileRecord
from modelstudio_emulator.state import State
from modelstudio_emulator.views import Links, file_view

__all__ = ["MAX_FILES", "MAX_FILE_BYTES", "FilesOps"]

MAX_FILE_BYTES = 1024**3
MAX_FILES = 10000


class FilesOps:
    """`/files` rules."""

    def __init__(self, state: State) -> None:
        """Bind to the shared state."""
        self.state = state

    def upload(self, workspace: str, name: str, stream: IO[bytes], purpose: str, description: str) -> dict[str, Any]:
        """Store one uploaded file; refusals come back as a `failed_uploads` entry."""
        state = self.state
        live = [f for f in state.records.all(FileRecord) if not f.deleted]
        if len(live) >= MAX_FILES:
            return {
                "name": name,
                "code": "BadRequest.TooMany",
                "message": f"Out of number, <{len(live)}> of <{MAX_FILES}> files has been uploaded.",
            }
        file_id = str(uuid.uuid4())
        target = state.file_path(file_id)
        md5, size = hashlib.md5(usedforsecurity=False), 0
        with target.open("wb") as out:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    break
                md5.update(chunk)
                out.write(chunk)
        if size > MAX_FILE_BYTES:
            target.unlink(missing_ok=True)
            return {
                "name": name,
                "code": "BadRequest.TooLarge",
                "message": f"Out of space, file {name} is larger than {MAX_FILE_BYTES} B.",
            }
        record = FileRecord(
            id=state.records.next_id("file"),
            file_id=file_id,
            name=name,
            description=description,
            size=size,
            md5=base64.b64encode(md5.digest()).decode(),
            purpose=purpose,
            created=state.now(),
            workspace=workspace,
        )
        state.records.put(record)
        return {"name": name, "file_id": file_id}

    def find(self, workspace: str, file_id: str) -> FileRecord | None:
        """A live file of the workspace, or None."""
        record = self.state.records.get(FileRecord, file_id)
        if record is None or record.deleted or record.workspace != workspace:
            return None
        return record

    def _file(self, workspace: str, file_id: str) -> FileRecord:
        record = self.find(workspace, file_id)
        if record is None:
            raise ApiError.file_not_found()
        return record

    def get(self, workspace: str, file_id: str, links: Links) -> dict[str, Any]:
        """One file."""
        return file_view(self._file(workspace, file_id), links, self.state.settings.region)

    def list_files(self, workspace: str, page_no: int, page_size: int, links: Links) -> dict[str, Any]:
        """A page of files."""
        live = [f for f in self.state.records.all(FileRecord) if not f.deleted and f.workspace == workspace]
        items, total = page(live, page_no, page_size)
        region = self.state.settings.region
        return {
            "total": total,
            "page_no": page_no,
            "page_size": page_size,
            "files": [file_view(f, links, region) for f in items],
        }

    def delete(self, workspace: str, file_id: str) -> None:
        """Delete a file and its bytes."""
        with self.state.lock:
            record = self._file(workspace, file_id)
            record.deleted = True
            self.state.records.put(record)
            self.state.file_path(file_id).unlink(missing_ok=True)
