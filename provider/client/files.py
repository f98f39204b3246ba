"""Files API: upload (streamed from disk), get, list, delete, download."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from provider.client._paging import walk_pages
from provider.client._parse import parse, require_id
from provider.errors import UploadFailedError
from provider.transport import Transport
from provider.wire.files import FileList, FileObject, UploadedFile, UploadResult

__all__ = ["FilesAPI"]


class FilesAPI:
    """`/files` operations."""

    def __init__(self, transport: Transport) -> None:
        """Bind to a transport."""
        self._t = transport

    def upload(
        self, path: Path, *, name: str | None = None, purpose: str = "fine-tune", description: str = ""
    ) -> UploadedFile:
        """Upload one file (streamed); raises UploadFailedError when the service refuses it."""
        file_name = name or path.name
        with path.open("rb") as stream:
            body = self._t.request(
                "POST",
                "files",
                files={"files": (file_name, stream, "application/octet-stream")},
                data={"purpose": purpose, "descriptions": description},
                rewind=lambda: stream.seek(0),
            )
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
        body = self._t.request("GET", f"files/{require_id('file_id', file_id)}")
        return parse(FileObject, body.get("data"), what=f"file {file_id}")

    def list(self, *, page_no: int = 1, page_size: int = 100) -> FileList:
        """One page of files."""
        body = self._t.request("GET", "files", params={"page_no": page_no, "page_size": page_size})
        return parse(FileList, body.get("data"), what="file list")

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
