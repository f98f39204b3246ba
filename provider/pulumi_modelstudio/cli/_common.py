"""Shared CLI pieces: connection options, the client, and error reporting."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console, ConsoleDimensions

from pulumi_modelstudio.client import ModelStudioClient
from pulumi_modelstudio.errors import ConfigurationError, ModelStudioError
from pulumi_modelstudio.settings.client_settings import ClientSettings
from pulumi_modelstudio.settings.local_emulator import service_clock

__all__ = [
    "ApiKey",
    "Endpoint",
    "Region",
    "WholeLinesConsole",
    "Workspace",
    "console",
    "errors",
    "fail",
    "open_client",
]

UNBOUNDED_WIDTH = 1 << 20
"""Columns of a console whose output is not a terminal: lines are never cut or wrapped."""


class WholeLinesConsole(Console):
    """A rich console that cuts nothing when piped, redirected or captured: ids, model names and paths come out
    whole (a terminal keeps its own width)."""

    @property
    def size(self) -> ConsoleDimensions:
        """The terminal's size, or an unbounded width when the output is not a terminal."""
        dimensions = Console.size.fget(self)  # type: ignore[attr-defined]
        return dimensions if self.is_terminal else ConsoleDimensions(UNBOUNDED_WIDTH, dimensions.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        """Fix the size, as on any rich console."""
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]


console = WholeLinesConsole()
errors = WholeLinesConsole(stderr=True)

Endpoint = Annotated[str | None, typer.Option(help="API base URL (env DASHSCOPE_HTTP_BASE_URL)")]
ApiKey = Annotated[str | None, typer.Option(help="API key (env DASHSCOPE_API_KEY)", show_default=False)]
Region = Annotated[str | None, typer.Option(help="cn-beijing or ap-southeast-1 (env DASHSCOPE_REGION)")]
Workspace = Annotated[str | None, typer.Option(help="workspace id (env DASHSCOPE_WORKSPACE)")]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error and return the exit to raise."""
    errors.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


@contextmanager
def open_client(
    endpoint: str | None, api_key: str | None, region: str | None, workspace: str | None
) -> Iterator[ModelStudioClient]:
    """A client from options with env fallbacks; API errors become exit code 1 with their message."""
    try:
        settings = ClientSettings.resolve(
            api_key=api_key, endpoint=endpoint, region=region, workspace=workspace, env=os.environ
        )
    except ConfigurationError as exc:
        raise fail(str(exc), 2) from None
    clock = service_clock(settings.endpoint, fallback_scale=settings.time_scale)  # an emulator's simulated time
    try:
        with ModelStudioClient(settings, sleep=clock.sleep, clock=clock.now, retry_sleep=time.sleep) as client:
            yield client
    except ModelStudioError as exc:
        raise fail(str(exc)) from None
