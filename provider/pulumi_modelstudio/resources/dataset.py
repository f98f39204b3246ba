"""`Dataset`: a validated, deterministically packed training or validation zip uploaded as a file."""

from __future__ import annotations

from typing import Any

import pulumi

from pulumi_modelstudio.core.dataset.core import DatasetCore
from pulumi_modelstudio.core.dataset.inputs import DatasetInputs, DatasetState
from pulumi_modelstudio.datasets.rules import DatasetRole, GenerationType
from pulumi_modelstudio.resources._base import CoreProvider, program_owner
from pulumi_modelstudio.resources._pickling import ModelStudioResource

__all__ = ["Dataset", "DatasetProvider"]


class DatasetProvider(CoreProvider[DatasetInputs, DatasetState]):
    """Validates at preview, uploads on create, deletes the file on destroy; content changes replace."""

    inputs_model = DatasetInputs
    state_model = DatasetState
    core_class = DatasetCore


class Dataset(ModelStudioResource, module="modelstudio", name="Dataset"):
    """A LoRA training or validation dataset (folder or .zip) uploaded to Model Studio.

    The folder is validated against the documented dataset rules at preview; its content digest drives
    replacement, so editing an image or a prompt re-uploads it and retrains what depends on it.
    """

    file_id: pulumi.Output[str]
    """The Model Studio file id, used as `training_file_ids` / `validation_file_ids`."""
    sha256: pulumi.Output[str]
    """Content digest of the dataset (file names, sizes and bytes)."""
    image_count: pulumi.Output[int]
    """Number of images in the dataset."""
    size_bytes: pulumi.Output[int]
    """Total size of the dataset's files."""

    def __init__(
        self,
        resource_name: str,
        *,
        source: pulumi.Input[str],
        generation_type: GenerationType = "t2i",
        role: DatasetRole = "training",
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a dataset from `source`, a folder or .zip relative to the project root."""
        props: dict[str, Any] = {
            "source": source,
            "generation_type": generation_type,
            "role": role,
            "sha256": None,
            "image_count": None,
            "size_bytes": None,
            "file_id": None,
            "file_name": None,
        }
        super().__init__(DatasetProvider(program_owner(resource_name)), resource_name, props, opts)
