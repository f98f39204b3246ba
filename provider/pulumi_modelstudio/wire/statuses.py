"""Status sets shared by the wire models and the providers (no pydantic import needed)."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "ACTIVE_JOB_STATUSES",
    "RETRAIN_JOB_STATUSES",
    "TERMINAL_EXPORT_STATUSES",
    "TERMINAL_JOB_STATUSES",
    "TERMINAL_TASK_STATUSES",
    "WAITING_JOB_STATUSES",
    "JobStatus",
]

JobStatus = Literal["PENDING", "QUEUING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELING", "CANCELED"]
"""Every status a fine-tune job reports."""

TERMINAL_JOB_STATUSES: frozenset[JobStatus] = frozenset({"SUCCEEDED", "FAILED", "CANCELED"})
"""A job in one of these will not change again."""
ACTIVE_JOB_STATUSES: frozenset[JobStatus] = frozenset({"PENDING", "QUEUING", "RUNNING", "CANCELING"})
"""A job in one of these may still bill."""
RETRAIN_JOB_STATUSES: frozenset[JobStatus] = frozenset({"FAILED", "CANCELED"})
"""A job that ended in one of these trained nothing usable: the next run trains again."""
WAITING_JOB_STATUSES: frozenset[JobStatus] = frozenset({"PENDING", "QUEUING"})
"""A job in one of these waits for its training slot (not billed)."""
TERMINAL_EXPORT_STATUSES = frozenset({"SUCCEEDED", "FAILED", "UNSUPPORTED"})
"""A checkpoint export in one of these will not change again."""
TERMINAL_TASK_STATUSES = frozenset({"SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN"})
"""A task in one of these will not change again."""
