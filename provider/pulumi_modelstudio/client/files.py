"""Files API: upload (streamed from disk), get, list, delete, download."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path

from pulumi_modelstudio.client._area import APIArea
from pulumi_modelstudio.client._paging import walk_pages
from pulumi_modelstudio.client._parse import parse, require_id
from pulumi_modelstudio.errors import UploadFailedError
from pulumi_modelstudio.wire.files import FileList, FileObject, UploadedFile, UploadResult

__all__ = ["FilesAPI", "Multipart"]

_CHUNK = 2**20
"""Bytes read and sent per step of an upload: large enough that Python adds little, small enough to reuse memory."""


class Multipart:
    """A `multipart/form-data` body of text fields and one file, streamed from disk in 1 MiB chunks.

    Like `curl -F`, it sends a Content-Length (no chunked encoding), and holds at most one chunk in memory.
    """

    def __init__(self, path: Path, *, field: str, file_name: str, fields: Mapping[str, str]) -> None:
        """Lay out everything but the file's bytes."""
        self.path = path
        boundary = secrets.token_hex(16)
        self.content_type = f"multipart/form-data; boundary={boundary}"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        safe_name = file_name.replace('"', "%22").replace("\r", "").replace("\n", "")
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{safe_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        self._head = "".join(parts).encode()
        self._tail = f"\r\n--{boundary}--\r\n".encode()
        self.length = len(self._head) + path.stat().st_size + len(self._tail)

    def headers(self) -> dict[str, str]:
        """Content-Type with the boundary, and Content-Length."""
        return {"Content-Type": self.content_type, "Content-Length": str(self.length)}

    def __iter__(self) -> Iterator[bytes]:
        """The body, from the first boundary to the last (a fresh pass each time: retries resend it)."""
        yield self._head
        with self.path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk
        yield self._tail


class FilesAPI(APIArea):
    """`/files` operations."""

    answer_key = "data"

    def upload(
        self, path: Path, *, name: str | None = None, purpose: str = "fine-tune", description: str = ""
    ) -> UploadedFile:
        """Upload one file (streamed); raises UploadFailedError when the service refuses it."""
        file_name = name or path.name
        form = Multipart(
            path, field="files", file_name=file_name, fields={"purpose": purpose, "descriptions": description}
        )
        body = self._t.request("POST", "files", headers=form.headers(), body=lambda: iter(form))
        result = parse(UploadResult, body.get("data"), what="upload", request_id=body.get("request_id"))
        for failed in result.failed_uploads:
            msg = f"upload of {file_name} refused: {failed.code}: {failed.message}"
            raise UploadFailedError(
                msg,
                method="POST",
                url=self._t.url("files"),
                request_id=body.get("request_id"),
                code=failed.code,
            )
        for uploaded in result.uploaded_files:
            return uploaded
        msg = f"upload of {file_name}: the answer names no uploaded file"
        raise UploadFailedError(
            msg, method="POST", url=self._t.url("files"), request_id=body.get("request_id"), code=None
        )

    def get(self, file_id: str) -> FileObject:
        """One file's metadata."""
        return self._get(FileObject, f"files/{require_id('file_id', file_id)}", what=f"file {file_id}")

    def list(self, *, page_no: int = 1, page_size: int = 100) -> FileList:
        """One page of files."""
        return self._get(FileList, "files", what="file list", params={"page_no": page_no, "page_size": page_size})

    def iter_all(self) -> Iterator[FileObject]:
        """Every file, page by page."""
        return walk_pages(lambda n: self.list(page_no=n), lambda page: page.files)

    def delete(self, file_id: str) -> None:
        """Delete a file."""
        self._t.request("DELETE", f"files/{require_id('file_id', file_id)}")

    def download(self, file_id: str) -> bytes:
        """The stored bytes, through the file's signed URL."""
        url = self.get(file_id).url
        if not url:
            msg = f"file {file_id} has no download url"
            raise ValueError(msg)
        return self._t.download(url)
