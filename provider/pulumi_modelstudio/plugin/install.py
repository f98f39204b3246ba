"""Install this environment's `pulumi-resource-modelstudio` into the Pulumi plugin cache.

The engine finds a provider plugin on PATH or in its plugin cache
(`~/.pulumi/plugins/resource-modelstudio-v<version>/`).
A project's virtualenv is rarely on PATH when `pulumi` runs, so `modelstudio plugin install` registers a launcher
that runs the plugin with this environment's interpreter, through `pulumi plugin install --file`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pulumi_modelstudio._version import __version__
from pulumi_modelstudio.errors import ModelStudioError

__all__ = ["install_plugin", "launcher_text"]


def launcher_text(python: str = sys.executable) -> str:
    """A launcher that runs the plugin with `python` (the interpreter this package is installed in)."""
    return f'#!/bin/sh\nexec "{python}" -u -m pulumi_modelstudio.plugin "$@"\n'


def install_plugin(pulumi: str | None = None, version: str = __version__) -> str:
    """Run `pulumi plugin install resource modelstudio <version> --file <launcher> --reinstall`; its output."""
    cli = pulumi or shutil.which("pulumi")
    if cli is None:
        msg = (
            "`pulumi` is not on PATH. Fix: install the Pulumi CLI, or put the engine a checkout of this package "
            'built on PATH (`export PATH="$(cat /path/to/modelstudio-lora/.state/engine-path):$PATH"`), then run '
            "`modelstudio plugin install` again."
        )
        raise ModelStudioError(msg)
    with tempfile.TemporaryDirectory(prefix="modelstudio-plugin-") as tmp:
        launcher = Path(tmp) / "pulumi-resource-modelstudio"
        launcher.write_text(launcher_text(), encoding="utf-8")
        launcher.chmod(0o755)
        argv = [cli, "plugin", "install", "resource", "modelstudio", version, "--file", str(launcher), "--reinstall"]
        proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        msg = f"`pulumi plugin install` failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}"
        raise ModelStudioError(msg)
    return f"installed resource plugin modelstudio v{version} (runs {sys.executable})"
