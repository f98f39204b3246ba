"""The Go SDK (sdk/go) built with `go build` into an Automation API inline program: up, update, destroy against
the emulator, with the API key kept as ciphertext in state."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.sdk_program import PROGRAMS, SdkProgram, assert_lifecycle, require_plugin_and_cli, run_checked

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def lifecycle_bin(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The program and the SDK it replaces with the repository's sdk/ folder, built once for the module."""
    require_plugin_and_cli()
    if shutil.which("go") is None:
        pytest.skip("Go is not on PATH; install Go 1.26+ and run `scripts/setup.sh --for-tests`")
    out = tmp_path_factory.mktemp("go") / "lifecycle"
    env = dict(os.environ, GOFLAGS="-mod=readonly")
    run_checked(["go", "build", "-o", str(out), "."], cwd=PROGRAMS / "go", env=env)
    return [str(out)]


def test_automation_api_program_up_update_destroy(lifecycle_bin: list[str], emulator: Any, tmp_path: Path) -> None:
    require_plugin_and_cli()
    program = SdkProgram.create(lifecycle_bin, tmp_path, api_url=emulator.api_url)
    assert_lifecycle(program, emulator)
