"""`modelstudio dataset check|pack`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from pulumi_modelstudio.cli._common import console, fail
from pulumi_modelstudio.datasets.fingerprint import content_sha256
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.datasets.validate import DatasetReport, validate_dataset
from pulumi_modelstudio.errors import DatasetError

app = typer.Typer(help="Check and pack LoRA datasets.", no_args_is_help=True)

GenType = Annotated[str, typer.Option("--type", help="t2i or i2i")]
RoleOpt = Annotated[str, typer.Option("--role", help="training or validation")]


def _checked(path: Path, gen: str, role: str) -> DatasetReport:
    """Validate with every rule, print the problems, and exit 2 when one is an error."""
    if gen not in ("t2i", "i2i") or role not in ("training", "validation"):
        raise fail("--type must be t2i or i2i and --role training or validation", 2)
    report = validate_dataset(path, generation_type=_gen(gen), role=_role(role))
    if report.errors or report.warnings:
        table = Table("", "file", "line", "problem", "fix")
        for problem in report.errors:
            table.add_row("[red]error[/red]", problem.file, str(problem.line or ""), problem.message, problem.fix)
        for problem in report.warnings:
            table.add_row(
                "[yellow]warning[/yellow]", problem.file, str(problem.line or ""), problem.message, problem.fix
            )
        console.print(str(path), highlight=False, markup=False)  # above the table: a title would wrap to its width
        console.print(table)
    if report.errors:
        raise fail(f"{path}: {len(report.errors)} problem(s) to fix before training", 2)
    return report


@app.command()
def check(path: Path, gen: GenType = "t2i", role: RoleOpt = "training") -> None:
    """Check a dataset folder or .zip against every documented rule; exit 2 when it breaks one."""
    report = _checked(path, gen, role)
    try:
        sha = content_sha256(path)
    except OSError as exc:
        raise fail(f"{path}: changed while it was checked ({exc}); check it again", 2) from None
    console.print(f"[green]ok[/green] {path}: {report.image_count} images, {report.size_bytes} bytes, sha256 {sha}")


@app.command()
def pack(
    path: Path,
    output: Annotated[Path, typer.Option("-o", "--output", help="zip to write")],
    gen: GenType = "t2i",
    role: RoleOpt = "training",
) -> None:
    """Check a dataset like `check` (exit 2 on any error, nothing written), then pack it reproducibly."""
    _checked(path, gen, role)
    try:
        result = pack_dataset(path, output)
    except (DatasetError, OSError) as exc:
        output.unlink(missing_ok=True)
        raise fail(f"{path}: {exc}", 2) from None
    console.print(
        f"{result.path}: {result.size_bytes} bytes, {result.image_count} images, content sha256 {result.content_sha256}"
    )


def _gen(value: str) -> Literal["t2i", "i2i"]:
    return "i2i" if value == "i2i" else "t2i"


def _role(value: str) -> Literal["training", "validation"]:
    return "validation" if value == "validation" else "training"
