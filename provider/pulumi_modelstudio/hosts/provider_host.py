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

import sys

from pulumi_modelstudio.process_start import collector_paused

__all__ = ["main"]


def main() -> int:
    """Serve the engine whose address is the first argument, until it stops the host."""
    with collector_paused():
        from pulumi_modelstudio.hosts._server import serve  # noqa: PLC0415 (loads with the collector paused)
    return serve(next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None))


if __name__ == "__main__":
    sys.exit(main())
