"""`Dataset`: a validated, deterministically packed training or validation zip uploaded as a file."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from pulumi_modelstudio.core.adoption import refuse_dataset
from pulumi_modelstudio.core.dataset.core import DatasetCore
from pulumi_modelstudio.core.dataset.inputs import DatasetInputs, DatasetState
from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.core.registry import is_import_read
from pulumi_modelstudio.datasets.rules import DatasetRole, GenerationType
from pulumi_modelstudio.resources._base import ModelStudioProvider, diff_result, read_result
from pulumi_modelstudio.resources._pickling import ModelStudioResource

__all__ = ["Dataset", "DatasetProvider"]


class DatasetProvider(ModelStudioProvider):
    """Validates at preview, uploads on create, deletes the file on destroy; content changes replace."""

    state_model = DatasetState

    def _core(self) -> DatasetCore:
        return DatasetCore(self.context())

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate provider settings and the dataset folder; record its digest, image count and size."""
        return self.checked(news, DatasetInputs, self._core().check)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """New content, type or role replaces; a moved folder updates in place."""
        return diff_result(DatasetCore.diff(DatasetState.of(olds), DatasetInputs.of(news)))

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Pack the folder into a deterministic zip and upload it (adopting this resource's own earlier upload)."""
        file_id, state = self._core().create(DatasetInputs.of(props))
        return CreateResult(file_id, state.to_props())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: a file deleted outside Pulumi drops out of state."""
        if is_import_read(props):
            return read_result(refuse_dataset(id_))
        return read_result(self._core().read(id_, DatasetState.of(props)))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """No API call: record the new path beside the upload."""
        return UpdateResult(DatasetCore.update(DatasetState.of(olds), DatasetInputs.of(news)).to_props())

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Delete the uploaded file (already gone is fine); the file stays when a job that stays trained on it (its
        name proves the job this stack's; the job's deletion said so)."""
        del props
        self._core().delete(id_)


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
        owner = Owner(pulumi.get_project(), pulumi.get_stack(), resource_name)
        super().__init__(DatasetProvider(owner), resource_name, props, opts)
