"""Automation API programs of the TypeScript and Go SDKs (tests/e2e/sdk_programs/), driven step by step."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.engine_only import files_stay_for_kept_jobs, isolated_env

REPO = Path(__file__).resolve().parents[2]
PROGRAMS = REPO / "tests" / "e2e" / "sdk_programs"
TOOLCHAIN = REPO / ".state" / "sdk-toolchain.json"
API_KEY = "sk-e2e-secret-0123456789"
STACK = "dev"


def toolchain() -> dict[str, str | None]:
    """Paths written by `scripts/setup.sh --for-tests` (node, node_modules); a missing one is None."""
    if not TOOLCHAIN.is_file():
        return {}
    data: dict[str, str | None] = json.loads(TOOLCHAIN.read_text(encoding="utf-8"))
    return data


def require_plugin_and_cli() -> None:
    """Skip unless the pulumi CLI and the provider plugin are on PATH (scripts/env.sh puts both there)."""
    if shutil.which("pulumi") is None:
        pytest.skip("the pulumi CLI is not on PATH; run `make test` (it builds and exports it)")
    if shutil.which("pulumi-resource-modelstudio") is None:
        pytest.skip("the provider plugin pulumi-resource-modelstudio is not on PATH; run `make test`")


def run_checked(argv: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    """Run `argv`; its stdout, or an assertion with the whole output when it fails."""
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        msg = f"{' '.join(argv)} exited {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        raise AssertionError(msg)
    return proc.stdout


@dataclass
class SdkProgram:
    """One compiled lifecycle program with its own project folder, backend and emulator."""

    argv: list[str]
    workdir: Path
    env: dict[str, str]

    @classmethod
    def create(cls, argv: list[str], root: Path, *, api_url: str) -> SdkProgram:
        """A project folder holding the example datasets, a file backend and an isolated environment."""
        workdir = root / "project"
        shutil.copytree(REPO / "stacks" / "datasets", workdir / "datasets")
        (root / "backend").mkdir()
        env = isolated_env(
            root / "backend",
            ("DASHSCOPE_", "MODELSTUDIO_", "PULUMI_"),
            XDG_CACHE_HOME=str(root / "cache"),
            MODELSTUDIO_E2E_WORKDIR=str(workdir),
            MODELSTUDIO_E2E_STACK=STACK,
            MODELSTUDIO_E2E_ENDPOINT=api_url,
            MODELSTUDIO_E2E_API_KEY=API_KEY,
        )
        return cls(argv, workdir, env)

    def step(self, name: str) -> dict[str, Any]:
        """Run `up`, `update` or `destroy`; the program's JSON result."""
        result: dict[str, Any] = json.loads(run_checked([*self.argv, name], cwd=self.workdir, env=self.env))
        return result

    def exported_state(self, *, show_secrets: bool = False) -> str:
        """`pulumi stack export` of the program's stack (secrets decrypted only when asked)."""
        extra = ["--show-secrets"] if show_secrets else []
        argv = ["pulumi", "stack", "export", "--stack", STACK, *extra, "--non-interactive"]
        return run_checked(argv, cwd=self.workdir, env=self.env)


def assert_program_lifecycle(argv: list[str], emulator: Any, root: Path) -> None:
    """The compiled Automation API program `argv` goes through `assert_lifecycle` in a project folder under `root`."""
    require_plugin_and_cli()
    assert_lifecycle(SdkProgram.create(argv, root, api_url=emulator.api_url), emulator)


def project_program(language: str, emulator: Any, root: Path) -> SdkProgram:
    """A project folder under `root` holding the example datasets and the program of sdk_programs/`language`."""
    program = SdkProgram.create([], root, api_url=emulator.api_url)
    shutil.copytree(PROGRAMS / language, program.workdir, dirs_exist_ok=True)
    return program


def assert_api_key_is_ciphertext(program: SdkProgram) -> None:
    """The key is in state only as the provider's encrypted config, never in plaintext or in a resource."""
    exported = program.exported_state()
    assert API_KEY not in exported
    providers = [
        r for r in json.loads(exported)["deployment"]["resources"] if r["type"] == "pulumi:providers:modelstudio"
    ]
    assert providers, "no modelstudio provider in state"
    for provider in providers:
        secret = provider["inputs"]["apiKey"]
        assert isinstance(secret, dict), secret
        assert "ciphertext" in secret, secret
    decrypted = json.loads(program.exported_state(show_secrets=True))
    for resource in decrypted["deployment"]["resources"]:
        if not resource["type"].startswith("pulumi:providers:"):
            assert API_KEY not in json.dumps(resource), resource["urn"]


