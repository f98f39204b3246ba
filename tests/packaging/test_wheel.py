"""The distribution installs one namespace: nothing named like a folder a team may have of its own."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.wheel_build import build_wheel

REPO = Path(__file__).resolve().parents[2]
GENERIC_NAMES = {"provider", "emulator", "resources", "client", "cli", "settings", "core", "hosts", "tests"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout."""
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def test_the_wheel_has_only_its_own_top_level_names(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        top = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
        top_level = next(n for n in names if n.endswith(".dist-info/top_level.txt"))
        declared = set(archive.read(top_level).decode().split())
    assert top == {"pulumi_modelstudio", "modelstudio_emulator", "modelstudio_lora"}
    assert declared == top
    assert not top & GENERIC_NAMES


def test_a_project_folder_named_provider_does_not_hide_the_package(tmp_path: Path) -> None:
    own = tmp_path / "provider"
    own.mkdir()
    (own / "__init__.py").write_text("TEAM_CODE = True\n", encoding="utf-8")
    (tmp_path / "emulator").mkdir()
    (tmp_path / "emulator" / "__init__.py").write_text("TEAM_EMULATOR = True\n", encoding="utf-8")
    script = (
        "import provider, emulator\n"
        "from pulumi_modelstudio import LoraModel, Dataset\n"
        "import modelstudio_emulator\n"
        "assert provider.TEAM_CODE and emulator.TEAM_EMULATOR\n"
        "print(LoraModel.__module__, Dataset.__module__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["pulumi_modelstudio.resources.lora_model", "pulumi_modelstudio.resources.dataset"]
