"""Errors that already know their wire form: HTTP status, code, message."""

from __future__ import annotations

__all__ = ["ApiError"]


class ApiError(Exception):
    """Rendered as `{"request_id", "code", "message"}` with `status`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        """Remember the wire fields."""
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    @classmethod
    def invalid(cls, message: str) -> ApiError:
        """400 InvalidParameter."""
        return cls(400, "InvalidParameter", message)

    @classmethod
    def unsupported(cls, message: str) -> ApiError:
        """400 UnsupportedOperation."""
        return cls(400, "UnsupportedOperation", message)

    @classmethod
    def not_found(cls, message: str = "Not found.") -> ApiError:
        """404 NotFound."""
        return cls(404, "NotFound", message)

    @classmethod
    def file_not_found(cls) -> ApiError:
        """The documented answer for an unknown or deleted file: 400 InvalidParameter "File not found."."""
        return cls.invalid("File not found.")
