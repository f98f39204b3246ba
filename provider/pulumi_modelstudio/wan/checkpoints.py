"""Which checkpoints a Wan image job keeps: one every `eval_steps` and one at the end, the last `save_total_limit`.

The guide: the system saves checkpoints "at intervals set by the hyperparameter eval_steps" and outputs the last one
as the fine-tuned model; the hyper-parameter table: `save_total_limit` keeps the last N.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from pulumi_modelstudio.wan.hyperparams import WanImageHyperParameters

__all__ = ["checkpoint_problem", "kept_steps", "saved_steps"]

_STEP = re.compile(r"^checkpoint-(\d+)$")


def saved_steps(max_steps: int, eval_steps: int) -> list[int]:
    """The steps a job saves a checkpoint at, ascending."""
    every = eval_steps or max_steps
    return sorted({*range(every, max_steps + 1, every), max_steps})


def kept_steps(max_steps: int, eval_steps: int, save_total_limit: int) -> list[int]:
    """The steps whose checkpoints are still there when the job has ended, ascending."""
    return saved_steps(max_steps, eval_steps)[-save_total_limit:]


def checkpoint_problem(checkpoint: str, hyper_parameters: Mapping[str, Any]) -> str | None:
    """Why `checkpoint` will not exist once a job with these hyper-parameters ends, with the fix; None when it will,
    and when that cannot be told (`latest`, another name, or parameters that are invalid or not known yet)."""
    found = _STEP.match(checkpoint)
    if found is None:
        return None
    try:
        hp = WanImageHyperParameters.model_validate(dict(hyper_parameters))
    except ValidationError:
        return None
    step = int(found[1])
    kept = kept_steps(hp.max_steps, hp.eval_steps, hp.save_total_limit)
    if step in kept:
        return None
    if step > hp.max_steps:
        reason = f"is past the last step (max_steps {hp.max_steps})"
    elif step not in saved_steps(hp.max_steps, hp.eval_steps):
        cadence = f"every eval_steps ({hp.eval_steps}) steps and at the end" if hp.eval_steps else "at the end only"
        reason = f"is never saved: with eval_steps {hp.eval_steps}, checkpoints are saved {cadence}"
    else:
        reason = f"is deleted before the job ends: only the last save_total_limit ({hp.save_total_limit}) are kept"
    choices = ", ".join(f"checkpoint-{s}" for s in reversed(kept))
    return f"{checkpoint} {reason} — export 'latest' or one of {choices}, or change the hyper-parameters"
