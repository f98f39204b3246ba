"""`modelstudio jobs list|logs` and `modelstudio checkpoints`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pulumi_modelstudio.cli._common import client_or_exit, connection_options, console
from pulumi_modelstudio.cli.gallery import write_gallery
from pulumi_modelstudio.cli.untracked import untracked
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.wire.statuses import TERMINAL_JOB_STATUSES

app = typer.Typer(help="Fine-tune jobs.", no_args_is_help=True)
app.command()(untracked)


@app.command("list")
@connection_options
def list_jobs(*, connection: ConnectionConfig) -> None:
    """Jobs of the account, newest first."""
    with client_or_exit(connection) as client:
        table = Table("status", "model", "tokens", "created")
        table.add_column("job", no_wrap=True)
        table.add_column("output", no_wrap=True)
        for job in client.fine_tunes.iter_all():
            table.add_row(
                job.status,
                job.model or "",
                str(job.usage or ""),
                job.create_time or "",
                job.job_id,
                job.finetuned_output or "",
            )
        console.print(table)


@app.command()
@connection_options
def logs(
    job_id: str,
    follow: Annotated[bool, typer.Option("--follow", "-f", help="keep printing until the job ends")] = False,
    *,
    connection: ConnectionConfig,
) -> None:
    """Print a job's log."""
    with client_or_exit(connection) as client:
        offset = 0
        while True:
            for line in client.fine_tunes.iter_logs(job_id, offset=offset):
                console.print(line, highlight=False)
                offset += 1
            if not follow or client.fine_tunes.get(job_id).status in TERMINAL_JOB_STATUSES:
                return
            client.sleep(10)


@connection_options
def checkpoints(
    job_id: str,
    gallery: Annotated[Path | None, typer.Option(help="write an HTML contact sheet (and a PNG beside it)")] = None,
    *,
    connection: ConnectionConfig,
) -> None:
    """List a job's checkpoints; with --gallery, a contact sheet of validation previews per checkpoint."""
    with client_or_exit(connection) as client:
        saved = client.fine_tunes.checkpoints(job_id)
        table = Table("checkpoint", "step", "status", "deployable model", "expires")
        for item in saved:
            table.add_row(item.checkpoint, str(item.step), item.status, item.model_name or "", item.expire_time or "")
        console.print(table)
        if gallery is not None:
            png = write_gallery(client, job_id, gallery)
            console.print(f"wrote {gallery} and {png}")
