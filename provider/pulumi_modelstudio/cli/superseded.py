"""`modelstudio jobs superseded`: list, and with --delete remove, jobs that stacks replaced and no longer use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pulumi_modelstudio.cli._common import client_or_exit, connection_options, console, fail
from pulumi_modelstudio.cli._stacks import StacksUnreadableError, export_stack, list_stacks
from pulumi_modelstudio.core.superseded import StackState, find_superseded
from pulumi_modelstudio.errors import BadRequestError, NotFoundError
from pulumi_modelstudio.settings.config import ConnectionConfig

__all__ = ["superseded"]


def _states(stacks: list[str], files: list[Path]) -> list[StackState]:
    """The states to consult: the given files and stacks, or every stack of the project in this folder."""
    try:
        exported = [export_stack(name) for name in stacks or ([] if files else list_stacks())]
    except StacksUnreadableError as exc:
        raise fail(f"{exc}; or pass exported states with --state FILE", 2) from None
    exported += [json.loads(path.read_text(encoding="utf-8")) for path in files]
    return [StackState.from_export(doc) for doc in exported]


@connection_options
def superseded(
    stack: Annotated[
        list[str] | None,
        typer.Option("--stack", "-s", help="a stack whose jobs to check (repeatable; default: every stack here)"),
    ] = None,
    state: Annotated[
        list[Path] | None, typer.Option("--state", help="a `pulumi stack export` file instead of a stack")
    ] = None,
    delete: Annotated[bool, typer.Option("--delete", help="delete the jobs nothing uses any more")] = False,
    *,
    connection: ConnectionConfig,
) -> None:
    """Jobs the listed stacks replaced; kept while a stack refers to, or a deployment serves, a model of theirs.

    List every stack that may deploy these models (or pass their exported states) so that nothing one of them
    may still roll back to is removed. Jobs of stacks not listed are never touched.
    """
    states = _states(stack or [], state or [])
    with client_or_exit(connection) as client:
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
