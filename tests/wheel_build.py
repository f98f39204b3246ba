"""The wheel built from this checkout, one build at a time: setuptools writes `build/` and `*.egg-info` into
the checkout, so two parallel test workers building at once would overwrite each other's files."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

__all__ = ["build_wheel"]

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / ".state" / "wheel-build.lock"


def build_wheel(out: Path) -> Path:
    """Build the package's wheel into `out` (no dependencies, no build isolation) and return its path."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "-q",
                "--no-deps",
                "--no-build-isolation",
                "-w",
                str(out),
                str(REPO),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if built.returncode != 0:
        msg = f"building the wheel failed (exit {built.returncode}):\n{built.stdout}\n{built.stderr}"
        raise AssertionError(msg)
    return next(out.glob("modelstudio_lora-*.whl"))
