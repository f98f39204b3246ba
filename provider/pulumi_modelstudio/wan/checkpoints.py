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

__all__ = ["checkpoint_problem", "is_saved", "kept_steps"]

_STEP = re.compile(r"^checkpoint-(\d+)$")


def is_saved(step: int, max_steps: int, eval_steps: int) -> bool:
    """Whether a job saves a checkpoint at `step`."""
    return 0 < step <= max_steps and (step == max_steps or (eval_steps > 0 and step % eval_steps == 0))


def kept_steps(max_steps: int, eval_steps: int, save_total_limit: int) -> list[int]:
    """The steps whose checkpoints are still there when the job has ended, ascending."""
    every = eval_steps or max_steps
    last_regular = max_steps // every * every
    steps = [] if last_regular == max_steps else [max_steps]
    step = last_regular
    while step > 0 and len(steps) < save_total_limit:
        steps.append(step)
        step -= every
    return sorted(steps)


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
    if found[1] != str(step):
        reason = f"is not how the service names it (checkpoint-{step}, without leading zeros)"
    elif step in kept:
        return None
    elif step > hp.max_steps:
        reason = f"is past the last step (max_steps {hp.max_steps})"
    elif not is_saved(step, hp.max_steps, hp.eval_steps):
        cadence = f"every eval_steps ({hp.eval_steps}) steps and at the end" if hp.eval_steps else "at the end only"
        reason = f"is never saved: with eval_steps {hp.eval_steps}, checkpoints are saved {cadence}"
    else:
        reason = f"is deleted before the job ends: only the last save_total_limit ({hp.save_total_limit}) are kept"
    choices = ", ".join(f"checkpoint-{s}" for s in reversed(kept))
    return f"{checkpoint} {reason} — export 'latest' or one of {choices}, or change the hyper-parameters"
