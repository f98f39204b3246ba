"""The TypeScript SDK (sdk/nodejs) compiled with `tsc`: as an Automation API inline program, and as a TypeScript
project run by `pulumi up` through the Node.js language host; up, update, destroy against the emulator, with the
API key kept as ciphertext in state."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.sdk_program import (
    PROGRAMS,
    REPO,
    assert_program_lifecycle,
    assert_project_lifecycle,
    host_available,
    project_program,
    require_plugin_and_cli,
    run_checked,
    toolchain,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PACKAGE = "@modelstudio-lora/modelstudio"


@dataclass(frozen=True)
class TypeScriptBuild:
    """Node.js 22, a node_modules folder holding the toolchain's packages and the compiled SDK, the program."""

    node: str
    node_modules: Path
    lifecycle_js: Path


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> TypeScriptBuild:
    """The SDK compiled into node_modules next to the toolchain's packages, then the program against it."""
    require_plugin_and_cli()
    tools = toolchain()
    node, modules = tools.get("node"), tools.get("node_modules")
    if not node or not modules:
        pytest.skip("no Node.js 22 toolchain; run `scripts/setup.sh --for-tests` (it installs it from npm)")
    root = tmp_path_factory.mktemp("typescript")
    node_modules = root / "node_modules"
    node_modules.mkdir()
    for entry in Path(modules).iterdir():
        if not entry.name.startswith("."):
            (node_modules / entry.name).symlink_to(entry)
    tsc = [node, str(Path(modules) / "typescript" / "bin" / "tsc")]
    shutil.copytree(REPO / "sdk" / "nodejs", root / "sdk")
    package = node_modules / PACKAGE
    run_checked([*tsc, "-p", str(root / "sdk"), "--outDir", str(package)], cwd=root)
    shutil.copy(root / "sdk" / "package.json", package / "package.json")
    shutil.copytree(PROGRAMS / "typescript", root / "program")
    run_checked([*tsc, "-p", str(root / "program")], cwd=root)
    return TypeScriptBuild(node, node_modules, root / "program" / "bin" / "lifecycle.js")


@pytest.mark.one_reading(
    "the TypeScript program sends the same inputs to the same plugin as the Python package classes, whose handling "
    "of each reading test_package_project runs under both"
)
def test_automation_api_program_up_update_destroy(build: TypeScriptBuild, emulator: Any, tmp_path: Path) -> None:
    assert_program_lifecycle([build.node, str(build.lifecycle_js)], emulator, tmp_path)


@pytest.mark.one_reading(
    "the TypeScript program sends the same inputs to the same plugin as the Python package classes, whose handling "
    "of each reading test_package_project runs under both"
)
def test_pulumi_up_of_a_typescript_project(build: TypeScriptBuild, emulator: Any, tmp_path: Path) -> None:
    program = project_program("typescript", emulator, tmp_path)  # index.ts is the project's program
    env = dict(program.env, PATH=f"{Path(build.node).parent}{os.pathsep}{program.env['PATH']}")
    if not host_available("nodejs", env["PATH"]):
        pytest.skip("no Node.js language host (pulumi-language-nodejs); run `scripts/setup.sh`")
    (program.workdir / "node_modules").symlink_to(build.node_modules)
    assert_project_lifecycle(program, emulator, env)
