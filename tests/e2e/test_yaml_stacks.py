"""YAML programs (`runtime: yaml`) on the package: dev trains, prod deploys through a StackReference."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.engine_only import engine_dir, engine_only_env, install_plugin
from tests.e2e.pulumi_project import API_KEY, REPO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


class YamlProject:
    """One example project copied out of the repository, run with only the engine on PATH."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        """Run `pulumi` in `root` with `env`."""
        self.root = root
        self.env = env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`pulumi ARGS`; a failure shows the whole output."""
        proc = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.root, env=self.env, capture_output=True, text=True, check=False, timeout=600,
        )  # fmt: skip
        assert proc.returncode == 0, f"pulumi {' '.join(args)}\n{proc.stdout}\n{proc.stderr}"
        return proc

    def init(self, stack: str, api_url: str, **config: str) -> None:
        """Create `stack` pointed at the emulator with the key as a secret."""
        self.run("stack", "init", stack)
        self.run("config", "set", "modelstudio:endpoint", api_url)
        self.run("config", "set", "--secret", "modelstudio:apiKey", API_KEY)
        for key, value in config.items():
            self.run("config", "set", key, value)

    def outputs(self) -> dict[str, Any]:
        """Stack outputs."""
        return dict(json.loads(self.run("stack", "output", "--json").stdout))


def _live_deployments(emulator: Any) -> list[str]:
    return [d["deployed_model"] for d in emulator.control("resources")["deployments"] if not d.get("deleted")]


@pytest.mark.one_reading(
    "the YAML program sends the same inputs to the same plugin as the Python package classes, whose handling "
    "of each reading test_package_project runs under both"
)
def test_yaml_dev_trains_prod_promotes_and_destroying_prod_keeps_dev(tmp_path: Path, emulator: Any) -> None:
    engine = engine_dir()
    if not (engine / "pulumi-language-yaml").exists() and shutil.which("pulumi-language-yaml") is None:
        pytest.skip("no YAML language host next to pulumi; run scripts/setup.sh")
    env = engine_only_env(engine, tmp_path, "yaml-passphrase")
    install_plugin(Path(sys.prefix) / "bin" / "modelstudio", env)
    shutil.copytree(REPO / "examples" / "yaml", tmp_path / "yaml")
    shutil.copytree(
        REPO / "stacks" / "datasets" / "product-t2i", tmp_path / "yaml" / "train" / "datasets" / "product-t2i"
    )
    train = YamlProject(tmp_path / "yaml" / "train", env)
    promote = YamlProject(tmp_path / "yaml" / "promote", env)

    train.init("dev", emulator.api_url, maxSteps="200")
    train.run("up", "--yes", "--skip-preview")
    dev = train.outputs()
    assert dev["deployedModel"] in _live_deployments(emulator)

    promote.init("prod", emulator.api_url, trainingStack="organization/lora-train/dev")
    promote.run("up", "--yes", "--skip-preview")
    prod = promote.outputs()
    assert prod["deployedModel"] != dev["deployedModel"]
    assert prod["deployedModel"].startswith(dev["deployableModel"])
    assert len(emulator.control("resources")["jobs"]) == 1  # prod trained nothing
    promote.run("preview", "--expect-no-changes")

    promote.run("destroy", "--yes", "--skip-preview")
    assert _live_deployments(emulator) == [dev["deployedModel"]]  # dev's deployment untouched
    train.run("preview", "--expect-no-changes")
    train.run("destroy", "--yes", "--skip-preview")
    assert _live_deployments(emulator) == []
