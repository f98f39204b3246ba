"""Provider tests run against every compatibility reading of the emulator (docs/emulator.md), each with a
private check cache, and every test is one `pulumi` run (one provider process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi_modelstudio.core import job_cleanup
from pulumi_modelstudio.resources import _job_ownership

from tests.conftest import COMPAT_PRESETS


@pytest.fixture(params=COMPAT_PRESETS)
def compat(request: pytest.FixtureRequest) -> str:
    """Each test that talks to the emulator runs once per preset: `default` and `strict`."""
    return str(request.param)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(autouse=True)
def _fresh_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_job_ownership, "_THIS_RUN", {})
    monkeypatch.setattr(job_cleanup, "_KEPT_FILES", {})
