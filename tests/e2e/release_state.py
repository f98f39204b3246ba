"""Replay the recorded release state (tests/fixtures/state): the emulator's account and the stacks' state."""

from __future__ import annotations

import json
import shutil
from typing import Any

from tests.e2e.pulumi_project import REPO, PulumiProject

FIXTURE = REPO / "tests" / "fixtures" / "state"
ENDPOINT_PLACEHOLDER = "http://emulator.invalid/api/v1"
PASSPHRASE = "e2e-passphrase"
STACKS = ("staging", "prod")


def restore_account(emulator: Any) -> None:
    """Put every recorded emulator object (and stored file) into the freshly reset session emulator."""
    data = json.loads((FIXTURE / "emulator.json").read_text(encoding="utf-8"))
    backend = emulator.server.backend
    for record in data["records"]:
        backend.store.put(record["kind"], record["id"], record["body"])
        if record["kind"] == "file" and not record["body"]["deleted"]:
            shutil.copy(FIXTURE / "files" / record["id"], backend.file_path(record["id"]))
    for key, value in data["meta"].items():
        if key.startswith("counter:"):
            backend.store.set_meta(key, value)
    behind = float(data["meta"]["sim_now"]) - float(emulator.control("health")["now"])
    if behind > 0:
        emulator.control("clock", "POST", {"advance_seconds": behind})


def import_stacks(project: PulumiProject) -> None:
    """Create the recorded stacks in the project's backend from their exported state and config files."""
    project.env["PULUMI_CONFIG_PASSPHRASE"] = PASSPHRASE
    for stack in STACKS:
        config = (FIXTURE / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8")
        (project.root / "stacks" / f"Pulumi.{stack}.yaml").write_text(
            config.replace(ENDPOINT_PLACEHOLDER, project.api_url), encoding="utf-8"
        )
        state = (FIXTURE / f"{stack}.json").read_text(encoding="utf-8").replace(ENDPOINT_PLACEHOLDER, project.api_url)
        exported = project.root.parent / f"{stack}.json"
        exported.write_text(state, encoding="utf-8")
        project.run("stack", "init", stack)
        project.run("stack", "import", "--file", str(exported), "--stack", stack)


def recorded_resources() -> list[dict[str, Any]]:
    """Every resource of the recorded stacks' state."""
    resources: list[dict[str, Any]] = []
    for stack in STACKS:
        state = json.loads((FIXTURE / f"{stack}.json").read_text(encoding="utf-8"))
        resources.extend(state["deployment"]["resources"])
    return resources
