"""`open_client`: the one way the providers and the CLI get a client from their connection settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pulumi_modelstudio.client import ModelStudioClient
from pulumi_modelstudio.core.waiters import pause
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.settings.service_clock import service_clock

__all__ = ["open_client"]


@contextmanager
def open_client(
    config: ConnectionConfig, *, retry_sleep: Callable[[float], None] = pause
) -> Iterator[ModelStudioClient]:
    """A client for one piece of work; waits run on the service's clock (an emulator's simulated one).

    Raises ConfigurationError, naming the setting and the fix, when the settings cannot work; the embedded
    emulator is started here when the endpoint is `emulator`.
    """
    settings = config.client_settings()
    clock = service_clock(settings.endpoint, fallback_scale=settings.time_scale)
    with ModelStudioClient(settings, sleep=clock.sleep, clock=clock.now, retry_sleep=retry_sleep) as client:
        yield client
