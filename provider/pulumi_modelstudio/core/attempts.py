"""Creates whose outcome is unclear: look before trying again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.errors import APIConnectionError, APIError, APIStatusError

__all__ = ["CREATE_ATTEMPTS", "look_up_or_create", "may_have_landed"]

T = TypeVar("T")

CREATE_ATTEMPTS = 4
"""How often a create is tried when its answers may have been lost."""


def may_have_landed(exc: APIError) -> bool:
    """Whether a failed create may still have happened (no answer, or a 5xx): look it up before retrying."""
    return isinstance(exc, APIConnectionError) or (isinstance(exc, APIStatusError) and exc.status_code >= 500)


def look_up_or_create(
    look_up: Callable[[int], T | None],
    create: Callable[[], T | None],
    *,
    what: str,
    resource: str,
    attempts: int = CREATE_ATTEMPTS,
) -> T | None:
    """What `look_up(attempt)` finds, else what `create()` makes; None when every attempt ended with neither.

    A create (`what`, for `resource`'s progress lines) that may have landed without an answer is looked up before
    the next attempt; one that surely failed, or the last attempt's, raises. `create` answers None to look again.
    """
    for attempt in range(1, attempts + 1):
        found = look_up(attempt)
        if found is not None:
            return found
        try:
            made = create()
        except (APIConnectionError, APIStatusError) as exc:
            if not may_have_landed(exc) or attempt == attempts:
                raise
            progress(resource, f"{what} unclear ({exc}); looking it up before trying again")
            continue
        if made is not None:
            return made
    return None
