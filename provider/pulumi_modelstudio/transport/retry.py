"""Pure retry policy: what may be retried, and how long to wait."""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["RETRYABLE_STATUSES", "is_retryable_status", "retry_delay"]

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses worth another try for requests that are safe to repeat."""


def is_retryable_status(status_code: int) -> bool:
    """Whether an idempotent request answered with this status may be retried."""
    return status_code in RETRYABLE_STATUSES


def retry_delay(attempt: int, *, initial: float, maximum: float, rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter: min(maximum, initial·2^attempt) scaled into [50%, 100%]."""
    base = min(maximum, initial * (2**attempt))
    return float(base * (0.5 + rand() / 2))
