"""`modelstudio jobs untracked`: jobs a stack started that its state no longer tracks, and cancelling them.

Such a job comes from a run that was killed (or terminated with a second Ctrl-C) after submitting it, followed by
a change that no longer declares it. It trains and bills without any stack knowing about it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import yaml
from rich.table import Table

from pulumi_modelstudio.cli._common import client_or_exit, connection_options, console, fail
from pulumi_modelstudio.cli._stacks import StacksUnreadableError, export_stack, read_stacks
from pulumi_modelstudio.core.identity import Owner, parse_job_name
from pulumi_modelstudio.errors import APIError, BadRequestError, NotFoundError
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.wire.statuses import ACTIVE_JOB_STATUSES

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob as JobObject

__all__ = ["owned_by_stack", "tracked_jobs", "untracked"]

JOB_TYPES = ("modelstudio:FineTuneJob", "modelstudio:index:FineTuneJob")
"""Dynamic (`pulumi-python:dynamic/modelstudio:…`) and package (`modelstudio:index:…`) jobs."""
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def tracked_jobs(state: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(job ids, resource names) of the FineTuneJobs in an exported stack state (`pulumi stack export`)."""
    ids: set[str] = set()
    names: set[str] = set()
    deployment = state.get("deployment") or {}
    for resource in deployment.get("resources") or []:
        if str(resource.get("type", "")).endswith(JOB_TYPES):
            if resource.get("id"):
                ids.add(str(resource["id"]))
            names.add(str(resource.get("urn", "")).rsplit("::", 1)[-1])
    for operation in deployment.get("pending_operations") or []:
        resource = operation.get("resource") or {}
        if str(resource.get("type", "")).endswith(JOB_TYPES):
            names.add(str(resource.get("urn", "")).rsplit("::", 1)[-1])
    return ids, names


def _slug(text: str) -> str:
    return _UNSAFE.sub("-", text)


def owned_by_stack(
    project: str,
    stack: str,
    resources: Iterable[str],
    other_stacks: Iterable[str] = (),
    file_name: Callable[[str], str | None] | None = None,
) -> Callable[[JobObject], bool]:
    """Whether a job was started by this stack: its job name carries the owner key of one of its resources.

    The resource is one the stack's state names, or the one the name's readable stem gives (`<project>-<stack>-
    <resource>`); the key proves it, so another stack (`dev` vs `dev-eu`) never matches. A job whose name carries
    no owner key (a service that replaces custom names with the job id) is this stack's when every file it trains
    on is still there and was uploaded by a Dataset of this stack (`file_name` looks a file's name up).
    """
    del other_stacks  # the owner key already tells stacks apart
    known = set(resources)
    prefix = _slug(f"{project}-{stack}-")
    uploader = Owner(project, stack, "")

    def by_files(job: JobObject) -> bool:
        file_ids = job.all_training_file_ids + job.all_validation_file_ids
        if file_name is None or not file_ids:
            return False
        return all((name := file_name(file_id)) is not None and uploader.owns_upload(name) for file_id in file_ids)

    def owned(job: JobObject) -> bool:
        parsed = parse_job_name(job.job_name or "")
        if parsed is None:  # by its files only when the service replaced the name: never a name a person chose
            return job.name_dropped and by_files(job)
        stem, key = parsed[0], parsed[1]
        candidates = set(known) | ({stem[len(prefix) :]} if stem.startswith(prefix) else set())
        return any(Owner(project, stack, name).key == key for name in candidates)

    return owned


def _file_names(client: ModelStudioClient) -> Callable[[str], str | None]:
    """A file's name by its id, asked once per file; None when the file is gone."""
    names: dict[str, str | None] = {}

    def name(file_id: str) -> str | None:
        if file_id not in names:
            try:
                names[file_id] = client.files.get(file_id).name
            except APIError:  # gone, or not readable: nothing proves whose it is
                names[file_id] = None
        return names[file_id]

    return name


def _project_name(cwd: Path) -> str:
    for folder in (cwd, *cwd.parents):
        if (folder / "Pulumi.yaml").is_file():
            data = yaml.safe_load((folder / "Pulumi.yaml").read_text(encoding="utf-8")) or {}
            return str(data.get("name", ""))
    return ""


@connection_options
def untracked(
    stack: Annotated[str, typer.Option(help="the stack whose jobs to look for, e.g. dev")],
    project: Annotated[str | None, typer.Option(help="project name (default: from Pulumi.yaml)")] = None,
    state: Annotated[
        Path | None, typer.Option(help="exported state (`pulumi stack export`); default: export it now")
    ] = None,
    cancel: Annotated[bool, typer.Option("--cancel", help="cancel the untracked jobs that still train")] = False,
    cwd: Annotated[Path, typer.Option(help="the Pulumi project folder (its backend is read)")] = Path(),
    *,
    connection: ConnectionConfig,
) -> None:
    """Jobs this stack started that its state no longer tracks; with --cancel, stop those still training."""
    cwd = cwd.resolve()
    name = project or _project_name(cwd)
    if not name:
        raise fail("no Pulumi.yaml here: pass --project NAME", 2)
    try:
        exported = json.loads(state.read_text(encoding="utf-8")) if state else export_stack(stack, cwd)
        every = read_stacks(cwd)  # a job any stack tracks is never touched
    except (OSError, ValueError) as exc:
        raise fail(f"{state}: not an exported stack state ({exc}); run `pulumi stack export > state.json`", 2) from None
    except StacksUnreadableError as exc:
        raise fail(str(exc), 2) from None
    ids, resources = tracked_jobs(exported)
    ids |= every.owned["job"]
    with client_or_exit(connection) as client:
        others = [s.rsplit("/", 1)[-1] for s in every.stacks]
        owned = owned_by_stack(name, stack, resources, others, file_name=_file_names(client))
        found = [job for job in client.fine_tunes.iter_all() if job.job_id not in ids and owned(job)]
        table = Table("job", "status", "job name", "created", title=f"jobs of {name}/{stack} its state does not track")
        for job in found:
            table.add_row(job.job_id, job.status, job.job_name or "", job.create_time or "")
        console.print(table if found else f"no untracked jobs of {name}/{stack}")
        training = [job for job in found if job.status in ACTIVE_JOB_STATUSES and job.status != "CANCELING"]
        if training and not cancel:
            console.print(f"{len(training)} still training: run again with --cancel to stop them (billing ends)")
        for job in training if cancel else []:
            try:
                client.fine_tunes.cancel(job.job_id)
            except (BadRequestError, NotFoundError) as exc:
                console.print(f"{job.job_id}: not cancelled ({exc})")
                continue
            console.print(f"cancelled {job.job_id}")
