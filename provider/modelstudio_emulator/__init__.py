"""A local server that speaks the DashScope API used for Wan image LoRA fine-tuning (see docs/emulator.md)."""

from __future__ import annotations

from modelstudio_emulator.server import EmulatorServer

__all__ = ["EmulatorServer"]
