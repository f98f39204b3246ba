"""`modelstudio jobs superseded`: list, and with --delete remove, jobs that stacks replaced and no longer use."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from pulumi_modelstudio.cli._common import ApiKey, Endpoint, Region, Workspace, console, fail, open_client
from pulumi_modelstudio.cli.untracked import _project_name
from pulumi_modelstudio.core.superseded import StackState, find_superseded
from pulumi_modelstudio.errors import BadRequestError, NotFoundError

__all__ = ["superseded"]


def _pulumi_json(*args: str) -> Any:
    if shutil.which("pulumi") is None:
        raise fail("the pulumi CLI is not on PATH; pass exported states with --state FILE instead", 2)
    proc = subprocess.run(["pulumi", *args, "--non-interactive"], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise fail(f"`pulumi {' '.join(args)}` failed: {proc.stderr.strip() or proc.stdout.strip()}", 2)
    return json.loads(proc.stdout)


def _states(stacks: list[str], files: list[Path]) -> list[StackState]:
    """The states to consult: the given files and stacks, or every stack of the project in this folder."""
    if not stacks and not files:
        stacks = [str(s["name"]) for s in _pulumi_json("stack", "ls", "--json")]
    project = _project_name(Path.cwd())
    states = [
        StackState.from_export(_pulumi_json("stack", "export", "--stack", name), project, name.rsplit("/", 1)[-1])
        for name in stacks
    ]
    return states + [StackState.from_export(json.loads(path.read_text(encoding="utf-8"))) for path in files]


def superseded(
    stack: Annotated[
        list[str] | None,
        typer.Option("--stack", "-s", help="a stack whose jobs to check (repeatable; default: every stack here)"),
    ] = None,
    state: Annotated[
        list[Path] | None, typer.Option("--state", help="a `pulumi stack export` file instead of a stack")
    ] = None,
    delete: Annotated[bool, typer.Option("--delete", help="delete the jobs nothing uses any more")] = False,
    endpoint: Endpoint = None,
    api_key: ApiKey = None,
    region: Region = None,
    workspace: Workspace = None,
) -> None:
    """Jobs the listed stacks replaced; kept while a stack refers to, or a deployment serves, a model of theirs.

    List every stack that may deploy these models (or pass their exported states) so that nothing one of them
    may still roll back to is removed. Jobs of stacks not listed are never touched.
    """
    states = _states(stack or [], state or [])
    with open_client(endpoint, api_key, region, workspace) as client:
        found = find_superseded(client, states)
        table = Table("job", "stack", "declaration", "status", "created", "models", "state")
        for item in found:
            verdict = f"kept: {item.kept_because}" if item.kept_because else "unused"
            table.add_row(
                item.job.job_id,
                item.stack,
                item.resource,
                item.job.status,
                item.job.create_time or "",
                ", ".join(item.models),
                verdict,
            )
        console.print(table)
        unused = [item for item in found if item.kept_because is None]
        if not delete:
            console.print(f"{len(unused)} unused superseded job(s); remove them with --delete")
            return
        for item in unused:
            try:
                client.fine_tunes.delete(item.job.job_id)
            except NotFoundError:
                continue
            except BadRequestError as exc:
                console.print(f"{item.job.job_id}: the service keeps it ({exc.api_message})", highlight=False)
                continue
            console.print(f"deleted {item.job.job_id}", highlight=False)
