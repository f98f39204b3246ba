"""Dynamic resources served by Pulumi's own `python -m pulumi.dynamic` say so once, with the fix."""

from __future__ import annotations

import sys
import threading
import types
from importlib.machinery import ModuleSpec

import pytest
from pulumi_modelstudio.resources import _base
from pulumi_modelstudio.resources.deployment import DeploymentProvider

NEWS = {"model_name": "wan2.7-image-pro-ft-1", "capacity": 1, "plan": "lora", "suffix": None}


def _host(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    main = types.ModuleType("__main__")
    main.__spec__ = ModuleSpec(name, None)
    monkeypatch.setitem(sys.modules, "__main__", main)
    monkeypatch.setattr(_base, "_noted", threading.Event())


def test_on_the_stock_host_the_note_shows_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _host(monkeypatch, "pulumi.dynamic.__main__")
    DeploymentProvider().check({}, dict(NEWS))
    DeploymentProvider().check({}, dict(NEWS))
    err = capsys.readouterr().err
    assert err.count("stock dynamic-provider host") == 1
    assert "from modelstudio_lora import" in err


def test_on_this_package_s_host_nothing_is_said(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _host(monkeypatch, "pulumi_modelstudio.hosts.provider_host")
    DeploymentProvider().check({}, dict(NEWS))
    assert "stock dynamic-provider host" not in capsys.readouterr().err
