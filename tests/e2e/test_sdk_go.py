"""The Go SDK (sdk/go) built with `go build`: into an Automation API inline program, and in a Go project run by
`pulumi up` through the Go language host; up, update, destroy against the emulator, with the API key kept as
ciphertext in state."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import sdk_program
from tests.e2e.sdk_program import run_checked

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _require_go() -> None:
    """Skip unless the pulumi CLI, the provider plugin and Go are on PATH."""
    sdk_program.require_plugin_and_cli()
    if shutil.which("go") is None:
        pytest.skip("Go is not on PATH; install Go 1.26+ and run `scripts/setup.sh --for-tests`")


@pytest.fixture(scope="module")
def lifecycle_bin(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The Automation API program (./lifecycle) and the SDK it replaces with the repository's sdk/ folder, built
    once for the module."""
    _require_go()
    out = tmp_path_factory.mktemp("go") / "lifecycle"
    env = dict(os.environ, GOFLAGS="-mod=readonly")
    run_checked(["go", "build", "-o", str(out), "./lifecycle"], cwd=sdk_program.PROGRAMS / "go", env=env)
    return [str(out)]


@pytest.mark.one_reading(
    "the Go program sends the same inputs to the same plugin as the Python package classes, whose handling "
    "of each reading test_package_project runs under both"
)
def test_automation_api_program_up_update_destroy(lifecycle_bin: list[str], emulator: Any, tmp_path: Path) -> None:
    sdk_program.assert_program_lifecycle(lifecycle_bin, emulator, tmp_path)


@pytest.mark.one_reading(
    "the Go program sends the same inputs to the same plugin as the Python package classes, whose handling "
    "of each reading test_package_project runs under both"
)
def test_pulumi_up_of_a_go_project(emulator: Any, tmp_path: Path) -> None:
    _require_go()
    if not sdk_program.host_available("go"):
        pytest.skip("no Go language host (pulumi-language-go); run `scripts/setup.sh`")
    program = sdk_program.project_program("go", emulator, tmp_path)  # the module's root package is the program
    sdk = f"github.com/modelstudio-lora/modelstudio/sdk={sdk_program.REPO / 'sdk'}"
    run_checked(["go", "mod", "edit", "-replace", sdk], cwd=program.workdir)
    gocache = run_checked(["go", "env", "GOCACHE"], cwd=program.workdir).strip()  # warm: the test's own cache is new
    sdk_program.assert_project_lifecycle(program, emulator, dict(program.env, GOFLAGS="-mod=readonly", GOCACHE=gocache))
