"""`pulumi-resource-pulumi-python` (or `python -m pulumi_modelstudio.hosts.provider_host`): the provider host.

The Pulumi engine starts it for the dynamic resources of a program. It speaks the same protocol as the Pulumi
SDK's `python -m pulumi.dynamic` and serves any dynamic resource, and adds what long trainings need:

- `Cancel` (the first Ctrl-C of `pulumi up`) ends every wait at once: a job being waited for is returned as it
  is, so the stack records it and `pulumi` exits within seconds;
- a second Ctrl-C makes the engine stop the host (SIGINT) in the middle of a create: a job that create started
  would never be recorded, so it is cancelled rather than left training unseen;
- a large worker pool, so jobs waiting for the account's training slot never hold up other resources;
- jobs that are still training are marked "refresh before update": every later `pulumi up` or `preview` reads
  them first and sees them finish, even without `--refresh`;
- progress lines and warnings go to the engine attached to the resource they describe;
- reads of resources being imported (no state yet) use the provider registered for their type;
- expected failures (bad input, API errors, failed jobs) are reported as their message, without a traceback;
- it stops when the engine that started it is gone (e.g. `pulumi` was killed).
"""

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

__all__ = ["WORKERS", "main"]

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


def main() -> int:
    """Serve until the engine stops the host; print the port first, as the plugin protocol asks."""
    engine = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
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


if __name__ == "__main__":
    sys.exit(main())
