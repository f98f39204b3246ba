"""`pulumi-resource-modelstudio`: the plugin process the Pulumi engine starts for the `modelstudio` package.

It prints its port, serves until the engine stops it, and on the engine's SIGINT (a second Ctrl-C in the middle
of a create) cancels the jobs that creates started but the engine will never record. It also stops when the
engine that started it is gone.
"""

from __future__ import annotations

import asyncio
import sys

from pulumi_modelstudio.process_start import collector_paused

__all__ = ["main"]


def main() -> int:
    """Serve the `modelstudio` provider for the engine whose address is the first argument."""
    engine = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), "")
    with collector_paused():
        from pulumi_modelstudio.plugin.server import serve  # noqa: PLC0415 (loads with the collector paused)
    return asyncio.run(serve(engine))


if __name__ == "__main__":
    sys.exit(main())
