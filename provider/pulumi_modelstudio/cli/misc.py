"""`modelstudio generate`, `cost` and `emulator`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pulumi_modelstudio.cli._common import client_or_exit, connection_options, console, fail
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.settings.embedded_emulator import stop_emulator
from pulumi_modelstudio.wan.hyperparams import hyperparameter_problems, normalize_hyperparameters
from pulumi_modelstudio.wan.pricing import IMAGE_PRICE_CNY, PRICE_CNY_PER_1K_TOKENS, estimate_cost_cny, estimate_tokens
from pulumi_modelstudio.wire.statuses import TERMINAL_TASK_STATUSES


@connection_options
def generate(
    model: str,
    prompt: Annotated[str, typer.Option(help="the prompt (include the trigger word of your LoRA)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG to write")] = Path("out.png"),
    size: Annotated[str, typer.Option(help="1K, 2K, 4K or WxH")] = "1K",
    seed: Annotated[int | None, typer.Option(help="seed for a repeatable image")] = None,
    *,
    connection: ConnectionConfig,
) -> None:
    """Generate an image with a base model or a RUNNING deployed LoRA model."""
    with client_or_exit(connection) as client:
        task = client.images.submit(model, prompt, size=size, seed=seed)
        while task.task_status not in TERMINAL_TASK_STATUSES:
            client.sleep(1)
            task = client.tasks.get(task.task_id)
        if task.task_status != "SUCCEEDED" or not task.image_urls:
            raise fail(f"task {task.task_id} ended {task.task_status}: {task.code} {task.message}")
        output.write_bytes(client.images.download(task.image_urls[0]))
    console.print(f"wrote {output} (task {task.task_id})")


def cost(
    steps: Annotated[int, typer.Option(help="max_steps")] = 800,
    gen: Annotated[str, typer.Option("--type", help="t2i or i2i")] = "t2i",
    size: Annotated[str, typer.Option(help="max_token_length: 1k or 2k")] = "2k",
    hyper_parameters: Annotated[Path | None, typer.Option(help="JSON file of hyper-parameters")] = None,
) -> None:
    """Estimate training tokens and cost, and show per-image prices."""
    hp = (
        json.loads(hyper_parameters.read_text(encoding="utf-8"))
        if hyper_parameters
        else {"generation_type": gen, "max_steps": steps, "max_token_length": size}
    )
    problems = hyperparameter_problems(hp)
    if problems:
        raise fail("; ".join(f"{field}: {reason}" for field, reason in problems), 2)
    tokens = estimate_tokens(normalize_hyperparameters(hp))
    price = f"{PRICE_CNY_PER_1K_TOKENS} CNY / 1,000"
    console.print(f"training: {tokens:,} tokens x {price} = [bold]{estimate_cost_cny(tokens):,} CNY[/bold]")
    table = Table("base model", "CNY per image (LoRA deployments bill at the base price)")
    for model, image_price in IMAGE_PRICE_CNY.items():
        table.add_row(model, str(image_price))
    console.print(table)


def emulator(
    port: Annotated[int, typer.Option(help="0 picks a free port")] = 8765,
    data: Annotated[
        Path | None,
        typer.Option(help="state folder [default: .state/emulator, or $MODELSTUDIO_EMULATOR_DIR, in the project]"),
    ] = None,
    speed: Annotated[float, typer.Option(help="simulated seconds per real second")] = 600.0,
    stop: Annotated[
        bool,
        typer.Option(
            "--stop",
            help="stop the background emulator of --data (the one `endpoint: emulator` starts; run in the project "
            "folder) and exit",
        ),
    ] = False,
) -> None:
    """Run the local Model Studio emulator in the foreground (Ctrl-C stops it), or stop the background one."""
    folder = data or ConnectionConfig.from_environment().emulator_folder()
    if stop:
        stopped = stop_emulator(folder)
        console.print(f"stopped the emulator of {folder}" if stopped else f"no emulator of {folder} is running")
        return
    argv = [
        sys.executable,
        "-m",
        "modelstudio_emulator",
        "--port",
        str(port),
        "--data",
        str(folder),
        "--speed",
        str(speed),
    ]
    raise typer.Exit(subprocess.call(argv))
