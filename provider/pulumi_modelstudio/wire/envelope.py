"""The error envelope `{request_id, code, message}` (some answers say `msg`)."""

from __future__ import annotations

from pulumi_modelstudio.wire._base import Answer

__all__ = ["ErrorBody"]


class ErrorBody(Answer):
    """An error answer."""

    request_id: str | None = None
    code: str | None = None
    message: str | None = None
    msg: str | None = None
