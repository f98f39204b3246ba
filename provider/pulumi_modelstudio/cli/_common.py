"""Shared CLI pieces: the connection options, the client, and error reporting."""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console, ConsoleDimensions

from pulumi_modelstudio.client import ModelStudioClient
from pulumi_modelstudio.errors import ConfigurationError, ModelStudioError
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.settings.open_client import open_client as open_settings_client

__all__ = ["WholeLinesConsole", "client_or_exit", "connection_options", "console", "errors", "fail"]

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

_CONNECTION_OPTIONS: dict[str, Any] = {
    "endpoint": Annotated[str | None, typer.Option(help="API base URL, or `emulator` (env DASHSCOPE_HTTP_BASE_URL)")],
    "api_key": Annotated[str | None, typer.Option(help="API key (env DASHSCOPE_API_KEY)", show_default=False)],
    "region": Annotated[str | None, typer.Option(help="cn-beijing or ap-southeast-1 (env DASHSCOPE_REGION)")],
    "workspace": Annotated[str | None, typer.Option(help="workspace id (env DASHSCOPE_WORKSPACE)")],
}
C = TypeVar("C", bound=Callable[..., None])


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error and return the exit to raise."""
    errors.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def connection_options(command: C) -> C:
    """Give `command` the options --endpoint, --api-key, --region and --workspace, passed to it resolved as its
    `connection` parameter (a `ConnectionConfig`: the options over the environment, as the providers read it)."""
    signature = inspect.signature(command, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "connection"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
        for name, annotation in _CONNECTION_OPTIONS.items()
    ]

    @functools.wraps(command)
    def with_connection(*args: Any, **kwargs: Any) -> None:
        options = {name: kwargs.pop(name, None) for name in _CONNECTION_OPTIONS}
        command(*args, connection=ConnectionConfig.from_options(**options), **kwargs)

    with_connection.__signature__ = signature.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
    with_connection.__annotations__ = {p.name: p.annotation for p in (*kept, *added)}
    del with_connection.__wrapped__  # typer reads the signature above, not the wrapped one
    return with_connection  # type: ignore[return-value]


@contextmanager
def client_or_exit(connection: ConnectionConfig) -> Iterator[ModelStudioClient]:
    """A client as the providers open one; a settings problem exits 2, an API error exits 1, with its message."""
    try:
        with open_settings_client(connection, retry_sleep=time.sleep) as client:
            yield client
    except ConfigurationError as exc:
        raise fail(str(exc), 2) from None
    except ModelStudioError as exc:
        raise fail(str(exc)) from None
