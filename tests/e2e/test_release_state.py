"""Upgrading under existing state: stacks written by the previous release preview no changes, refresh and
destroy with this code, without training anything."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.engine_only import files_stay_for_kept_jobs
from tests.e2e.pulumi_project import PulumiProject
from tests.e2e.release_state import STACKS, import_stacks, restore_account

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _creates(emulator: Any) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in emulator.control("requests") if r["method"] in ("POST", "PUT")]


def test_release_state_previews_no_changes_refreshes_and_destroys(project: PulumiProject, emulator: Any) -> None:
    restore_account(emulator)
    import_stacks(project)
    before = project.live()
    assert len(before["jobs"]) == 2
    assert len(before["deployments"]) == 3

    for stack in STACKS:
        project.run("preview", "--expect-no-changes", "--diff", "--stack", stack)
    for stack in STACKS:
        project.run("refresh", "--yes", "--skip-preview", "--stack", stack)
        project.run("preview", "--expect-no-changes", "--diff", "--stack", stack)
    assert _creates(emulator) == []  # nothing uploaded, trained, exported or deployed
    assert project.live() == before

    project.run("state", "unprotect", "--all", "--yes", "--stack", "prod")
    project.run("destroy", "--yes", "--skip-preview", "--stack", "prod")
    live = project.live()
    assert [d["deployed_model"] for d in live["deployments"]] == [
        d["deployed_model"] for d in before["deployments"] if not d["deployed_model"].endswith("-prod")
    ]
    project.run("destroy", "--yes", "--skip-preview", "--stack", "staging")
    live = project.live()
    assert live["deployments"] == []
    if not files_stay_for_kept_jobs(emulator.control("compat")):
        assert live["files"] == []
    assert _creates(emulator) == []
