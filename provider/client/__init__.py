"""Typed client of the Model Studio (DashScope) fine-tune, deployment and image APIs."""

from __future__ import annotations

from provider.client.client import ModelStudioClient

__all__ = ["ModelStudioClient"]
