"""Run the emulator as a separate process for a benchmark."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

__all__ = ["running_emulator"]


@contextmanager
def running_emulator(data: Path, *, speed: float, job_quota: int = 20) -> Iterator[str]:
    """Yield the API URL of an emulator process; stop it afterwards."""
    url_file = data / "url"
    data.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "modelstudio_emulator", "--port", "0", "--data", str(data), "--speed", str(speed),
         "--job-quota", str(job_quota), "--url-file", str(url_file)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(200):
            if url_file.is_file() and url_file.read_text(encoding="utf-8").strip():
                break
            time.sleep(0.05)
        base = url_file.read_text(encoding="utf-8")
        httpx.get(f"{base}/_emulator/health", timeout=5).raise_for_status()
        yield f"{base}/api/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
