"""Typed client of the Model Studio (DashScope) fine-tune, deployment and image APIs."""

from __future__ import annotations

from pulumi_modelstudio.client.client import ModelStudioClient

__all__ = ["ModelStudioClient"]
