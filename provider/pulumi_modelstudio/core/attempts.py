"""Creates whose outcome is unclear: look before trying again."""

from __future__ import annotations

from pulumi_modelstudio.errors import APIConnectionError, APIError, APIStatusError

__all__ = ["may_have_landed"]


def may_have_landed(exc: APIError) -> bool:
    """Whether a failed create may still have happened (no answer, or a 5xx): look it up before retrying."""
    return isinstance(exc, APIConnectionError) or (isinstance(exc, APIStatusError) and exc.status_code >= 500)
