"""Run the emulator as a separate process for a benchmark."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

__all__ = ["memory_folder", "running_emulator"]


@contextmanager
def memory_folder(fallback: Path, needed: int) -> Iterator[Path]:
    """A folder in memory (/dev/shm) with room for `needed` bytes, removed afterwards; else `fallback`.

    The upload benchmark compares two clients sending to one emulator, which stores each upload (werkzeug spools it
    to a temporary file first): on disk, page-cache writeback of the previous upload slows the next one by up to 2x
    at random, which swamps the difference between the clients.
    """
    shm = Path("/dev/shm")
    if shm.is_dir() and shutil.disk_usage(shm).free > needed:
        folder = Path(tempfile.mkdtemp(prefix="bench-upload-", dir=shm))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    else:
        yield fallback


@contextmanager
def running_emulator(data: Path, *, speed: float, job_quota: int = 20, tmpdir: Path | None = None) -> Iterator[str]:
    """Yield the API URL of an emulator process (its temporary files in `tmpdir` if given); stop it afterwards."""
    url_file = data / "url"
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmpdir)} if tmpdir is not None else None
    proc = subprocess.Popen(
        [sys.executable, "-m", "modelstudio_emulator", "--port", "0", "--data", str(data), "--speed", str(speed),
         "--job-quota", str(job_quota), "--url-file", str(url_file)],
        stdout=subprocess.DEVNULL,
        env=env,
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
