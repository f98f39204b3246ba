"""The plugin's server: the gRPC server for the engine, Ctrl-C and engine-gone handling (started by
`plugin.main`, which loads this module with the garbage collector paused)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time

import grpc
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc

from pulumi_modelstudio._version import __version__
from pulumi_modelstudio.core.waiters import request_stop
from pulumi_modelstudio.plugin.provider import PackageProvider
from pulumi_modelstudio.plugin.servicer import PackageServicer
from pulumi_modelstudio.resources.fine_tune_job import cancel_unrecorded_jobs

__all__ = ["serve"]

_WATCH_INTERVAL_S = 1.0


def _watch_engine(stopped: asyncio.Event, loop: asyncio.AbstractEventLoop) -> None:
    """Set `stopped` when the process that started this one is gone (e.g. `pulumi` was killed)."""
    engine = os.getppid()

    def watch() -> None:
        while os.getppid() == engine:
            time.sleep(_WATCH_INTERVAL_S)
        loop.call_soon_threadsafe(stopped.set)

    threading.Thread(target=watch, name="engine-watchdog", daemon=True).start()


async def serve(engine_address: str) -> int:
    """Serve the engine at `engine_address` until it stops the plugin; print the port first."""
    provider = PackageProvider(engine_address or None)
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(
        PackageServicer(provider, __version__, engine_address), server
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()
    received: list[int] = []

    def on_signal(signum: int) -> None:
        received.append(signum)
        stopped.set()

    loop.add_signal_handler(signal.SIGINT, on_signal, signal.SIGINT)  # the engine stops its plugins with SIGINT
    loop.add_signal_handler(signal.SIGTERM, on_signal, signal.SIGTERM)
    _watch_engine(stopped, loop)
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    await stopped.wait()
    request_stop()
    if received and received[0] == signal.SIGINT:
        for job_id in await asyncio.to_thread(cancel_unrecorded_jobs):
            sys.stderr.write(f"cancelled job {job_id}: the run was terminated before the stack could record it\n")
    await server.stop(grace=1)
    return 0
