"""Run the emulator app on a real threaded HTTP server in a background thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from modelstudio_emulator.backend import Backend
from modelstudio_emulator.compat import Compat
from modelstudio_emulator.web.app import EmulatorApp

__all__ = ["EmulatorServer"]


class _QuietHandler(WSGIRequestHandler):
    """No per-request access log on stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip."""


class EmulatorServer:
    """`with EmulatorServer(data_dir=…) as server: server.url` — port 0 picks a free port."""

    def __init__(
        self,
        *,
        data_dir: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        speed: float = 600.0,
        region: str = "cn-beijing",
        api_keys: Iterable[str] = (),
        job_quota: int = 20,
        compat: Compat | Mapping[str, str] | str | None = None,
    ) -> None:
        """Prepare (not start) a server over a backend stored in `data_dir`.

        `compat` sets the compatibility readings (a `Compat`, a map, or `"strict"` / `"KEY=VALUE,..."`);
        the defaults apply when it is None.
        """
        readings = compat if isinstance(compat, Compat) else Compat(compat)
        self.backend = Backend(data_dir, speed=speed, region=region, job_quota=job_quota, compat=readings)
        self.app = EmulatorApp(self.backend, api_keys=api_keys)
        self._host, self._port = host, port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """`http://HOST:PORT` once started."""
        if self._server is None:
            msg = "server not started"
            raise RuntimeError(msg)
        return f"http://{self._host}:{self._server.server_port}"

    @property
    def api_url(self) -> str:
        """`http://HOST:PORT/api/v1`."""
        return f"{self.url}/api/v1"

    def start(self) -> EmulatorServer:
        """Start serving in a daemon thread."""
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = make_server(self._host, self._port, self.app, threaded=True, request_handler=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the state database."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.backend.now()
        self.backend.store.close()

    def __enter__(self) -> EmulatorServer:
        """Start."""
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop."""
        self.stop()
