"""Start-up of the processes the Pulumi engine starts (provider host, package plugin): their modules load with
Python's cyclic garbage collector paused."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while modules load, then exempt what they made from later collections.

    Loading the Pulumi SDK, gRPC and the typed models makes tens of thousands of long-lived objects and no
    garbage, yet triggers a collection every few hundred allocations: about 15% of a provider process's start,
    which every `pulumi` command pays. `gc.freeze` then keeps those objects out of the collections a long run
    (hundreds of waits) makes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
