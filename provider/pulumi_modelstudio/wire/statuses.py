"""Status sets shared by the wire models and the providers (no pydantic import needed)."""

from __future__ import annotations

__all__ = ["ACTIVE_JOB_STATUSES", "TERMINAL_JOB_STATUSES", "TERMINAL_TASK_STATUSES"]

TERMINAL_JOB_STATUSES = frozenset({"SUCCEEDED", "FAILED", "CANCELED"})
"""A job in one of these will not change again."""
ACTIVE_JOB_STATUSES = frozenset({"PENDING", "QUEUING", "RUNNING", "CANCELING"})
"""A job in one of these may still bill."""
TERMINAL_TASK_STATUSES = frozenset({"SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN"})
"""A task in one of these will not change again."""
