"""The Python language host, driven through the real CLI: about, install (pip and uv), convert from YAML."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.e2e.engine_only import isolated_env
from tests.processes import run_captured

pytestmark = pytest.mark.e2e

DEPENDENCY = "e2e-greeting"


@pytest.fixture(autouse=True)
def _needs_pulumi() -> None:
    if shutil.which("pulumi") is None:
        pytest.skip("the pulumi CLI is not on PATH; run `make test` (it builds and exports it)")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An isolated backend and quiet, offline-friendly tool settings."""
    backend = tmp_path / "backend"
    backend.mkdir()
    return isolated_env(
        backend,
        ("PULUMI_", "VIRTUAL_ENV", "UV_"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        UV_PYTHON_DOWNLOADS="never",
        UV_PYTHON=sys.executable,
    )


def pulumi(cwd: Path, env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `pulumi ARGS` in `cwd`; on failure the assertion shows the whole output."""
    proc = run_captured(["pulumi", *args, "--non-interactive"], cwd=cwd, env=env, timeout=600)
    if check and proc.returncode != 0:
        msg = f"pulumi {' '.join(args)} exited {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        raise AssertionError(msg)
    return proc


def write_project(root: Path, options: dict[str, str]) -> Path:
    """A Python project whose program exports one value, with the given runtime options."""
    root.mkdir(parents=True, exist_ok=True)
    project = {"name": "host-e2e", "runtime": {"name": "python", "options": options}}
    (root / "Pulumi.yaml").write_text(yaml.safe_dump(project), encoding="utf-8")
    (root / "__main__.py").write_text('import pulumi\n\npulumi.export("answer", 42)\n', encoding="utf-8")
    return root


def write_dependency(root: Path) -> Path:
    """A tiny local package, so installs exercise the toolchain without fetching large wheels."""
    package = root / "dep"
    (package / "e2e_greeting").mkdir(parents=True)
    (package / "e2e_greeting" / "__init__.py").write_text('GREETING = "hello"\n', encoding="utf-8")
    (package / "pyproject.toml").write_text(
        f'[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{DEPENDENCY}"\nversion = "1.2.3"\n',
        encoding="utf-8",
    )
    return package


def write_wheel(root: Path) -> Path:
    """The same package as a built wheel: pip installs it without building it in an isolated environment first
    (which installs setuptools, about 8 s of CPU)."""
    dist = DEPENDENCY.replace("-", "_") + "-1.2.3"
    files = {
        "e2e_greeting/__init__.py": 'GREETING = "hello"\n',
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {DEPENDENCY}\nVersion: 1.2.3\n",
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(text.encode())}")
    record.append(f"{dist}.dist-info/RECORD,,")
    files[f"{dist}.dist-info/RECORD"] = "\n".join(record) + "\n"
    wheel = root / f"{dist}-py3-none-any.whl"
    root.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return wheel


def dependencies(cwd: Path, env: dict[str, str]) -> dict[str, str]:
    """The program's dependencies as `pulumi about` reports them."""
    about = json.loads(pulumi(cwd, env, "about", "--json").stdout)
    return {dep["name"]: dep["version"] for dep in about.get("dependencies") or []}


def test_about_lists_the_programs_dependencies(tmp_path: Path, env: dict[str, str]) -> None:
    root = write_project(tmp_path / "project", {"toolchain": "pip", "virtualenv": sys.prefix})
    about = json.loads(pulumi(root, env, "about", "--json").stdout)
    direct = {dep["name"] for dep in about["dependencies"]}
    assert "modelstudio-lora" in direct
    assert "pulumi" not in direct  # required by modelstudio-lora, so listed with --transitive
    assert about["runtime"]["executable"].startswith(sys.prefix)
    assert about["runtime"]["toolchain"] == "pip"
    transitive = json.loads(pulumi(root, env, "about", "--json", "--transitive").stdout)
    assert {"pulumi", "pydantic", "modelstudio-lora"} <= {dep["name"] for dep in transitive["dependencies"]}


def test_install_with_pip_creates_the_virtualenv_from_requirements(tmp_path: Path, env: dict[str, str]) -> None:
    root = write_project(tmp_path / "project", {"toolchain": "pip", "virtualenv": "venv"})
    wheel = write_wheel(root / "dist")
    (root / "requirements.txt").write_text(f"./dist/{wheel.name}\n", encoding="utf-8")
    pulumi(root, env, "install")
    assert (root / "venv" / "bin" / "python").is_file()
    assert dependencies(root, env)[DEPENDENCY] == "1.2.3"


def test_install_with_uv_creates_the_virtualenv_from_pyproject(tmp_path: Path, env: dict[str, str]) -> None:
    if shutil.which("uv") is None:
        pytest.skip("uv is not on PATH; it is part of the dev extras (`make test` installs it)")
    root = write_project(tmp_path / "project", {"toolchain": "uv"})
    write_dependency(root)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "host-e2e"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
        f'dependencies = ["{DEPENDENCY}"]\n\n[tool.uv.sources]\n{DEPENDENCY} = {{ path = "dep" }}\n',
        encoding="utf-8",
    )
    pulumi(root, env, "install")
    assert (root / ".venv" / "bin" / "python").is_file()
    assert (root / "uv.lock").is_file()
    assert dependencies(root, env)[DEPENDENCY] == "1.2.3"


def test_an_unknown_toolchain_is_named_with_the_choices(tmp_path: Path, env: dict[str, str]) -> None:
    root = write_project(tmp_path / "project", {"toolchain": "conda"})
    proc = pulumi(root, env, "install", check=False)
    assert proc.returncode != 0
    assert "runtime option 'toolchain' is conda; use one of: pip, poetry, uv" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_convert_from_yaml_generates_a_python_program_that_runs(tmp_path: Path, env: dict[str, str]) -> None:
    plugins = json.loads(pulumi(tmp_path, env, "plugin", "ls", "--json").stdout or "[]")
    if shutil.which("pulumi-converter-yaml") is None and not any(
        p["kind"] == "converter" and p["name"] == "yaml" for p in plugins
    ):
        pytest.skip("no YAML converter plugin: install it with `pulumi plugin install converter yaml`")
    source = tmp_path / "yaml"
    source.mkdir()
    (source / "Pulumi.yaml").write_text(
        "name: greeter\nruntime: yaml\n"
        "config:\n  greeting:\n    type: string\n    default: hello\n"
        "variables:\n  message: ${greeting}-world\n"
        "outputs:\n  message: ${message}\n",
        encoding="utf-8",
    )
    target = tmp_path / "python"
    pulumi(source, env, "convert", "--from", "yaml", "--language", "python", "--out", str(target), "--generate-only")
    program = (target / "__main__.py").read_text(encoding="utf-8")
    assert 'pulumi.export("message", message_var)' in program
    assert (target / "requirements.txt").read_text(encoding="utf-8").startswith("pulumi")

    project = yaml.safe_load((target / "Pulumi.yaml").read_text(encoding="utf-8"))
    assert project["runtime"] == "python" or project["runtime"]["name"] == "python"
    project["runtime"] = {"name": "python", "options": {"toolchain": "pip", "virtualenv": sys.prefix}}
    (target / "Pulumi.yaml").write_text(yaml.safe_dump(project), encoding="utf-8")
    pulumi(target, env, "stack", "init", "dev")
    pulumi(target, env, "up", "--yes")
    outputs = json.loads(pulumi(target, env, "stack", "output", "--json").stdout)
    assert outputs == {"message": "hello-world"}
