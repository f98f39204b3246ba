"""`Dataset`: a validated, deterministically packed training or validation zip uploaded as a file."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

import pulumi
from pulumi.dynamic import CheckFailure, CreateResult, ReadResult

from pulumi_modelstudio.core.identity import Owner, upload_name
from pulumi_modelstudio.datasets.fingerprint import content_sha256
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.errors import APIConnectionError, APIStatusError, DatasetError, NotFoundError
from pulumi_modelstudio.resources._base import ModelStudioProvider, is_unknown, may_have_landed, progress
from pulumi_modelstudio.resources._checkcache import CheckCache
from pulumi_modelstudio.resources._pickling import ModelStudioResource
from pulumi_modelstudio.resources.adoption import refuse_dataset
from pulumi_modelstudio.resources.registry import is_import_read
from pulumi_modelstudio.settings.config import project_root

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.datasets.validate import GenerationType, Role
    from pulumi_modelstudio.wire.files import FileObject

__all__ = ["Dataset", "DatasetProvider"]

GENERATION_TYPES = ("t2i", "i2i")
ROLES = ("training", "validation")
_UPLOAD_ATTEMPTS = 4
_SHOWN_PROBLEMS = 20


def resolve_source(inputs: dict[str, Any]) -> Path:
    """The dataset path: absolute as given, else relative to the project root (wherever it is checked out)."""
    path = Path(str(inputs["source"]))
    return path if path.is_absolute() else project_root() / path


def _find_file(client: ModelStudioClient, name: str) -> FileObject | None:
    """The newest uploaded file with this exact name (it carries the owner key: only this resource makes it)."""
    found = [f for f in client.files.iter_all() if f.name == name]
    return found[-1] if found else None


def upload_once(client: ModelStudioClient, path: Path, name: str, resource: str) -> str:
    """Upload `path` as `name` unless it is already there; returns the file id; safe after an unclear failure."""
    for attempt in range(1, _UPLOAD_ATTEMPTS + 1):
        existing = _find_file(client, name)
        if existing is not None:
            if attempt == 1:
                progress(resource, f"adopting already uploaded file {existing.file_id} ({name})")
            return existing.file_id
        try:
            return client.files.upload(path, name=name, purpose="fine-tune").file_id
        except (APIConnectionError, APIStatusError) as exc:
            if not may_have_landed(exc) or attempt == _UPLOAD_ATTEMPTS:
                raise
            progress(resource, f"upload of {name} unclear ({exc}); checking before trying again")
    msg = f"upload of {name} did not complete"
    raise DatasetError(msg, path=str(path), problems=[msg])


def _source_failures(source: str, problems: list[Any]) -> list[CheckFailure]:
    """One failure per problem, at most `_SHOWN_PROBLEMS`; the rest are counted with where to see them."""
    failures = [CheckFailure("source", f"{source}: {problem}") for problem in problems[:_SHOWN_PROBLEMS]]
    if len(problems) > _SHOWN_PROBLEMS:
        more = len(problems) - _SHOWN_PROBLEMS
        reason = f"{source}: {more} more problem(s) — run `modelstudio dataset check {source}` to see them all"
        failures.append(CheckFailure("source", reason))
    return failures


class DatasetProvider(ModelStudioProvider):
    """Validates at preview, uploads on create, deletes the file on destroy; content changes replace."""

    replace_on: ClassVar[tuple[str, ...]] = ("sha256", "generation_type", "role")
    update_on: ClassVar[tuple[str, ...]] = ("source",)
    output_fields: ClassVar[tuple[str, ...]] = ("file_id", "file_name")

    def validate(self, inputs: dict[str, Any]) -> list[CheckFailure]:
        """Check the dataset folder against the documented rules and fingerprint its content."""
        from pulumi_modelstudio.datasets.validate import validate_dataset  # noqa: PLC0415 - Pillow loads on a cache miss only

        failures: list[CheckFailure] = []
        gen, role, source = inputs.get("generation_type"), inputs.get("role"), inputs.get("source")
        if not is_unknown(gen) and gen not in GENERATION_TYPES:
            failures.append(CheckFailure("generation_type", f"{gen!r} is not one of t2i, i2i — use 't2i' or 'i2i'"))
        if not is_unknown(role) and role not in ROLES:
            failures.append(CheckFailure("role", f"{role!r} is not one of training, validation"))
        if failures or is_unknown(source) or is_unknown(gen) or is_unknown(role):
            return failures
        if not isinstance(source, str) or not source:
            return [CheckFailure("source", "source must be a dataset folder or .zip path")]
        path = resolve_source(inputs)
        from pulumi_modelstudio.datasets.layout import inspect_layout  # noqa: PLC0415 - names, types and sizes only
        from pulumi_modelstudio.datasets.rules import RULES_VERSION  # noqa: PLC0415

        layout = inspect_layout(path)  # links, pipes, zip structure and sizes: never cached, checked every time
        if layout.report.errors:
            return _source_failures(str(source), layout.report.errors)
        try:
            sha = content_sha256(path)
        except (zipfile.BadZipFile, OSError):
            report = validate_dataset(path, generation_type=cast("GenerationType", gen), role=cast("Role", role))
            return _source_failures(str(source), report.errors) or [
                CheckFailure("source", f"{source}: cannot be read — check the path and its permissions")
            ]
        cache = CheckCache.default()
        cache_key = f"dataset:v{RULES_VERSION}:{sha}:{gen}:{role}"
        summary = cache.get(cache_key)
        if summary is None:
            report = validate_dataset(path, generation_type=cast("GenerationType", gen), role=cast("Role", role))
            if report.errors:
                return _source_failures(str(source), report.errors)
            for warning in report.warnings:
                progress(self.label(inputs, str(source)), f"warning: {source}: {warning}")
            summary = {"image_count": report.image_count, "size_bytes": report.size_bytes}
            cache.put(cache_key, summary)
        inputs["sha256"] = sha
        inputs["image_count"] = summary["image_count"]
        inputs["size_bytes"] = summary["size_bytes"]
        return []

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Pack the folder into a deterministic zip and upload it (adopting this resource's own earlier upload)."""
        owner = self.require_owner(props)
        resource = owner.resource
        source = resolve_source(props)
        sha = str(props["sha256"])
        name = upload_name(owner, sha)
        with tempfile.TemporaryDirectory(prefix="modelstudio-") as tmp:
            packed = pack_dataset(source, Path(tmp) / name)
            if packed.content_sha256 != sha:
                msg = f"{source} changed after preview; run `pulumi preview` again to review the new content"
                raise DatasetError(msg, path=str(source), problems=[msg])
            progress(resource, f"packed {packed.image_count} images into {name} ({packed.size_bytes} bytes)")
            with self.client() as client:
                uploaded = upload_once(client, packed.path, name, resource)
        file_id = uploaded
        progress(resource, f"uploaded as file {file_id}")
        outs = {k: v for k, v in props.items() if k != "__provider"}
        outs.update(file_id=file_id, file_name=name, zip_size_bytes=packed.size_bytes)
        return CreateResult(file_id, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: a file deleted outside Pulumi drops out of state."""
        if is_import_read(props):
            return refuse_dataset(id_)
        with self.client() as client:
            try:
                client.files.get(id_)
            except NotFoundError:
                return ReadResult("", {})
        outs = {k: v for k, v in props.items() if k != "__provider"}
        return ReadResult(id_, outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Delete the uploaded file; already gone is fine."""
        del props
        with self.client() as client:
            try:
                client.files.delete(id_)
            except NotFoundError:
                return


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
        generation_type: Literal["t2i", "i2i"] = "t2i",
        role: Literal["training", "validation"] = "training",
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
