"""The committed TypeScript and Go SDKs (sdk/nodejs, sdk/go) are what provider/schema.json generates."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.sdk_program import toolchain

REPO = Path(__file__).resolve().parents[2]


def test_committed_sdks_are_generated_from_the_schema() -> None:
    sdkgen = toolchain().get("sdkgen")
    if not sdkgen:
        pytest.skip("the SDK generator is not built; run `scripts/setup.sh --for-tests` (needs Go 1.26+)")
    argv = [sdkgen, "-schema", "provider/schema.json", "-out", "sdk", "-check"]
    proc = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr


def test_sdk_versions_follow_the_schema() -> None:
    version = json.loads((REPO / "provider" / "schema.json").read_text(encoding="utf-8"))["version"]
    package = json.loads((REPO / "sdk" / "nodejs" / "package.json").read_text(encoding="utf-8"))
    plugin = json.loads((REPO / "sdk" / "go" / "modelstudio" / "pulumi-plugin.json").read_text(encoding="utf-8"))
    assert package["version"] == package["pulumi"]["version"] == version
    assert plugin == {"resource": True, "name": "modelstudio", "version": version}


def test_always_set_outputs_are_not_optional_in_the_sdks() -> None:
    typescript = (REPO / "sdk" / "nodejs" / "fineTuneJob.ts").read_text(encoding="utf-8")
    go = (REPO / "sdk" / "go" / "modelstudio" / "fineTuneJob.go").read_text(encoding="utf-8")
    for name in ("jobId", "status", "deployableModel"):
        assert f"readonly {name}: pulumi.Output<string>;" in typescript, name
        assert f'{name[0].upper()}{name[1:]} pulumi.StringOutput `pulumi:"{name}"`' in go, name
