"""The file state backend after a killed run: the side file of a stack's state is replaced whole, never cut."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.engine_only import engine_dir, engine_only_env

pytestmark = [pytest.mark.e2e]

PROGRAM = "name: statefiles\nruntime: yaml\noutputs:\n  greeting: hello\n"


def _pulumi(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["pulumi", *args, "--non-interactive"], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def stack(tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    """A one-output YAML project with a `dev` stack on a file backend, updated once: (folder, env, side file)."""
    engine = engine_dir()
    if not (engine / "pulumi-language-yaml").exists():
        pytest.skip("no YAML language host next to the pulumi CLI")
    (tmp_path / "home").mkdir()
    env = engine_only_env(engine, tmp_path / "home", "state-files")
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(PROGRAM, encoding="utf-8")
    for args in (("stack", "init", "dev"), ("up", "--yes", "--skip-preview")):
        done = _pulumi(project, env, *args)
        assert done.returncode == 0, done.stderr
    side = tmp_path / "home" / "backend" / ".pulumi" / "stacks" / "statefiles" / "dev.json.attrs"
    assert side.is_file()
    return project, env, side


def test_the_documented_recovery_from_an_empty_side_file_works(stack: tuple[Path, dict[str, str], Path]) -> None:
    project, env, side = stack
    side.write_text("", encoding="utf-8")  # what a run killed mid-write leaves with the official CLI

    broken = _pulumi(project, env, "stack", "output", "greeting")
    assert broken.returncode != 0
    assert "failed to load checkpoint: EOF" in broken.stderr  # the symptom docs/troubleshooting.md names

    side.unlink()  # the fix it gives
    fixed = _pulumi(project, env, "stack", "output", "greeting")
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout.strip() == "hello"
    again = _pulumi(project, env, "up", "--yes", "--skip-preview")
    assert again.returncode == 0, again.stderr


def test_the_built_engine_replaces_the_side_file_instead_of_rewriting_it(
    stack: tuple[Path, dict[str, str], Path],
) -> None:
    engine = engine_dir()
    if not (engine.name.startswith("engine-") and engine.parent.name.startswith("pulumi-v")):  # scripts/setup.sh's
        pytest.skip("an official pulumi is in use: it rewrites the side file in place (docs/troubleshooting.md)")
    project, env, side = stack
    before = side.stat().st_ino

    updated = _pulumi(project, env, "up", "--yes", "--skip-preview", "--refresh")
    assert updated.returncode == 0, updated.stderr

    assert side.stat().st_ino != before  # renamed into place: no moment where a reader finds it empty
    assert side.read_text(encoding="utf-8").strip()
    assert not list(side.parent.glob("*.tmp"))
