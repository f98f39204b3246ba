"""Provider tests run against every compatibility reading of the emulator (docs/emulator.md)."""

from __future__ import annotations

import pytest

from tests.conftest import COMPAT_PRESETS


@pytest.fixture(params=COMPAT_PRESETS)
def compat(request: pytest.FixtureRequest) -> str:
    """Each test that talks to the emulator runs once per preset: `default` and `strict`."""
    return str(request.param)
