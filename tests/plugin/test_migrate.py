"""State migration from dynamic to package resources: same ids and values, package provider, nothing else moves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi_modelstudio.plugin.migrate import DYNAMIC_PREFIX, MigrationError, migrate_deployment

STATE = Path(__file__).resolve().parents[1] / "fixtures" / "state"


def _deployment(stack: str) -> dict[str, Any]:
    return dict(json.loads((STATE / f"{stack}.json").read_text(encoding="utf-8"))["deployment"])


@pytest.mark.parametrize("stack", ["staging", "prod"])
def test_every_dynamic_resource_moves_with_its_id_and_values(stack: str) -> None:
    before = _deployment(stack)
    after, moved = migrate_deployment(before)
    dynamic = [r for r in before["resources"] if r["type"].startswith(DYNAMIC_PREFIX)]
    assert len(moved) == len(dynamic) > 0
    assert DYNAMIC_PREFIX not in json.dumps(after)
    by_id = {r.get("id"): r for r in after["resources"]}
    for old in dynamic:
        new = by_id[old["id"]]
        assert new["type"] == old["type"].replace(DYNAMIC_PREFIX, "modelstudio:index:")
        assert new["urn"].rsplit("::", 1)[-1] == old["urn"].rsplit("::", 1)[-1]  # the owner stays the same
        assert "__provider" not in new["inputs"]
        assert new["provider"].startswith(f"urn:pulumi:{stack}::modelstudio-lora::pulumi:providers:modelstudio::")
    urns = {r["urn"] for r in after["resources"]}
    for resource in after["resources"]:
        assert resource.get("parent") in (None, *urns)
        assert set(resource.get("dependencies") or []) <= urns


def test_the_package_provider_keeps_the_stack_settings() -> None:
    after, _ = migrate_deployment(_deployment("staging"))
    provider = next(r for r in after["resources"] if r["type"] == "pulumi:providers:modelstudio")
    assert provider["urn"].endswith("::default_0_1_0")
    assert set(provider["inputs"]) >= {"apiKey", "endpoint", "version"}
    assert "ciphertext" in json.dumps(provider["inputs"]["apiKey"])  # still encrypted
    assert not [r for r in after["resources"] if r["type"] == "pulumi:providers:pulumi-python"]


def test_a_stack_with_pending_operations_is_refused() -> None:
    deployment = _deployment("staging")
    deployment["pending_operations"] = [{"type": "creating", "resource": {}}]
    with pytest.raises(MigrationError, match="pulumi refresh"):
        migrate_deployment(deployment)


def test_a_migrated_stack_migrates_to_itself() -> None:
    once, _ = migrate_deployment(_deployment("prod"))
    twice, moved = migrate_deployment(once)
    assert moved == []
    assert twice == once
