"""The `modelstudio` application."""

from __future__ import annotations

import typer

from pulumi_modelstudio.cli import dataset, jobs, migrate, misc, plugin, review, superseded, unowned

app = typer.Typer(
    name="modelstudio",
    help="Model Studio LoRA tools: datasets, the local emulator, jobs, checkpoints, images, cost, reviews, adoption.",
    no_args_is_help=True,
)
app.add_typer(dataset.app, name="dataset")
app.add_typer(jobs.app, name="jobs")
app.add_typer(plugin.app, name="plugin")
jobs.app.command("superseded")(superseded.superseded)
app.command("checkpoints")(jobs.checkpoints)
app.command()(misc.generate)
app.command()(misc.cost)
app.command()(misc.emulator)
app.command("preview-summary")(review.preview_summary)
app.command("unowned")(unowned.unowned)
app.command("migrate")(migrate.migrate)

if __name__ == "__main__":
    app()
