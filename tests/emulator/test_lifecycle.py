"""Job status derived from the clock and the one-at-a-time training schedule."""

from __future__ import annotations

from modelstudio_emulator.lifecycle import PENDING_S, job_state, schedule
from modelstudio_emulator.records import JobRecord


def _job(job_id: str, created: float, cancel_at: float | None = None) -> JobRecord:
    return JobRecord(
        job_id=job_id, job_name=job_id, model="wan2.7-image", train=["file-1"], val=[],
        hp={"max_steps": 100, "generation_type": "t2i"}, created=created, workspace="ws",
        finetuned_output=f"{job_id}-out", cancel_at=cancel_at,
    )  # fmt: skip


def test_a_queued_job_cancelled_after_the_status_was_read_is_still_queuing_then() -> None:
    first = _job("ft-1", created=0.0)
    second = _job("ft-2", created=0.0)
    now = PENDING_S + 1.0  # the first trains, the second waits its turn
    assert job_state(second, now, schedule([first, second])).status == "QUEUING"

    second.cancel_at = now + 1.0  # a cancel lands between reading the clock and planning (a listing racing it)
    plan = schedule([first, second])
    assert second.job_id not in plan  # cancelled before its turn: never trains

    assert job_state(second, now, plan).status == "QUEUING"  # no KeyError: it was queued at `now`
    assert job_state(second, now + 1.0, plan).status == "CANCELING"
