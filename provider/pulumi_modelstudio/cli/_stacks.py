"""What the stacks of a Pulumi backend manage, read with the `pulumi` CLI (no secrets needed)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["StackInventory", "StacksUnreadableError", "export_stack", "list_stacks", "read_stacks"]

OUR_TYPES = "pulumi-python:dynamic/modelstudio:"
PACKAGE_TYPES = "modelstudio:index:"
"""The same resources declared through the `modelstudio` package (typed classes, YAML, other languages)."""
_KINDS = ("file", "job", "export", "model", "deployment")


class StacksUnreadableError(RuntimeError):
    """The `pulumi` CLI could not list or export the stacks; the message says which command and why."""


@dataclass
class StackInventory:
    """Objects the stacks manage (by kind) and every id any of their resources mentions (with who)."""

    stacks: list[str] = field(default_factory=list)
    owned: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in _KINDS})
    mentions: dict[str, set[str]] = field(default_factory=dict)
    styles: set[str] = field(default_factory=set)
    """How the stacks declare their resources: `dynamic` (pulumi_modelstudio), `package` (modelstudio:index)."""

    def owns(self, kind: str, *ids: str | None) -> bool:
        """Whether a stack manages the object known by any of `ids`."""
        return any(i in self.owned[kind] for i in ids if i)

    def used_by(self, *ids: str | None) -> list[str]:
        """`stack: Type name` of every resource that mentions one of `ids`."""
        return sorted({who for i in ids if i for who in self.mentions.get(i, set())})

    def add(self, stack: str, resource: dict[str, Any]) -> None:
        """Record one resource of a stack's exported state."""
        kind = str(resource.get("type", ""))
        if not kind.startswith((OUR_TYPES, PACKAGE_TYPES)) or kind.endswith(":LoraModel") or resource.get("delete"):
            return
        self.styles.add("package" if kind.startswith(PACKAGE_TYPES) else "dynamic")
        short = kind.removeprefix(OUR_TYPES).removeprefix(PACKAGE_TYPES)
        rid = str(resource.get("id") or "")
        outputs: dict[str, Any] = resource.get("outputs") or {}
        if short == "Dataset":
            self.owned["file"].add(rid)
        elif short == "FineTuneJob":
            self.owned["job"].add(rid)
        elif short == "CheckpointExport":
            self.owned["export"].add(rid)
            self.owned["model"].add(str(outputs.get("deployable_model") or outputs.get("deployableModel") or ""))
        elif short == "Deployment":
            self.owned["deployment"].add(rid)
        who = f"{stack}: {short} {str(resource.get('urn', '')).rsplit('::', 1)[-1]}"
        for text in _strings(outputs):
            self.mentions.setdefault(text, set()).add(who)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _pulumi(args: list[str], cwd: Path | None) -> str:
    binary = shutil.which("pulumi")
    if binary is None:
        msg = "the `pulumi` CLI is not on PATH; install it (or `source scripts/env.sh`) to read the stacks"
        raise StacksUnreadableError(msg)
    proc = subprocess.run([binary, *args, "--non-interactive"], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        where = f" in {cwd}" if cwd else ""
        msg = f"`pulumi {' '.join(args)}` failed{where}: {detail[-1] if detail else 'no output'}"
        raise StacksUnreadableError(msg)
    return proc.stdout


def list_stacks(cwd: Path | None = None, *, every_project: bool = False) -> list[str]:
    """The stacks of the project in `cwd` (or, with `every_project`, of the whole backend)."""
    entries = json.loads(_pulumi(["stack", "ls", "--json", *(["--all"] if every_project else [])], cwd) or "[]")
    return [str(entry["name"]) for entry in entries]


def export_stack(stack: str, cwd: Path | None = None) -> dict[str, Any]:
    """The state of `stack` as `pulumi stack export` prints it (no secrets are decrypted)."""
    state: dict[str, Any] = json.loads(_pulumi(["stack", "export", "--stack", stack], cwd))
    return state


def read_stacks(cwd: Path) -> StackInventory:
    """Every stack of the backend `pulumi` uses in `cwd` (all projects), and what each one manages."""
    inventory = StackInventory()
    for name in list_stacks(cwd, every_project=True):
        inventory.stacks.append(name)
        for resource in export_stack(name, cwd).get("deployment", {}).get("resources") or []:
            inventory.add(name, resource)
    return inventory
