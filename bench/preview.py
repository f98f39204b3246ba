"""`pulumi preview` with no changes: N LoraModels vs the same program whose providers do nothing."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.emulator_process import running_emulator
from bench.result import Result
from tests.e2e.pulumi_project import PulumiProject

__all__ = ["PREVIEW_RUNS", "preview_ratio"]

SPEED = 200000.0
TARGET = 1.10
PREVIEW_RUNS = 5
NOOP_PROVIDERS = '''
"""Providers that do nothing: what Pulumi and the host cost for the same program."""

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ResourceProvider


class NoopProvider(ResourceProvider):
    serialize_as_secret_always = False

    def __init__(self, owner=None):
        super().__init__()
        self._owner = owner.as_data() if owner is not None else None

    def check(self, olds, news):
        return CheckResult(dict(news), [])

    def diff(self, _id, olds, news):
        return DiffResult(changes=False, replaces=[], stables=[], delete_before_replace=False)

    def create(self, props):
        return CreateResult(f"noop-{props.get('resource_name')}", {k: v for k, v in props.items() if k != "__provider"})
'''
"""Constructed as ours are (with the resource's owner, kept in the pickled provider as ours keep it)."""
NOOP_SWAP = """
import noop_providers
import pulumi_modelstudio.resources.checkpoint_export
import pulumi_modelstudio.resources.dataset
import pulumi_modelstudio.resources.deployment
import pulumi_modelstudio.resources.fine_tune_job

pulumi_modelstudio.resources.dataset.DatasetProvider = noop_providers.NoopProvider
pulumi_modelstudio.resources.fine_tune_job.FineTuneJobProvider = noop_providers.NoopProvider
pulumi_modelstudio.resources.checkpoint_export.CheckpointExportProvider = noop_providers.NoopProvider
pulumi_modelstudio.resources.deployment.DeploymentProvider = noop_providers.NoopProvider
"""
"""Put at the top of the stack program: every resource keeps its declaration and properties, with a no-op
provider (pickled by reference to `noop_providers`, as ours are to `pulumi_modelstudio.resources.*`)."""


def _models(count: int) -> list[dict[str, object]]:
    return [
        {
            "name": f"model-{index}",
            "baseModel": "wan2.7-image-pro",
            "trainingData": "stacks/datasets/product-t2i",
            "validationData": "stacks/datasets/product-t2i-val",
            "hyperParameters": {"max_steps": 100, "eval_steps": 50},
            "exportCheckpoint": "latest",
            "deploy": {"capacity": 1},
        }
        for index in range(count)
    ]


def _time_previews(project: PulumiProject, stack: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.monotonic()
        project.run("preview", "--expect-no-changes", "--stack", stack)
        times.append(time.monotonic() - start)
    return times


def preview_ratio(count: int, runs: int = PREVIEW_RUNS) -> Result:
    """Deploy both stacks once, then time no-change previews alternately."""
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        root = Path(tmp)
        with running_emulator(root / "emulator", speed=SPEED, job_quota=10 * count) as api:
            base = api.removesuffix("/api/v1")
            ours = PulumiProject.create(root / "ours", emulator_url=base, api_url=api, time_scale=SPEED)
            ours.init_stack("bench", {"models": _models(count)})
            ours.up("bench")

            noop = PulumiProject.create(root / "noop", emulator_url=base, api_url=api, time_scale=SPEED)
            program = noop.root / "stacks" / "__main__.py"
            future = "from __future__ import annotations\n"
            program.write_text(program.read_text(encoding="utf-8").replace(future, future + NOOP_SWAP, 1))
            (noop.root / "stacks" / "noop_providers.py").write_text(NOOP_PROVIDERS, encoding="utf-8")
            noop.env["PYTHONPATH"] = str(noop.root / "stacks")  # where the host unpickles the no-op provider from
            noop.init_stack("bench", {"models": _models(count)})
            noop.up("bench")

            ours_times: list[float] = []
            noop_times: list[float] = []
            during_preview = 0
            for _ in range(runs):  # alternate, so drift on the machine hits both sides alike
                requests = len(httpx_get(f"{base}/_emulator/requests"))
                ours_times += _time_previews(ours, "bench", 1)
                during_preview = max(during_preview, len(httpx_get(f"{base}/_emulator/requests")) - requests)
                noop_times += _time_previews(noop, "bench", 1)
    ours_s, noop_s = statistics.median(ours_times), statistics.median(noop_times)
    ratio = ours_s / noop_s
    return Result(
        f"no-change preview, {count} LoraModels vs no-op resources",
        f"{ratio:.2f}x ({ours_s:.2f} s vs {noop_s:.2f} s, median of {runs})",
        f"<= {TARGET:.2f}x",
        ratio <= TARGET,
        [
            f"{count} LoraModels = {count * 5} dynamic resources (2 datasets, job, export, deployment each) plus "
            f"{count} components; the baseline is the same stack program (same resources, properties, outputs) "
            "with every provider swapped for one that does nothing; both are served by the same dynamic-provider "
            "host (the package's, which the project's Pulumi.yaml names), so the ratio is what our checks and "
            "diffs add to the engine's own floor",
            f"API requests made by any one of our no-change previews: {during_preview} (previews never call the "
            "API; dataset digests come from a cache keyed by path, size and mtime)",
            f"our previews (s): {', '.join(f'{t:.2f}' for t in ours_times)}; "
            f"no-op previews (s): {', '.join(f'{t:.2f}' for t in noop_times)}",
            f"Python {sys.version.split()[0]}, pulumi {_pulumi_version()}",
        ],
    )


def _pulumi_version() -> str:
    return subprocess.run(["pulumi", "version"], capture_output=True, text=True, check=False).stdout.strip()


def httpx_get(url: str) -> list[object]:
    """GET a JSON list."""
    data: list[object] = httpx.get(url, timeout=10).json()
    return data
