"""The provider host's server: the gRPC server with its workers, Ctrl-C and engine-gone handling (started by
`provider_host.main`, which loads this module with the garbage collector paused)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from concurrent import futures

import grpc
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc

from pulumi_modelstudio.core.waiters import request_stop
from pulumi_modelstudio.hosts._servicer import HostServicer
from pulumi_modelstudio.resources.fine_tune_job import cancel_unrecorded_jobs

__all__ = ["WORKERS", "serve"]

WORKERS = 128
"""Concurrent calls served: every job may wait for the training slot for days without blocking the others."""
_WATCH_INTERVAL_S = 1.0


def _exit_with_engine() -> None:
    """Stop this process (SIGTERM) when the engine that started it is gone (e.g. `pulumi` was killed)."""
    engine = os.getppid()

    def watch() -> None:
        while os.getppid() == engine:
            time.sleep(_WATCH_INTERVAL_S)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="engine-watchdog", daemon=True).start()


def serve(engine: str | None) -> int:
    """Serve the engine at `engine` until it stops the host; print the port first, as the plugin protocol asks."""
    servicer = HostServicer(engine)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=WORKERS), options=_GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    received: list[int] = []
    stopped = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        received.append(signum)
        stopped.set()

    signal.signal(signal.SIGINT, on_signal)  # the engine stops its plugins with SIGINT
    signal.signal(signal.SIGTERM, on_signal)  # the watchdog: the engine itself is gone
    _exit_with_engine()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    stopped.wait()
    request_stop()
    if received[0] == signal.SIGINT:
        for job_id in cancel_unrecorded_jobs():
            sys.stderr.write(f"cancelled job {job_id}: the run was terminated before the stack could record it\n")
    server.stop(grace=1)
    return 0
