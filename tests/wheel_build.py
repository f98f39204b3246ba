"""The wheel built from this checkout, one build at a time: setuptools writes `build/` and `*.egg-info` into
the checkout, so two parallel test workers building at once would overwrite each other's files."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

__all__ = ["build_wheel", "pip_wheel"]

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / ".state" / "wheel-build.lock"


def pip_wheel(source: Path, out: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`pip wheel` of `source` into `out`: no dependencies, no build isolation (the build backend runs here)."""
    argv = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out)]
    return subprocess.run([*argv, str(source)], capture_output=True, text=True, timeout=300, check=False, env=env)


def build_wheel(out: Path) -> Path:
    """Build the package's wheel into `out` and return its path."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = pip_wheel(REPO, out)
    if built.returncode != 0:
        msg = f"building the wheel failed (exit {built.returncode}):\n{built.stdout}\n{built.stderr}"
        raise AssertionError(msg)
    return next(out.glob("modelstudio_lora-*.whl"))
