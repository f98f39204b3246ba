"""Shared CLI pieces: connection options, the client, and error reporting."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from pulumi_modelstudio.client import ModelStudioClient
from pulumi_modelstudio.errors import ConfigurationError, ModelStudioError
from pulumi_modelstudio.settings.client_settings import ClientSettings
from pulumi_modelstudio.settings.local_emulator import service_clock

__all__ = ["ApiKey", "Endpoint", "Region", "Workspace", "console", "errors", "fail", "open_client"]

console = Console()
errors = Console(stderr=True)

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
