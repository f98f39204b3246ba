"""The typed Python classes are generated from the schema, not kept in git: building from a checkout makes them."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.wheel_build import pip_wheel

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _gen_sdks() -> ModuleType:
    """scripts/gen_sdks.py, loaded from its file (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location("gen_sdks", REPO / "scripts" / "gen_sdks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _checkout(root: Path) -> Path:
    """What a fresh clone has for the build: sources, schema, build backend; no generated classes, no .state."""
    root.mkdir()
    for name in ("pyproject.toml", "README.md", "MANIFEST.in", "LICENSE"):
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, root / name)
    ignore = shutil.ignore_patterns("modelstudio_lora", "__pycache__", "*.egg-info")
    shutil.copytree(REPO / "provider", root / "provider", ignore=ignore)
    (root / "scripts").mkdir()
    for name in ("gen_sdks.py", "modelstudio_build.py"):
        shutil.copy2(REPO / "scripts" / name, root / "scripts" / name)
    return root


def _pip_wheel(source: Path, out: Path, path: str) -> subprocess.CompletedProcess[str]:
    """Build `source`'s wheel with only `path` to find programs on."""
    return pip_wheel(source, out, dict(os.environ, PATH=path, PIP_DISABLE_PIP_VERSION_CHECK="1"))


def test_a_checkout_without_the_classes_builds_a_wheel_with_them(tmp_path: Path) -> None:
    if shutil.which("pulumi") is None:
        pytest.skip("the pulumi CLI is not on PATH; run `make test` (it builds and exports it)")
    source = _checkout(tmp_path / "checkout")
    built = _pip_wheel(source, tmp_path / "dist", os.environ["PATH"])
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(next((tmp_path / "dist").glob("modelstudio_lora-*.whl"))) as wheel:
        names = set(wheel.namelist())
    assert {"modelstudio_lora/__init__.py", "modelstudio_lora/lora_model.py", "modelstudio_lora/py.typed"} <= names
    generated = (source / "provider" / "modelstudio_lora" / "lora_model.py").read_text(encoding="utf-8")
    assert generated == (REPO / "provider" / "modelstudio_lora" / "lora_model.py").read_text(encoding="utf-8")


def test_without_a_pulumi_the_build_says_how_to_get_one(tmp_path: Path) -> None:
    source = _checkout(tmp_path / "checkout")
    built = _pip_wheel(source, tmp_path / "dist", str(Path(sys.executable).parent))
    assert built.returncode != 0
    output = built.stdout + built.stderr
    assert "no `pulumi` to generate the typed Python classes (modelstudio_lora) from provider/schema.json" in output
    assert "Install the Pulumi CLI (3.200 or newer) or run `bash scripts/setup.sh`" in " ".join(output.split()), output
    assert "Traceback" not in output, output
    assert not list(tmp_path.glob("dist/*.whl"))


def test_if_stale_regenerates_only_after_the_schema_changes(tmp_path: Path) -> None:
    if shutil.which("pulumi") is None:
        pytest.skip("the pulumi CLI is not on PATH; run `make test` (it builds and exports it)")
    gen_sdks = _gen_sdks()
    (tmp_path / "provider").mkdir()
    schema = tmp_path / "provider" / "schema.json"
    shutil.copy2(REPO / "provider" / "schema.json", schema)
    assert gen_sdks.generate(["python"], root=tmp_path, if_stale=True) == ["python"]
    assert gen_sdks.generate(["python"], root=tmp_path, if_stale=True) == []
    schema.write_text(schema.read_text(encoding="utf-8").replace("A LoRA fine-tune", "A LoRA fine-tuning"), "utf-8")
    assert gen_sdks.generate(["python"], root=tmp_path, if_stale=True) == ["python"]
    assert "A LoRA fine-tuning" in (tmp_path / "provider" / "modelstudio_lora" / "fine_tune_job.py").read_text("utf-8")


def test_regenerating_keeps_what_users_built_in_the_sdk_folder(tmp_path: Path) -> None:
    if shutil.which("pulumi") is None:
        pytest.skip("the pulumi CLI is not on PATH; run `make test` (it builds and exports it)")
    gen_sdks = _gen_sdks()
    (tmp_path / "provider").mkdir()
    shutil.copy2(REPO / "provider" / "schema.json", tmp_path / "provider" / "schema.json")
    gen_sdks.generate(["nodejs"], root=tmp_path)
    sdk = tmp_path / "sdk" / "nodejs"
    (sdk / "node_modules" / "pkg").mkdir(parents=True)
    (sdk / "node_modules" / "pkg" / "index.js").write_text("built\n", encoding="utf-8")
    generated = (sdk / "index.ts").read_text(encoding="utf-8")
    (sdk / "index.ts").write_text(generated + "// edited\n", encoding="utf-8")
    assert gen_sdks.generate(["nodejs"], root=tmp_path) == ["nodejs"]
    assert (sdk / "index.ts").read_text(encoding="utf-8") == generated
    assert (sdk / "node_modules" / "pkg" / "index.js").read_text(encoding="utf-8") == "built\n"
    assert not [p for p in (tmp_path / "sdk").iterdir() if p.name.startswith(".")]  # no staging folder left
