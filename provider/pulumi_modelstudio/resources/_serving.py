"""Which model a Deployment serves while the next version trains, and how it switches to the next one.

A deployment keeps serving its model while a new version trains, exports and deploys: a `model_name` that is
still a placeholder (`pending:<job_id>…`) is recorded as the next version (`next_model`), and the switch is a
create-before-delete replacement made by the run that sees the real model (`core/deployment/switch.py`).
"""

from __future__ import annotations

from pulumi_modelstudio.core.serving import REPLACE_MODES, ReplaceMode, job_of, serving_summary

__all__ = ["REPLACE_MODES", "ReplaceMode", "job_of", "serving_summary"]