def live_resources(emulator: Any) -> dict[str, list[dict[str, Any]]]:
    """Emulator resources that still exist, by kind."""
    resources = emulator.control("resources")
    return {kind: [r for r in items if not r.get("deleted")] for kind, items in resources.items()}


def assert_lifecycle(program: SdkProgram, emulator: Any) -> None:
    """up creates the chain and the component, update changes two jobs in place, destroy leaves nothing."""
    up = program.step("up")
    assert up["changes"] == {"create": 9}, up
    outputs = up["outputs"]
    assert outputs["jobStatus"] == "SUCCEEDED"
    assert outputs["deployableModel"].endswith("-c800")
    assert outputs["deployedModel"].startswith(f"{outputs['deployableModel']}-")
    assert outputs["deploymentStatus"] == "RUNNING"
    assert outputs["estimatedCostCny"] == pytest.approx(14860.8)
    assert outputs["componentStatus"] == "SUCCEEDED"
    resources = live_resources(emulator)
    assert len(resources["files"]) == 3
    assert sorted(j["status"] for j in resources["jobs"]) == ["SUCCEEDED", "SUCCEEDED"]
    assert [d["status"] for d in resources["deployments"]] == ["RUNNING"]
    assert_api_key_is_ciphertext(program)

    update = program.step("update")  # a longer training deadline: an in-place update, nothing retrained
    assert update["changes"] == {"same": 7, "update": 2}, update
    assert update["outputs"] == outputs
    assert len(live_resources(emulator)["jobs"]) == 2
    assert_api_key_is_ciphertext(program)

    destroyed = program.step("destroy")
    assert destroyed["changes"] == {"delete": 9}, destroyed
    left = live_resources(emulator)
    if not files_stay_for_kept_jobs(emulator.control("compat")):
        assert left["files"] == []
    assert left["deployments"] == []
    if emulator.control("compat").get("finished_job_delete", "allow") == "refuse":
        assert [j["status"] for j in left["jobs"]] == ["SUCCEEDED", "SUCCEEDED"]  # the service keeps finished jobs
    else:
        assert left["jobs"] == []


def host_available(language: str, path: str | None = None) -> bool:
    """Whether `pulumi` can find `pulumi-language-<language>` (on PATH or next to the CLI, as setup builds it)."""
    name = f"pulumi-language-{language}"
    if shutil.which(name, path=path) is not None:
        return True
    cli = shutil.which("pulumi", path=path)
    return cli is not None and (Path(cli).resolve().parent / name).is_file()


def assert_project_lifecycle(program: SdkProgram, emulator: Any, env: dict[str, str]) -> None:
    """`pulumi up` of the project in the program's folder creates the chain, a config change updates the job in
    place, destroy removes it; the key stays ciphertext."""

    def pulumi(*args: str) -> str:
        return run_checked(["pulumi", *args, "--non-interactive"], cwd=program.workdir, env=env)

    pulumi("stack", "init", STACK)
    pulumi("config", "set", "modelstudio:endpoint", program.env["MODELSTUDIO_E2E_ENDPOINT"])
    pulumi("config", "set", "--secret", "modelstudio:apiKey", API_KEY)
    pulumi("up", "--yes", "--skip-preview")
    outputs = json.loads(pulumi("stack", "output", "--json"))
    assert outputs["jobStatus"] == "SUCCEEDED"
    assert outputs["deployedModel"].startswith(f"{outputs['deployableModel']}-")
    assert outputs["estimatedCostCny"] == pytest.approx(14860.8)
    assert [d["status"] for d in live_resources(emulator)["deployments"]] == ["RUNNING"]
    assert_api_key_is_ciphertext(program)

    pulumi("config", "set", "e2e:timeoutMinutes", "720")  # a longer deadline: the job is updated in place
    pulumi("up", "--yes", "--skip-preview")
    assert json.loads(pulumi("stack", "output", "--json")) == outputs
    live = live_resources(emulator)
    assert len(live["jobs"]) == 1  # nothing retrained
    assert [d["status"] for d in live["deployments"]] == ["RUNNING"]
    assert_api_key_is_ciphertext(program)

    pulumi("destroy", "--yes", "--skip-preview")
    left = live_resources(emulator)
    if not files_stay_for_kept_jobs(emulator.control("compat")):
        assert left["files"] == []
    assert left["deployments"] == []
