"""Files API objects."""

from __future__ import annotations

from pydantic import Field

from pulumi_modelstudio.wire._base import Answer, Page

__all__ = ["FailedUpload", "FileList", "FileObject", "UploadResult", "UploadedFile"]


class FileObject(Answer):
    """A stored file."""

    file_id: str
    name: str = ""
    size: int | None = None
    gmt_create: str | None = None
    url: str | None = None


class UploadedFile(Answer):
    """One file the upload accepted."""

    name: str
    file_id: str


class FailedUpload(Answer):
    """One file the upload refused."""

    name: str
    code: str | None = None
    message: str | None = None


class UploadResult(Answer):
    """`data` of an upload answer."""

    uploaded_files: list[UploadedFile] = Field(default_factory=list)
    failed_uploads: list[FailedUpload] = Field(default_factory=list)


class FileList(Page):
    """`data` of a list answer."""

    files: list[FileObject] = Field(default_factory=list)
