"""`modelstudio dataset check|pack`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from provider.cli._common import console, fail
from provider.datasets.fingerprint import content_sha256
from provider.datasets.pack import pack_dataset
from provider.datasets.validate import validate_dataset

app = typer.Typer(help="Check and pack LoRA datasets.", no_args_is_help=True)

GenType = Annotated[str, typer.Option("--type", help="t2i or i2i")]
RoleOpt = Annotated[str, typer.Option("--role", help="training or validation")]


@app.command()
def check(path: Path, gen: GenType = "t2i", role: RoleOpt = "training") -> None:
    """Check a dataset folder or .zip against every documented rule; exit 2 when it breaks one."""
    if gen not in ("t2i", "i2i") or role not in ("training", "validation"):
        raise fail("--type must be t2i or i2i and --role training or validation", 2)
    report = validate_dataset(path, generation_type=_gen(gen), role=_role(role))
    if report.errors or report.warnings:
        table = Table("", "file", "line", "problem", "fix", title=str(path))
        for problem in report.errors:
            table.add_row("[red]error[/red]", problem.file, str(problem.line or ""), problem.message, problem.fix)
        for problem in report.warnings:
            table.add_row(
                "[yellow]warning[/yellow]", problem.file, str(problem.line or ""), problem.message, problem.fix
            )
        console.print(table)
    if report.errors:
        raise fail(f"{path}: {len(report.errors)} problem(s) to fix before training", 2)
    console.print(
        f"[green]ok[/green] {path}: {report.image_count} images, {report.size_bytes} bytes, "
        f"sha256 {content_sha256(path)}"
    )


@app.command()
def pack(path: Path, output: Annotated[Path, typer.Option("-o", "--output", help="zip to write")]) -> None:
    """Pack a dataset into a byte-for-byte reproducible zip."""
    result = pack_dataset(path, output)
    console.print(
        f"{result.path}: {result.size_bytes} bytes, {result.image_count} images, content sha256 {result.content_sha256}"
    )


def _gen(value: str) -> Literal["t2i", "i2i"]:
    return "i2i" if value == "i2i" else "t2i"


def _role(value: str) -> Literal["training", "validation"]:
    return "validation" if value == "validation" else "training"
