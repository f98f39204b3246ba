"""Moving the recorded release stacks from dynamic to package resources trains and deploys nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.pulumi_project import PulumiProject
from tests.e2e.release_state import STACKS, import_stacks, restore_account

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _writes(emulator: Any) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in emulator.control("requests") if r["method"] != "GET"]


def test_migrated_release_stacks_preview_no_changes_and_send_no_request(project: PulumiProject, emulator: Any) -> None:
    restore_account(emulator)
    import_stacks(project)
    before = project.live()
    for stack in STACKS:
        project.run("preview", "--expect-no-changes", "--stack", stack)  # the dynamic program, as recorded

    for stack in STACKS:
        project.modelstudio("migrate", "--stack", stack)
    program = project.root / "stacks" / "__main__.py"
    source = program.read_text(encoding="utf-8")
    program.write_text(source.replace("from pulumi_modelstudio import", "from modelstudio_lora import"), "utf-8")

    for stack in STACKS:
        preview = project.preview_json(stack)
        ops = {s["op"] for s in preview.get("steps", []) if "modelstudio:index:" in s.get("urn", "")}
        assert ops <= {"same"}, preview.get("steps")
        project.run("up", "--yes", "--skip-preview", "--stack", stack)
        project.run("preview", "--expect-no-changes", "--stack", stack)
    assert _writes(emulator) == []  # nothing uploaded, trained, exported, deployed or deleted
    assert project.live() == before
    state = project.export_state("staging")
    assert "pulumi-python:dynamic" not in state
