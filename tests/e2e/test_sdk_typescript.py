"""The TypeScript SDK (sdk/nodejs) compiled with `tsc` and run as an Automation API inline program: up, update,
destroy against the emulator, with the API key kept as ciphertext in state."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.sdk_program import (
    PROGRAMS,
    REPO,
    SdkProgram,
    assert_lifecycle,
    require_plugin_and_cli,
    run_checked,
    toolchain,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PACKAGE = "@modelstudio-lora/modelstudio"


@pytest.fixture(scope="module")
def lifecycle_js(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The SDK compiled into node_modules next to the toolchain's packages, then the program against it."""
    tools = toolchain()
    node, modules = tools.get("node"), tools.get("node_modules")
    if not node or not modules:
        pytest.skip("no Node.js 22 toolchain; run `scripts/setup.sh --for-tests` (it installs it from npm)")
    build = tmp_path_factory.mktemp("typescript")
    node_modules = build / "node_modules"
    node_modules.mkdir()
    for entry in Path(modules).iterdir():
        if not entry.name.startswith("."):
            (node_modules / entry.name).symlink_to(entry)
    tsc = [node, str(Path(modules) / "typescript" / "bin" / "tsc")]
    shutil.copytree(REPO / "sdk" / "nodejs", build / "sdk")
    package = node_modules / PACKAGE
    run_checked([*tsc, "-p", str(build / "sdk"), "--outDir", str(package)], cwd=build)
    shutil.copy(build / "sdk" / "package.json", package / "package.json")
    shutil.copytree(PROGRAMS / "typescript", build / "program")
    run_checked([*tsc, "-p", str(build / "program")], cwd=build)
    return [node, str(build / "program" / "bin" / "lifecycle.js")]


def test_typescript_program_up_update_destroy(lifecycle_js: list[str], emulator: Any, tmp_path: Path) -> None:
    require_plugin_and_cli()
    program = SdkProgram.create(lifecycle_js, tmp_path, api_url=emulator.api_url)
    assert_lifecycle(program, emulator)
