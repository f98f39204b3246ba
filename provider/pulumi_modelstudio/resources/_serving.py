"""Which model a Deployment serves while the next version trains, and how it switches to the next one.

A deployment keeps serving its model while a new version trains, exports and deploys: a `model_name` that is
still a placeholder (`pending:<job_id>…`) is recorded as the next version (`next_model`), and the switch is a
create-before-delete replacement made by the run that sees the real model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pulumi_modelstudio.core.serving import job_of, serving_summary
from pulumi_modelstudio.resources._base import is_placeholder

__all__ = ["REPLACE_MODES", "ReplaceMode", "job_of", "served_model", "serving_summary"]

ReplaceMode = Literal["create-first", "delete-first"]
"""`create-first` (default): the new deployment is RUNNING before the old one is deleted (no downtime, both
are billed meanwhile). `delete-first`: the old one is deleted before the new one is made (downtime)."""
REPLACE_MODES: tuple[str, ...] = ("create-first", "delete-first")


def served_model(id_: str, olds: Mapping[str, Any]) -> str | None:
    """The model the recorded deployment serves; None while it is itself a placeholder (nothing serves yet).

    State written before `served_model` was recorded serves its `model_name`.
    """
    if not id_ or is_placeholder(id_):
        return None
    served = olds.get("served_model") or olds.get("model_name")
    return served if isinstance(served, str) and served and not is_placeholder(served) else None
