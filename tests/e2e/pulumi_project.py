"""A throwaway copy of the project driven by the real `pulumi` CLI against a live emulator."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from pulumi_modelstudio.core.bookkeeping import SECRET_SIG

from tests.e2e.engine_only import isolated_env
from tests.e2e.vault_transit import SECRETS_PROVIDER, vault_env
from tests.processes import run_captured

REPO = Path(__file__).resolve().parents[2]
API_KEY = "sk-e2e-secret-0123456789"
_SECRET_KEY: dict[str, str] = {}
"""The wrapped data key (`encryptedkey`) and the ciphertext of API_KEY (`apiKey`) of the first stack made in this
process, which later stacks reuse."""


def _fresh_copy(dest: Path) -> None:
    """Copy Pulumi.yaml and the stack program (with its datasets) into `dest`, pinning the venv and the host."""
    dest.mkdir(parents=True, exist_ok=True)
    project = yaml.safe_load((REPO / "Pulumi.yaml").read_text(encoding="utf-8"))
    project["runtime"]["options"]["virtualenv"] = sys.prefix
    for plugin in project.get("plugins", {}).get("providers", []):
        if plugin["name"] == "pulumi-python":
            plugin["path"] = str(REPO / "scripts" / "hosts")
    (dest / "Pulumi.yaml").write_text(yaml.safe_dump(project), encoding="utf-8")
    shutil.copytree(
        REPO / "stacks",
        dest / "stacks",
        ignore=shutil.ignore_patterns("Pulumi.*.yaml", "__pycache__", ".state"),
    )


@dataclass
class PulumiProject:
    """One project copy with its own file backend; every call runs the real CLI."""

    root: Path
    emulator_url: str
    api_url: str
    time_scale: float
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, root: Path, *, emulator_url: str, api_url: str, time_scale: float) -> PulumiProject:
        """Lay out the copy and an isolated environment (backend, passphrase, caches)."""
        _fresh_copy(root / "project")
        env = isolated_env(
            root / "backend",
            ("DASHSCOPE_", "MODELSTUDIO_"),
            XDG_CACHE_HOME=str(root / "cache"),
            PYTHONUNBUFFERED="1",
            **vault_env(),
        )
        env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)
        (root / "backend").mkdir(parents=True, exist_ok=True)
        return cls(root / "project", emulator_url, api_url, time_scale, env)

    def run(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run `pulumi ARGS` in the project; on failure the assertion shows the full output."""
        proc = run_captured(["pulumi", *args, "--non-interactive"], cwd=self.root, env=self.env, timeout=timeout)
        if check and proc.returncode != 0:
            msg = f"pulumi {' '.join(args)} exited {proc.returncode}\n--- stdout\n{proc.stdout}"
            msg += f"\n--- stderr\n{proc.stderr}"
            raise AssertionError(msg)
        return proc

    def modelstudio(self, *args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `modelstudio ARGS` in the project with this stack's backend and the emulator as the API."""
        env = dict(self.env, DASHSCOPE_API_KEY=API_KEY, DASHSCOPE_HTTP_BASE_URL=self.api_url)
        proc = subprocess.run(
            ["modelstudio", *args], cwd=self.root, env=env, input=input, capture_output=True, text=True, check=False
        )
        if check and proc.returncode != 0:
            msg = f"modelstudio {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
            raise AssertionError(msg)
        return proc

    def start(self, *args: str, **popen: Any) -> subprocess.Popen[str]:
        """Start `pulumi ARGS` in the project without waiting (for tests that kill or race it)."""
        return subprocess.Popen(["pulumi", *args, "--non-interactive"], cwd=self.root, env=self.env, text=True, **popen)

    def init_stack(self, stack: str, lora: dict[str, Any]) -> None:
        """Create `stack` pointed at the emulator, with the key as a secret and `lora:*` config.

        Its secrets are kept by Pulumi's cloud secrets manager with a local Vault transit server as the key
        service (tests/e2e/vault_transit.py says why). The first stack gets its key with `pulumi config set
        --secret`; later ones reuse that stack's wrapped data key and ciphertext, as a copied stack config file
        does, which saves a CLI run per stack.
        """
        config: dict[str, Any] = {"modelstudio:endpoint": self.api_url}  # the speed is read from the emulator
        config.update({f"lora:{k}": v for k, v in lora.items()})
        path = self.root / "stacks" / f"Pulumi.{stack}.yaml"
        data: dict[str, Any] = {"config": config}
        if _SECRET_KEY:
            data["secretsprovider"], data["encryptedkey"] = SECRETS_PROVIDER, _SECRET_KEY["encryptedkey"]
            config["modelstudio:apiKey"] = {"secure": _SECRET_KEY["apiKey"]}
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        self.run("stack", "init", stack, "--secrets-provider", SECRETS_PROVIDER)
        if not _SECRET_KEY:
            self.run("config", "set", "--secret", "modelstudio:apiKey", API_KEY, "--stack", stack)
            written = yaml.safe_load(path.read_text(encoding="utf-8"))
            _SECRET_KEY["encryptedkey"] = written["encryptedkey"]
            _SECRET_KEY["apiKey"] = written["config"]["modelstudio:apiKey"]["secure"]

    def set_models(self, stack: str, models: list[dict[str, Any]]) -> None:
        """Rewrite `lora:models` of `stack`, keeping the rest of its config."""
        path = self.root / "stacks" / f"Pulumi.{stack}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["config"]["lora:models"] = models
        path.write_text(yaml.safe_dump(data), encoding="utf-8")

    def set_lora(self, stack: str, lora: dict[str, Any]) -> None:
        """Replace every `lora:*` key of `stack` (the key and other settings stay)."""
        path = self.root / "stacks" / f"Pulumi.{stack}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        config = {k: v for k, v in data["config"].items() if not k.startswith("lora:")}
        config.update({f"lora:{k}": v for k, v in lora.items()})
        data["config"] = config
        path.write_text(yaml.safe_dump(data), encoding="utf-8")

    def up(self, stack: str) -> subprocess.CompletedProcess[str]:
        """`pulumi up --yes` with the diff shown."""
        return self.run("up", "--yes", "--skip-preview", "--diff", "--stack", stack)

    def preview_json(self, stack: str) -> dict[str, Any]:
        """`pulumi preview --json`, parsed."""
        proc = self.run("preview", "--json", "--diff", "--stack", stack)
        result: dict[str, Any] = json.loads(proc.stdout)
        return result

    def outputs(self, stack: str) -> dict[str, Any]:
        """Stack outputs, secrets shown (read from the state file unless one is a secret)."""
        for resource in (self._checkpoint(stack) or {}).get("resources") or []:
            if resource["type"] == "pulumi:pulumi:Stack" and SECRET_SIG not in json.dumps(resource.get("outputs")):
                return dict(resource.get("outputs") or {})
        proc = self.run("stack", "output", "--json", "--show-secrets", "--stack", stack)
        result: dict[str, Any] = json.loads(proc.stdout)
        return result

    def export_state(self, stack: str, *, show_secrets: bool = False) -> str:
        """The exported state (secrets decrypted only when asked, through `pulumi stack export`)."""
        latest = None if show_secrets else self._checkpoint(stack)
        if latest is None:
            extra = ["--show-secrets"] if show_secrets else []
            return self.run("stack", "export", *extra, "--stack", stack).stdout
        return json.dumps({"version": 3, "deployment": latest})

    def _checkpoint(self, stack: str) -> dict[str, Any] | None:
        """The stack's latest deployment as a file backend holds it: what `pulumi stack export` prints, without
        starting the CLI (about 0.3 s of CPU each, many times a test); None on another backend."""
        url = self.env["PULUMI_BACKEND_URL"]
        if not url.startswith("file://"):
            return None
        project = yaml.safe_load((self.root / "Pulumi.yaml").read_text(encoding="utf-8"))["name"]
        backend = Path(url.removeprefix("file://"))
        path = backend / ".pulumi" / "stacks" / project / f"{stack}.json"
        latest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["checkpoint"].get("latest") or {}
        return latest

    def emulator(self, path: str, method: str = "GET", body: Any = None) -> Any:
        """Call a `/_emulator/` control endpoint."""
        response = httpx.request(method, f"{self.emulator_url}/_emulator/{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def api(self, method: str, path: str, body: Any = None) -> httpx.Response:
        """Call the emulated API directly (an out-of-band change)."""
        return httpx.request(
            method,
            f"{self.api_url}/{path}",
            json=body,
            headers={"Authorization": f"Bearer {API_KEY}"},
            timeout=30,
        )

    def live(self) -> dict[str, list[dict[str, Any]]]:
        """Emulator resources that still exist, by kind."""
        resources = self.emulator("resources")
        return {kind: [r for r in items if not r.get("deleted")] for kind, items in resources.items()}


def steps_by_type(preview: dict[str, Any]) -> dict[str, list[str]]:
    """Map resource type -> the step ops the preview planned for it (ignoring `same`)."""
    ops: dict[str, list[str]] = {}
    for step in preview.get("steps", []):
        if step.get("op") == "same":
            continue
        kind = step.get("urn", "").split("::")[2] if "::" in step.get("urn", "") else "?"
        ops.setdefault(kind, []).append(step["op"])
    return ops
