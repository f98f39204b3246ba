"""The TypeScript and Go SDKs that scripts/gen_sdks.py generates (sdk/nodejs, sdk/go) follow provider/schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _generated() -> None:
    """Skip when the SDKs were not generated (scripts/setup.sh generates them)."""
    if not (REPO / "sdk" / "nodejs" / "package.json").is_file() or not (REPO / "sdk" / "go" / "modelstudio").is_dir():
        pytest.skip("the SDKs are not generated; run `bash scripts/setup.sh` (or `python3 scripts/gen_sdks.py`)")


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
