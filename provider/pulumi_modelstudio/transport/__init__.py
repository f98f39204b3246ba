"""HTTP transport: one request loop with retries and error mapping."""

from __future__ import annotations

from pulumi_modelstudio.transport.closeable import Closeable
from pulumi_modelstudio.transport.http import Transport

__all__ = ["Closeable", "Transport"]
