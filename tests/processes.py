"""Running a command to its end from a test, with its output kept for the assertion that follows."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["run_captured"]


def run_captured(
    argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run `argv` in `cwd` with exactly `env`; output captured as text; its exit code is the caller's to judge."""
    return subprocess.run(
        list(argv), cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout, check=False
    )
