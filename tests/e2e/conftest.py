"""Fixtures for tests that drive the real Pulumi CLI against the live emulator, in every compatibility reading."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import COMPAT_PRESETS
from tests.e2e.pulumi_project import PulumiProject


@pytest.fixture(params=COMPAT_PRESETS)
def compat(request: pytest.FixtureRequest) -> str:
    """Each end-to-end test runs once per emulator preset: `default` and `strict` (docs/emulator.md)."""
    return str(request.param)


@pytest.fixture
def project(tmp_path: Path, emulator: Any) -> Iterator[PulumiProject]:
    """A fresh project copy with its own backend, pointed at a freshly reset emulator."""
    if shutil.which("pulumi") is None:
        pytest.skip("the pulumi CLI is not on PATH; run `make test` (it builds and exports it)")
    health = httpx.get(f"{emulator.url}/_emulator/health", timeout=10).json()
    yield PulumiProject.create(
        tmp_path, emulator_url=emulator.url, api_url=emulator.api_url, time_scale=float(health["speed"])
    )
