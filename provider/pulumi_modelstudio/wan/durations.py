"""Typical training and deployment durations, used to plan polling and default deadlines."""

from __future__ import annotations

__all__ = ["DEPLOY_SECONDS", "EXPORT_SECONDS", "QUEUE_SECONDS", "STEP_SECONDS", "expected_training_seconds"]

STEP_SECONDS: dict[tuple[str, str], float] = {
    ("t2i", "1k"): 8.0,
    ("t2i", "2k"): 15.4,  # the guide: t2i 2K, 300 steps ≈ 77 min
    ("i2i", "1k"): 15.4,
    ("i2i", "2k"): 22.0,  # the guide: i2i 2K, 300 steps ≈ 110 min
}
"""Seconds per training step by (generation_type, max_token_length)."""

QUEUE_SECONDS = 60.0
"""Data checks before training starts."""

EXPORT_SECONDS = 120.0
"""A checkpoint export."""

DEPLOY_SECONDS = 300.0
"""A LoRA deployment becoming RUNNING (the guide says 5-10 minutes)."""


def expected_training_seconds(hyper_parameters: dict[str, object]) -> float:
    """Expected wall time of a Wan image job from its hyper-parameters."""
    gen = str(hyper_parameters.get("generation_type", "t2i"))
    size = str(hyper_parameters.get("max_token_length", "2k")).lower()
    steps = int(float(str(hyper_parameters.get("max_steps", 800))))
    return QUEUE_SECONDS + steps * STEP_SECONDS.get((gen, size), 15.4)
