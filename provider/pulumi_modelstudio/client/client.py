"""`ModelStudioClient`: one object giving typed access to every API area."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from pulumi_modelstudio.client.deployments import DeploymentsAPI
from pulumi_modelstudio.client.files import FilesAPI
from pulumi_modelstudio.client.fine_tunes import FineTunesAPI
from pulumi_modelstudio.client.images import ImagesAPI, TasksAPI
from pulumi_modelstudio.transport import Closeable, Transport
from pulumi_modelstudio.transport.client_settings import ClientSettings

__all__ = ["ModelStudioClient"]


class ModelStudioClient(Closeable):
    """Typed Model Studio client; a context manager that closes its HTTP client."""

    def __init__(
        self,
        settings: ClientSettings,
        *,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        retry_sleep: Callable[[float], None] | None = None,
    ) -> None:
        """Build the API areas over one transport.

        `sleep`/`clock` measure every wait in the service's time (tests and emulators replace them);
        `retry_sleep` (default: `sleep`) spaces out retried requests in real time.
        """
        self.settings = settings
        self.sleep = sleep
        self.clock = clock
        self.transport = Transport(settings, http_client=http_client, sleep=retry_sleep or sleep)
        self.files = FilesAPI(self.transport)
        self.fine_tunes = FineTunesAPI(self.transport)
        self.deployments = DeploymentsAPI(self.transport)
        self.images = ImagesAPI(self.transport)
        self.tasks = TasksAPI(self.transport)

    def close(self) -> None:
        """Close the transport."""
        self.transport.close()
