"""The dashscope 1.x module API works against the emulator: with the installed package's 1.x surface, and with
the latest 1.x release from PyPI, installed once into a cache folder and run in a separate interpreter."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import dashscope
import pytest

from tests.contract.sdk_v1_calls import REPO, Run
from tests.processes import run_captured

SDK_V1 = "dashscope==1.27.8"
"""The latest 1.x release; its dependencies are those of the installed 2.x package, so only it is fetched."""


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "modelstudio-lora" / "sdk"


@pytest.fixture(scope="session")
def sdk_v1_site() -> Path:
    """A folder holding the 1.x package alone (`pip install --target`), kept between runs."""
    target = _cache_root() / SDK_V1.replace("==", "-")
    if (target / "dashscope" / "version.py").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="sdk-", dir=target.parent))
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(staging), SDK_V1],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        pytest.fail(f"could not install {SDK_V1} from PyPI:\n{proc.stderr}")
    with contextlib.suppress(OSError):  # another run may have finished first: keep its copy
        staging.rename(target)
    shutil.rmtree(staging, ignore_errors=True)
    return target


@pytest.mark.parametrize("emulator_compat", ["default", "strict"])
def test_the_latest_1x_release(emulator: Any, tmp_path: Path, sdk_v1_site: Path, emulator_compat: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASHSCOPE_", "PYTHONPATH"))}
    env["PYTHONPATH"] = os.pathsep.join([str(sdk_v1_site), str(REPO)])
    proc = run_captured(
        [sys.executable, "-m", "tests.contract.sdk_v1_calls", emulator.api_url, str(tmp_path), emulator_compat],
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("dashscope 1.27.8:"), proc.stdout


def test_the_installed_packages_1x_module_api(
    emulator: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator_compat: str
) -> None:
    monkeypatch.setattr(dashscope, "base_http_api_url", dashscope.base_http_api_url)
    monkeypatch.setattr(dashscope, "api_key", dashscope.api_key)
    Run(emulator.api_url, tmp_path, emulator_compat).all()
