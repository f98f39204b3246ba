"""Base models that LoRA fine-tuning with the Wan image hyper-parameters supports."""

from __future__ import annotations

__all__ = ["SUPPORTED_BASE_MODELS"]

SUPPORTED_BASE_MODELS = ("wan2.7-image-pro", "wan2.7-image")
"""Base models trained with the step-based Wan image hyper-parameters."""
