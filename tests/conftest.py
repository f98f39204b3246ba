"""Shared fixtures: a clean environment per test and a live emulator on a real port."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator import EmulatorServer

SPEED = 20000.0


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's shell must not leak keys or endpoints into tests."""
    for name in list(os.environ):
        if name.startswith(("DASHSCOPE_", "MODELSTUDIO_")):
            monkeypatch.delenv(name)


class LiveEmulator:
    """A running emulator with helpers for its control endpoints."""

    def __init__(self, server: EmulatorServer) -> None:
        """Wrap a started server."""
        self.server = server
        self.url = server.url
        self.api_url = server.api_url

    def control(self, path: str, method: str = "GET", json: Any = None) -> Any:
        """Call `/_emulator/<path>` and return its JSON."""
        response = httpx.request(method, f"{self.url}/_emulator/{path}", json=json, timeout=30)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def emulator_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveEmulator]:
    """One emulator for the session, fast simulated time."""
    data: Path = tmp_path_factory.mktemp("emulator")
    server = EmulatorServer(data_dir=data, speed=SPEED).start()
    try:
        yield LiveEmulator(server)
    finally:
        server.stop()


@pytest.fixture
def emulator(emulator_server: LiveEmulator) -> LiveEmulator:
    """The session emulator, reset to empty with default speed and no faults."""
    emulator_server.control("reset", "POST")
    emulator_server.control("clock", "POST", {"speed": SPEED})
    return emulator_server
