"""The provider package stays small and typed: modules of at most 350 lines, no string-keyed property reads in
the providers, and no import circle between its modules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "provider" / "pulumi_modelstudio"
MAX_LINES = 350
RESOURCE_CORES = ("dataset", "fine_tune_job", "checkpoint_export", "deployment")
PROPERTY_READ = re.compile(r"\b(props|olds|news|inputs|outs|outputs|state)\.get\(")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _provider_modules() -> list[Path]:
    cores = [p for name in RESOURCE_CORES for p in (PACKAGE / "core" / name).glob("*.py")]
    return sorted(PACKAGE.joinpath("resources").glob("*.py")) + cores


def test_no_module_is_over_350_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_providers_read_properties_through_typed_models() -> None:
    found = []
    for path in _provider_modules():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            front_end = path.parent.name == "resources" and '.get("' in line and "sys.modules" not in line
            if front_end or PROPERTY_READ.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []


def _imports(path: Path) -> set[str]:
    """Modules of the package `path` imports at module level (not inside functions or TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pulumi_modelstudio"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pulumi_modelstudio"))
    return found


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_circle() -> None:
    modules = {_name(p): p for p in _modules()}
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}
    state: dict[str, int] = {}
    circles: list[str] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                circles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []
