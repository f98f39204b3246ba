"""Pulumi dynamic resources for Model Studio LoRA fine-tuning and deployment."""

from __future__ import annotations

from pulumi_modelstudio.resources.checkpoint_export import CheckpointExport
from pulumi_modelstudio.resources.dataset import Dataset
from pulumi_modelstudio.resources.deployment import Deployment
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJob
from pulumi_modelstudio.resources.lora_model import LoraModel

__all__ = ["CheckpointExport", "Dataset", "Deployment", "FineTuneJob", "LoraModel"]
