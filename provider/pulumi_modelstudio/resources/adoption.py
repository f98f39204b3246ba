"""Adoption of objects made outside Pulumi; kept at this path for its users (see `core.adoption`)."""

from __future__ import annotations

from pulumi_modelstudio.core.adoption import (
    ADOPTED_KEY,
    declarable_hyperparameters,
    deployment_inputs,
    export_inputs,
    job_inputs,
)

__all__ = ["ADOPTED_KEY", "declarable_hyperparameters", "deployment_inputs", "export_inputs", "job_inputs"]
