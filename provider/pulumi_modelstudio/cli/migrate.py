"""`modelstudio migrate`: move a stack's dynamic resources onto the package resources without calling the API."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from pulumi_modelstudio.cli._common import fail
from pulumi_modelstudio.errors import ModelStudioError

Stack = Annotated[str | None, typer.Option("--stack", "-s", help="stack to migrate (default: the selected one)")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="show what would move; change nothing")]


def _pulumi(*args: str) -> str:
    cli = shutil.which("pulumi")
    if cli is None:
        msg = "`pulumi` is not on PATH. Fix: install the Pulumi CLI (or `source scripts/env.sh`)."
        raise ModelStudioError(msg)
    proc = subprocess.run([cli, *args, "--non-interactive"], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        msg = f"`pulumi {' '.join(args)}` failed: {proc.stderr.strip() or proc.stdout.strip()}"
        raise ModelStudioError(msg)
    return proc.stdout


def migrate(stack: Stack = None, dry_run: DryRun = False) -> None:
    """Rewrite the stack's state so `modelstudio_lora` classes take over its dynamic resources (no API call).

    Then change the program's `from pulumi_modelstudio import …` to `from modelstudio_lora import …` (same
    arguments): `pulumi preview` shows no changes.
    """
    from pulumi_modelstudio.plugin.migrate import migrate_deployment  # noqa: PLC0415 - only this command needs it

    selected = ["--stack", stack] if stack else []
    try:
        exported = json.loads(_pulumi("stack", "export", *selected))
        deployment, moved = migrate_deployment(exported["deployment"])
        if not moved:
            typer.echo("nothing to migrate: the stack has no modelstudio dynamic resources")
            return
        for urn in moved:
            typer.echo(f"{'would move' if dry_run else 'moved'} {urn.rsplit('::', 1)[-1]} -> {urn.split('::')[2]}")
        if dry_run:
            return
        with tempfile.TemporaryDirectory(prefix="modelstudio-migrate-") as tmp:
            path = Path(tmp) / "state.json"
            path.write_text(json.dumps({**exported, "deployment": deployment}), encoding="utf-8")
            _pulumi("stack", "import", "--file", str(path), *selected)
    except ModelStudioError as exc:
        raise fail(str(exc)) from None
    typer.echo("done: declare the resources with `modelstudio_lora` (same names and arguments), then `pulumi preview`")
