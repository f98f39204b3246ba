"""`modelstudio plugin install`: a launcher for this interpreter, registered with `pulumi plugin install`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pulumi_modelstudio.plugin.install import install_plugin, launcher_text
from pulumi_modelstudio.plugin.settings import configured, training_problem


def test_the_launcher_runs_the_plugin_with_this_interpreter() -> None:
    text = launcher_text("/opt/venv/bin/python")
    assert text.startswith("#!/bin/sh\n")
    assert 'exec "/opt/venv/bin/python" -u -m pulumi_modelstudio.plugin "$@"' in text


def test_install_puts_the_plugin_into_the_plugin_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("pulumi") is None:
        pytest.skip("the pulumi CLI is not on PATH")
    monkeypatch.setenv("PULUMI_HOME", str(tmp_path))
    monkeypatch.setenv("PULUMI_SKIP_UPDATE_CHECK", "true")
    install_plugin()
    launcher = tmp_path / "plugins" / "resource-modelstudio-v0.1.0" / "pulumi-resource-modelstudio"
    assert os.access(launcher, os.X_OK)
    assert sys.executable in launcher.read_text(encoding="utf-8")
    listed = subprocess.run(["pulumi", "plugin", "ls"], capture_output=True, text=True, check=True).stdout
    assert "modelstudio" in listed


def test_settings_come_from_inputs_then_config_variables() -> None:
    config, raw = configured(
        {"modelstudio:config:region": "ap-southeast-1", "modelstudio:endpoint": "https://a.example/api/v1"},
        {"endpoint": "https://b.example/api/v1", "api_key": "sk-1"},
    )
    assert config.region == "ap-southeast-1"
    assert config.endpoint == "https://b.example/api/v1"
    assert config.api_key == "sk-1"
    assert training_problem(raw) is None
    assert "wait' or 'submit" in str(training_problem({"modelstudio:training": "later"}))
