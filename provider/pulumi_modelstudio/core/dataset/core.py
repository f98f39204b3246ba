"""Dataset: validate at check, pack and upload on create (adopting its own earlier upload), delete the file."""

from __future__ import annotations

import contextlib
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pulumi_modelstudio.core.adoption import refuse_dataset
from pulumi_modelstudio.core.attempts import look_up_or_create
from pulumi_modelstudio.core.checkcache import CheckCache
from pulumi_modelstudio.core.dataset.inputs import DatasetInputs, DatasetState
from pulumi_modelstudio.core.identity import upload_name
from pulumi_modelstudio.core.job_cleanup import file_kept_for_jobs
from pulumi_modelstudio.core.model import Diff, Failure, Props, Read, declared_diff
from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.core.values import is_unknown
from pulumi_modelstudio.datasets.fingerprint import content_sha256
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.errors import DatasetError, NotFoundError

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.core.context import Context
    from pulumi_modelstudio.wire.files import FileObject

__all__ = ["DatasetCore", "upload_once"]

_SHOWN_PROBLEMS = 20


def _find_file(client: ModelStudioClient, name: str) -> FileObject | None:
    """The newest uploaded file with this exact name (it carries the owner key: only this resource makes it)."""
    found = [f for f in client.files.iter_all() if f.name == name]
    return found[-1] if found else None


def upload_once(client: ModelStudioClient, path: Path, name: str, resource: str) -> str:
    """Upload `path` as `name` unless it is already there; returns the file id; safe after an unclear failure."""

    def look_up(attempt: int) -> str | None:
        existing = _find_file(client, name)
        if existing is not None and attempt == 1:
            progress(resource, f"adopting already uploaded file {existing.file_id} ({name})")
        return existing.file_id if existing is not None else None

    def upload() -> str:
        return client.files.upload(path, name=name, purpose="fine-tune").file_id

    file_id = look_up_or_create(look_up, upload, what=f"upload of {name}", resource=resource)
    if file_id is None:
        msg = f"upload of {name} did not complete"
        raise DatasetError(msg, path=str(path), problems=[msg])
    return file_id


def _source_failures(source: str, problems: list[Any]) -> list[Failure]:
    """One failure per problem, at most `_SHOWN_PROBLEMS`; the rest are counted with where to see them."""
    failures = [Failure("source", f"{source}: {problem}") for problem in problems[:_SHOWN_PROBLEMS]]
    if len(problems) > _SHOWN_PROBLEMS:
        more = len(problems) - _SHOWN_PROBLEMS
        reason = f"{source}: {more} more problem(s) — run `modelstudio dataset check {source}` to see them all"
        failures.append(Failure("source", reason))
    return failures


class DatasetCore:
    """Validates at preview, uploads on create, deletes the file on destroy; content changes replace."""

    def __init__(self, context: Context) -> None:
        """Work for the resource `context` describes."""
        self.context = context

    def check(self, news: DatasetInputs) -> list[Failure]:
        """Check the dataset folder against the documented rules and fingerprint its content (set on `news`)."""
        from pulumi_modelstudio.datasets.validate import validate_dataset  # noqa: PLC0415 - Pillow loads on a cache miss only

        gen, role, source = news.generation_type, news.role, news.source
        if is_unknown(source) or not isinstance(gen, str) or not isinstance(role, str):
            return []
        if not isinstance(source, str) or not source:
            return [Failure("source", "source must be a dataset folder or .zip path")]
        path = news.path()
        from pulumi_modelstudio.datasets.layout import inspect_layout  # noqa: PLC0415 - names, types and sizes only
        from pulumi_modelstudio.datasets.rules import RULES_VERSION  # noqa: PLC0415

        layout = inspect_layout(path)  # links, pipes, zip structure and sizes: never cached, checked every time
        if layout.report.errors:
            return _source_failures(source, layout.report.errors)
        try:
            sha = content_sha256(path)
        except (zipfile.BadZipFile, OSError):
            report = validate_dataset(path, generation_type=gen, role=role)
            return _source_failures(source, report.errors) or [
                Failure("source", f"{source}: cannot be read — check the path and its permissions")
            ]
        cache = CheckCache.default()
        cache_key = f"dataset:v{RULES_VERSION}:{sha}:{gen}:{role}"
        summary = cache.get(cache_key)
        if summary is None:
            report = validate_dataset(path, generation_type=gen, role=role)
            if report.errors:
                return _source_failures(source, report.errors)
            for warning in report.warnings:
                progress(self.context.label(news, source), f"warning: {source}: {warning}")
            summary = {"image_count": report.image_count, "size_bytes": report.size_bytes}
            cache.put(cache_key, summary)
        news.sha256 = sha
        news.image_count = int(summary["image_count"])
        news.size_bytes = int(summary["size_bytes"])
        return []

    @staticmethod
    def diff(_id: str, olds: DatasetState, news: DatasetInputs) -> Diff:
        """New content, type or role is a new upload; a moved folder is recorded in place."""
        return declared_diff(olds, news)

    def create(self, props: DatasetInputs) -> tuple[str, DatasetState]:
        """Pack the folder into a deterministic zip and upload it (adopting this resource's own earlier upload)."""
        owner = self.context.require_owner(props)
        resource = owner.resource
        source = props.path()
        sha = str(props.sha256)
        name = upload_name(owner, sha)
        with tempfile.TemporaryDirectory(prefix="modelstudio-") as tmp:
            packed = pack_dataset(source, Path(tmp) / name)
            if packed.content_sha256 != sha:
                msg = f"{source} changed after preview; run `pulumi preview` again to review the new content"
                raise DatasetError(msg, path=str(source), problems=[msg])
            progress(resource, f"packed {packed.image_count} images into {name} ({packed.size_bytes} bytes)")
            with self.context.client() as client:
                file_id = upload_once(client, packed.path, name, resource)
        progress(resource, f"uploaded as file {file_id}")
        state = DatasetState.of(props.to_props())
        state.file_id, state.file_name, state.zip_size_bytes = file_id, name, packed.size_bytes
        return file_id, state

    def read(self, id_: str, props: DatasetState) -> Read:
        """Refresh: a file deleted outside Pulumi drops out of state."""
        with self.context.client() as client:
            try:
                client.files.get(id_)
            except NotFoundError:
                return Read.gone()
        return Read(id_, props)

    @staticmethod
    def import_read(id_: str, _identity: Props) -> Read:
        """Files are not adopted: the import is refused with the way to use the file instead."""
        return refuse_dataset(id_)

    @staticmethod
    def update(_id: str, olds: DatasetState, news: DatasetInputs) -> DatasetState:
        """No API call: the new path is recorded beside the upload."""
        return DatasetState.of(news.to_props()).with_outputs_of(olds)

    def delete(self, id_: str, _props: DatasetState) -> None:
        """Delete the uploaded file (already gone is fine); the file stays when a job that stays trained on it (its
        name proves the job this stack's; the job's deletion said so)."""
        if file_kept_for_jobs(id_) is not None:
            return
        with self.context.client() as client, contextlib.suppress(NotFoundError):
            client.files.delete(id_)
