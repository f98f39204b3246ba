"""The engine's log, as both provider processes use it: progress lines and warnings attached to the resource
being worked on (the URN each worker thread sets in `current_urn`)."""

from __future__ import annotations

import threading
from typing import Any

import grpc
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

from pulumi_modelstudio.resources._base import set_progress_sink

__all__ = ["EngineLog", "current_urn"]

current_urn = threading.local()
"""`current_urn.urn`: the resource a worker thread is serving ("" when none)."""


class EngineLog:
    """Lines for the engine; until it is connected (or when it cannot be reached) they go nowhere."""

    def __init__(self) -> None:
        """Not connected yet."""
        self._engine: engine_pb2_grpc.EngineStub | None = None

    @property
    def connected(self) -> bool:
        """Whether lines reach an engine."""
        return self._engine is not None

    def connect(self, engine_address: str) -> None:
        """Send to the engine at `engine_address`, and route the providers' progress and warnings here."""
        channel = grpc.insecure_channel(engine_address, options=_GRPC_CHANNEL_OPTIONS)
        self._engine = engine_pb2_grpc.EngineStub(channel)
        set_progress_sink(self.log, self.warn)

    def log(self, message: str, severity: Any = engine_pb2.INFO) -> bool:
        """Send one line, attached to the resource being worked on; False when it cannot."""
        if self._engine is None:
            return False
        try:
            urn = str(getattr(current_urn, "urn", ""))
            self._engine.Log(engine_pb2.LogRequest(severity=severity, message=message, urn=urn))
        except grpc.RpcError:
            return False
        return True

    def warn(self, message: str) -> bool:
        """Send one warning, attached to the resource being worked on."""
        return self.log(message, engine_pb2.WARNING)
