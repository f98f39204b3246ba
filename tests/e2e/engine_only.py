"""A `pulumi` run that sees only the engine: no virtualenv on PATH, a file backend and plugin cache of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

GO_GC = "400"
"""Go's garbage-collector target for the CLI and the language hosts the tests run: short-lived processes that
allocate most of their heap at start; at Go's default (100) a `pulumi stack output` spends about a quarter of its
user CPU collecting, at 400 it does not (the heap may grow larger; these runs are small). `GOGC` set in the
environment wins."""


def engine_dir() -> Path:
    """The folder of the `pulumi` engine on PATH (the test is skipped without one)."""
    return Path(shutil.which("pulumi") or pytest.skip("the pulumi CLI is not on PATH")).parent


def engine_only_env(engine: Path, home: Path, passphrase: str) -> dict[str, str]:
    """An environment with only `engine` on PATH and its home, plugins and state under `home`."""
    (home / "backend").mkdir()
    return {
        "PATH": f"{engine}:/usr/bin:/bin",
        "HOME": str(home),
        "PULUMI_HOME": str(home / "pulumi-home"),
        "PULUMI_BACKEND_URL": f"file://{home / 'backend'}",
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "GOGC": os.environ.get("GOGC", GO_GC),
    }


def install_plugin(modelstudio: Path, env: dict[str, str]) -> None:
    """`modelstudio plugin install` into the plugin cache of `env`; a failure shows its output."""
    installed = subprocess.run(
        [str(modelstudio), "plugin", "install"], env=env, capture_output=True, text=True, check=False
    )
    assert installed.returncode == 0, installed.stderr


def isolated_env(backend: Path, drop: tuple[str, ...], **extra: str) -> dict[str, str]:
    """This process's environment without the `drop` prefixes, with a file backend at `backend` and quiet CLI."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(
        PULUMI_BACKEND_URL=f"file://{backend}",
        PULUMI_CONFIG_PASSPHRASE="e2e-passphrase",
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        GOGC=os.environ.get("GOGC", GO_GC),
        **extra,
    )
    return env


def files_stay_for_kept_jobs(compat: dict[str, str]) -> bool:
    """Whether a destroy keeps the training files of the jobs it leaves: the service keeps finished jobs and
    ignores job names, so those files are the only proof the jobs were the stack's (docs/promotion.md)."""
    return compat.get("finished_job_delete") == "refuse" and compat.get("job_name") == "job_id"
