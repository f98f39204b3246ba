"""`pulumi preview` with no changes: N LoraModels vs the same shape built from no-op dynamic resources."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

from bench.emulator_process import running_emulator
from bench.result import Result
from tests.e2e.pulumi_project import PulumiProject

__all__ = ["preview_ratio"]

SPEED = 200000.0
TARGET = 1.10
NOOP_PROGRAM = '''
"""The same resource shape as the LoraModel stack, built from dynamic resources that do nothing."""

import pickle

import pulumi
import pulumi.dynamic.dynamic as sdk_dynamic
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider

# The same fix the package applies: the SDK wraps the pickler once more on every serialization.
_ITEMS, _serialize = pickle._Pickler._batch_setitems, sdk_dynamic.serialize_provider


def _flat(provider):
    pickle._Pickler._batch_setitems = _ITEMS
    return _serialize(provider)


sdk_dynamic.serialize_provider = _flat


class Noop(ResourceProvider):
    def create(self, props):
        return CreateResult(f"{props['name']}-id", dict(props))

    def diff(self, _id, olds, news):
        keys = [k for k in news if k != "__provider" and olds.get(k) != news.get(k)]
        return DiffResult(changes=bool(keys), replaces=keys)


class Thing(Resource):
    def __init__(self, name, props, opts=None):
        super().__init__(Noop(), name, {"name": name, **props}, opts)


class Bundle(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("bench:index:Bundle", name)
        child = pulumi.ResourceOptions(parent=self)
        train = Thing(f"{name}-train", {"source": "stacks/datasets/product-t2i", "generation_type": "t2i",
                                        "role": "training", "sha256": "0" * 64, "image_count": 30}, child)
        val = Thing(f"{name}-val", {"source": "stacks/datasets/product-t2i-val", "generation_type": "t2i",
                                    "role": "validation", "sha256": "1" * 64, "image_count": 0}, child)
        job = Thing(f"{name}-job", {"model": "wan2.7-image-pro", "training_file_ids": [train.id],
                                    "validation_file_ids": [val.id],
                                    "hyper_parameters": {"max_steps": 100, "generation_type": "t2i"}}, child)
        export = Thing(f"{name}-export", {"job_id": job.id, "checkpoint": "latest"}, child)
        Thing(f"{name}-deploy", {"model_name": export.id, "capacity": 1, "plan": "lora"}, child)


for index in range(COUNT):
    Bundle(f"model-{index}")
'''


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


def _use_pulumis_own_host(project: PulumiProject) -> None:
    """The baseline runs on the engine's own dynamic-provider plugin (`python -m pulumi.dynamic`)."""
    path = project.root / "Pulumi.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings.pop("plugins", None)
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    venv_bin = str(Path(sys.prefix) / "bin")  # nor from PATH, where the package's host would be found first
    project.env["PATH"] = os.pathsep.join(p for p in project.env["PATH"].split(os.pathsep) if p != venv_bin)


def _time_previews(project: PulumiProject, stack: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.monotonic()
        project.run("preview", "--expect-no-changes", "--stack", stack)
        times.append(time.monotonic() - start)
    return times


def preview_ratio(count: int, runs: int = 5) -> Result:
    """Deploy both stacks once, then time no-change previews alternately."""
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        root = Path(tmp)
        with running_emulator(root / "emulator", speed=SPEED, job_quota=10 * count) as api:
            base = api.removesuffix("/api/v1")
            ours = PulumiProject.create(root / "ours", emulator_url=base, api_url=api, time_scale=SPEED)
            ours.init_stack("bench", {"models": _models(count)})
            ours.up("bench")

            noop = PulumiProject.create(root / "noop", emulator_url=base, api_url=api, time_scale=SPEED)
            _use_pulumis_own_host(noop)
            (noop.root / "stacks" / "__main__.py").write_text(NOOP_PROGRAM.replace("COUNT", str(count)))
            (noop.root / "stacks" / "Pulumi.bench.yaml").write_text(yaml.safe_dump({"config": {}}))
            noop.run("stack", "init", "bench")
            noop.up("bench")

            ours_times: list[float] = []
            noop_times: list[float] = []
            for _ in range(runs):  # alternate, so drift on the machine hits both sides alike
                ours_times += _time_previews(ours, "bench", 1)
                noop_times += _time_previews(noop, "bench", 1)
            requests = len(httpx_get(f"{base}/_emulator/requests"))
            ours.run("preview", "--expect-no-changes", "--stack", "bench")
            during_preview = len(httpx_get(f"{base}/_emulator/requests")) - requests
    ours_s, noop_s = statistics.median(ours_times), statistics.median(noop_times)
    ratio = ours_s / noop_s
    return Result(
        f"no-change preview, {count} LoraModels vs no-op resources",
        f"{ratio:.2f}x ({ours_s:.2f} s vs {noop_s:.2f} s, median of {runs})",
        f"<= {TARGET:.2f}x",
        ratio <= TARGET,
        [
            f"{count} LoraModels = {count * 5} dynamic resources (2 datasets, job, export, deployment each) plus "
            f"{count} components, against a program with the same components and resources whose provider does "
            "nothing, served by Pulumi's own dynamic-provider host (`python -m pulumi.dynamic`); ours runs on the "
            "package's host",
            f"API requests made by one no-change preview: {during_preview} (previews never call the API; dataset "
            "digests come from a cache keyed by path, size and mtime)",
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
