"""Pulumi dynamic resources for Model Studio LoRA fine-tuning and deployment."""

from __future__ import annotations

from provider.resources.checkpoint_export import CheckpointExport
from provider.resources.dataset import Dataset
from provider.resources.deployment import Deployment
from provider.resources.fine_tune_job import FineTuneJob
from provider.resources.lora_model import LoraModel

__all__ = ["CheckpointExport", "Dataset", "Deployment", "FineTuneJob", "LoraModel"]
