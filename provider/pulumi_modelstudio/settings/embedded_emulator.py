"""The embedded emulator: started once in the background, per data folder, when `modelstudio:endpoint` (or
`DASHSCOPE_HTTP_BASE_URL`, or `--endpoint`) is `emulator`, and stopped by `make demo-destroy`."""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

from pulumi_modelstudio.errors import ConfigurationError
from pulumi_modelstudio.settings.rules import API_PATH, is_loopback_url
from pulumi_modelstudio.settings.service_clock import emulator_health

__all__ = ["EMULATOR_API_KEY", "EMULATOR_ENDPOINT", "emulator_url", "ensure_emulator", "stop_emulator"]

EMULATOR_ENDPOINT = "emulator"
EMULATOR_API_KEY = "sk-local-emulator"
_START_TIMEOUT_S = 30.0
_started: list[subprocess.Popen[bytes]] = []
"""Emulators this process started: they outlive it on purpose, and are not reported as leaked processes."""


def emulator_url(data_dir: Path) -> str | None:
    """The API base URL of a running emulator for this data folder, if one answers."""
    url_file = data_dir / "url"
    if not url_file.is_file():
        return None
    base = url_file.read_text(encoding="utf-8").strip()
    if not is_loopback_url(base) or emulator_health(base) is None:
        return None
    return f"{base}{API_PATH}"


def ensure_emulator(data_dir: Path, *, speed: float) -> str:
    """Return the API URL of the emulator for `data_dir`, starting it in the background if needed."""
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "start.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        url = emulator_url(data_dir)
        if url:
            return url
        (data_dir / "url").unlink(missing_ok=True)
        argv = [sys.executable, "-m", "modelstudio_emulator", "--port", "0", "--data", str(data_dir)]
        argv += ["--speed", str(speed), "--url-file", str(data_dir / "url")]
        with (data_dir / "emulator.log").open("ab") as log:
            proc = subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        _started.append(proc)
        (data_dir / "pid").write_text(str(proc.pid), encoding="utf-8")
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            url = emulator_url(data_dir)
            if url:
                return url
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        msg = (
            f"The local emulator for '{data_dir}' did not start; see {data_dir / 'emulator.log'}. "
            "Fix: run `python -m modelstudio_emulator --data .state/emulator` by hand to see the error, "
            "or point modelstudio:endpoint at a reachable API."
        )
        raise ConfigurationError(msg)


def stop_emulator(data_dir: Path, *, wait_s: float = 10.0) -> bool:
    """Stop the background emulator of `data_dir` and wait (up to `wait_s`) until it has exited; True when one
    was running."""
    pid_file = data_dir / "pid"
    if not pid_file.is_file():
        return False
    with (data_dir / "start.lock").open("w") as lock:  # never while one is being started (its pid half-written)
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = pid_file.read_text(encoding="utf-8").strip() if pid_file.is_file() else ""
        pid_file.unlink(missing_ok=True)
        (data_dir / "url").unlink(missing_ok=True)
    if not text.isdigit() or int(text) <= 1:  # not a process id: nothing to stop (never signal a process group)
        return False
    pid = int(text)
    try:
        os.kill(pid, 15)
    except (ProcessLookupError, PermissionError):
        return False
    deadline = time.monotonic() + wait_s
    with contextlib.suppress(ProcessLookupError, PermissionError):
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):  # started by this process: reap it, or it stays a zombie
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    break
            os.kill(pid, 0)
            time.sleep(0.05)
    return True
