"""Jobs a create in progress has started or adopted but not yet handed to the engine."""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pulumi_modelstudio.core.context import Context

__all__ = ["cancel_unrecorded_jobs", "hold", "release"]

_lock = threading.Lock()
_unrecorded: dict[str, Context] = {}
"""Jobs started or adopted by a create that has not returned yet, by job id, with how to reach the service."""


def hold(job_id: str, context: Context) -> None:
    """Note that a create is working on `job_id`."""
    with _lock:
        _unrecorded[job_id] = context


def release(job_id: str) -> None:
    """The create of `job_id` returned: the engine records it."""
    with _lock:
        _unrecorded.pop(job_id, None)


def cancel_unrecorded_jobs() -> list[str]:
    """Cancel the jobs that creates in progress started but the engine will never record; returns their ids.

    Called when the engine terminates the provider in the middle of a create (a second Ctrl-C): the stack would
    not track such a job, so it is stopped instead of being left training (and billing) unseen.
    """
    with _lock:
        held = dict(_unrecorded)
        _unrecorded.clear()
    for job_id, context in held.items():
        with contextlib.suppress(Exception), context.client() as client:
            client.fine_tunes.cancel(job_id)
    return list(held)
