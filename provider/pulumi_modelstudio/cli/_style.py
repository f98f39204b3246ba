"""Which declarations `modelstudio unowned` prints: the dynamic classes or the `modelstudio` package's."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml

from pulumi_modelstudio.cli._stacks import StackInventory

__all__ = ["Style", "declaration_style"]

Style = Literal["dynamic", "package"]


def _runtime(project: Path) -> str:
    """The `runtime` of the project file in `project` (`python`, `nodejs`, `go`, `yaml`, …), or '' without one."""
    for name in ("Pulumi.yaml", "Pulumi.yml"):
        path = project / name
        if path.is_file():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError):
                return ""
            runtime = data.get("runtime") if isinstance(data, dict) else None
            return str(runtime.get("name") if isinstance(runtime, dict) else runtime or "")
    return ""


def _imports(project: Path) -> set[Style]:
    """Which of the two Python front ends the program in `project` imports."""
    found: set[Style] = set()
    for path in sorted(project.glob("*.py"))[:50]:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "modelstudio_lora" in text:
            found.add("package")
        if "pulumi_modelstudio" in text:
            found.add("dynamic")
    return found


def declaration_style(project: Path, stacks: StackInventory) -> Style:
    """`package` for a project on the package resources, else `dynamic`.

    A project in another language than Python can only use the package; a Python program shows which classes it
    imports; otherwise the stacks' state decides (package resources only -> package).
    """
    runtime = _runtime(project)
    if runtime and runtime != "python":
        return "package"
    imported = _imports(project)
    if len(imported) == 1:
        return next(iter(imported))
    return "package" if stacks.styles == {"package"} else "dynamic"
