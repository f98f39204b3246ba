"""`modelstudio plugin install`: make the `modelstudio` provider plugin available to every project of this user."""

from __future__ import annotations

import typer

from pulumi_modelstudio.cli._common import fail
from pulumi_modelstudio.errors import ModelStudioError

app = typer.Typer(help="The `modelstudio` Pulumi provider plugin.", no_args_is_help=True)


@app.command("install")
def install() -> None:
    """Install this environment's provider plugin into the Pulumi plugin cache (`pulumi plugin ls` lists it)."""
    from pulumi_modelstudio.plugin.install import install_plugin  # noqa: PLC0415 - only this command needs it

    try:
        typer.echo(install_plugin())
    except ModelStudioError as exc:
        raise fail(str(exc)) from None
