"""What a Dataset declares and records."""

from __future__ import annotations

from pathlib import Path

from pulumi_modelstudio.core.model import Props, Role, declared
from pulumi_modelstudio.core.values import Unknowable
from pulumi_modelstudio.datasets.rules import DatasetRole, GenerationType
from pulumi_modelstudio.settings.config import project_root

__all__ = ["DatasetInputs", "DatasetState"]


class DatasetInputs(Props):
    """Declared: the folder or zip, its generation type and role; derived at check: its digest and size."""

    sha256: Unknowable[str] | None = declared(role=Role.REPLACE)
    """Content digest of the dataset (file names, sizes and bytes): new content is a new upload."""
    generation_type: Unknowable[GenerationType] | None = declared(
        role=Role.REPLACE, problem="{value!r} is not one of t2i, i2i — use 't2i' or 'i2i'", required=True
    )
    role: Unknowable[DatasetRole] | None = declared(
        role=Role.REPLACE, problem="{value!r} is not one of training, validation", required=True
    )
    source: Unknowable[str] | None = declared(role=Role.UPDATE, problem="source must be a dataset folder or .zip path")
    """The folder or .zip, relative to the project root: moving it changes nothing uploaded."""
    image_count: Unknowable[int] | None = declared()
    size_bytes: Unknowable[int] | None = declared()

    def path(self) -> Path:
        """The dataset path: absolute as given, else relative to the project root (wherever it is checked out)."""
        path = Path(str(self.source))
        return path if path.is_absolute() else project_root() / path


class DatasetState(DatasetInputs):
    """What a Dataset records after the upload."""

    file_id: str | None = declared(role=Role.OUTPUT)
    """The Model Studio file id."""
    file_name: str | None = declared(role=Role.OUTPUT)
    """The uploaded name, `<resource>-<owner key>-<sha12>.zip`."""
    zip_size_bytes: int | None = declared(role=Role.OUTPUT)
    """Size of the uploaded zip."""
