"""Reliability scenarios driven through the real Pulumi CLI; each returns the figures it measured."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pulumi_modelstudio.datasets.pack import pack_dataset

from tests.e2e.pulumi_project import API_KEY, PulumiProject
from tests.e2e.stack_models import product_shots
from tests.reliability.bad_inputs import ALL, BadInput, applied, crashed, shutdown_traceback, stack_config

MUTATING = ("POST", "PUT", "DELETE")
BAD_INPUT_TIMEOUT_S = 120.0
"""Each bad-input preview must end (fail) within this time; a hang counts as a failure."""

FAULT_MIX: list[dict[str, Any]] = [
    {"kind": "status", "status": 429, "rate": 0.045, "seed": 1},
    {"kind": "status", "status": 500, "rate": 0.045, "seed": 2},
    {"kind": "status", "status": 500, "rate": 0.045, "seed": 3, "when": "after"},
    {"kind": "status", "status": 503, "rate": 0.045, "seed": 4},
    {"kind": "reset", "rate": 0.03, "seed": 5},
    {"kind": "reset", "rate": 0.02, "seed": 6, "when": "after"},
    {"kind": "latency", "rate": 0.03, "latency_ms": 300, "seed": 7},
]
"""Each API request has about a 23% chance to fail, reset or stall; a third of failures land after it was applied."""


@dataclass
class Figures:
    """What one scenario measured."""

    name: str
    cases: int = 0
    failures: int = 0
    duplicates: int = 0
    leaks: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the report."""
        return asdict(self)


def _counts(project: PulumiProject) -> dict[str, int]:
    resources = project.emulator("resources")
    return {kind: len(resources[kind]) for kind in ("files", "jobs", "deployments")}


def _leaks(project: PulumiProject) -> int:
    return sum(len(items) for kind, items in project.live().items() if kind in ("files", "jobs", "deployments"))


def _retry(project: PulumiProject, args: list[str], attempts: int) -> int:
    """Run until it succeeds; return how many attempts failed."""
    output = ""
    for failed in range(attempts):
        proc = project.run(*args, check=False)
        if proc.returncode == 0:
            return failed
        output = f"{proc.stdout}\n{proc.stderr}"
        project.run("cancel", "--yes", "--stack", "dev", check=False)
    msg = f"pulumi {' '.join(args)} did not converge in {attempts} attempts; the last one printed:\n{output}"
    raise AssertionError(msg)


def faults(project: PulumiProject, cycles: int) -> Figures:
    """Full up/destroy cycles with ~20% mixed faults: converge, no duplicates, no leaks."""
    figures = Figures("faults", notes=[f"{len(FAULT_MIX)} fault rules, each request hit with a chance of about 23%"])
    start = time.monotonic()
    project.init_stack("dev", {"models": [product_shots()]})
    for rule in FAULT_MIX:
        project.emulator("faults", "POST", rule)
    for _ in range(cycles):
        before = _counts(project)
        figures.failures += _retry(project, ["up", "--yes", "--skip-preview", "--stack", "dev"], 6)
        after = _counts(project)
        expected = {"files": 2, "jobs": 1, "deployments": 1}
        figures.duplicates += sum(max(0, after[k] - before[k] - expected[k]) for k in expected)
        figures.failures += _retry(project, ["destroy", "--yes", "--skip-preview", "--stack", "dev"], 6)
        figures.leaks += _leaks(project)
        figures.cases += 1
    faulted = [r for r in project.emulator("requests") if r.get("fault")]
    figures.notes.append(f"{len(faulted)} of {len(project.emulator('requests'))} API requests were faulted")
    project.emulator("faults", "DELETE")
    figures.seconds = time.monotonic() - start
    return figures


LONG_MODEL = product_shots(
    hyperParameters={
        "max_steps": 4000,
        "eval_steps": 1000,
        "max_token_length": "2k",
        "max_pixels": "2k",
        "val_img_size": "2k",
    }
)
"""Trains for about three real seconds at the test speed, so a crash can land while it waits."""

CRASH_POINTS: dict[str, Callable[[list[dict[str, Any]]], bool]] = {
    "after upload": lambda log: any(r["method"] == "POST" and r["path"].endswith("/files") for r in log),
    "after job submit": lambda log: any(r["method"] == "POST" and r["path"].endswith("/fine-tunes") for r in log),
    "while waiting": lambda log: sum(r["method"] == "GET" and "/fine-tunes/ft-" in r["path"] for r in log) >= 3,
    "after export": lambda log: any("/export/" in r["path"] for r in log),
    "during deploy": lambda log: any(r["method"] == "POST" and r["path"].endswith("/deployments") for r in log),
}
"""Kill `pulumi up` (SIGKILL, whole process group) as soon as the request log shows this."""


def _kill_when(project: PulumiProject, trigger: Callable[[list[dict[str, Any]]], bool]) -> bool:
    proc = project.start(
        "up", "--yes", "--skip-preview", "--stack", "dev",
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if trigger(project.emulator("requests")):
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return True
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return False


def crashes(project: PulumiProject, points: list[str] | None = None) -> Figures:
    """Kill `pulumi up` at distinct points; the next up converges without a second training job."""
    figures = Figures("crashes")
    start = time.monotonic()
    for index, point in enumerate(points or list(CRASH_POINTS)):
        stack = "dev"
        project.emulator("reset", "POST")
        if index == 0:
            project.init_stack(stack, {"models": [LONG_MODEL]})
        killed = _kill_when(project, CRASH_POINTS[point])
        project.run("cancel", "--yes", "--stack", stack, check=False)
        failed = _retry(project, ["up", "--yes", "--skip-preview", "--stack", stack], 3)
        preview = project.run("preview", "--refresh", "--expect-no-changes", "--stack", stack, check=False)
        clean = preview.returncode == 0
        totals = _counts(project)
        figures.cases += 1
        figures.failures += failed + (0 if clean else 1) + (0 if killed else 1)
        figures.duplicates += max(0, totals["jobs"] - 1) + max(0, totals["files"] - 2)
        figures.duplicates += max(0, totals["deployments"] - 1)
        project.run("destroy", "--yes", "--skip-preview", "--stack", stack)
        figures.leaks += _leaks(project)
        figures.notes.append(f"{point}: killed={killed}, jobs trained={totals['jobs']}, clean preview={clean}")
    figures.seconds = time.monotonic() - start
    return figures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_emulator(port: int, data: Path, speed: float) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "modelstudio_emulator", "--port", str(port), "--data", str(data), "--speed", str(speed)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/_emulator/health", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    msg = "emulator did not start"
    raise RuntimeError(msg)


def emulator_restart(root: Path) -> Figures:
    """Kill the emulator mid-training and start it again on the same data: the up still converges."""
    figures = Figures("emulator restart")
    start = time.monotonic()
    port, data = _free_port(), root / "emulator-data"
    emulator = _start_emulator(port, data, 2000)
    url = f"http://127.0.0.1:{port}"
    project = PulumiProject.create(root, emulator_url=url, api_url=f"{url}/api/v1", time_scale=2000)
    try:
        project.init_stack("dev", {"models": [product_shots()]})
        up = project.start(
            "up", "--yes", "--skip-preview", "--stack", "dev", stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        while not any(j["status"] == "RUNNING" for j in project.emulator("resources")["jobs"]):
            time.sleep(0.05)
        before = project.emulator("resources")["jobs"][0]
        emulator.kill()
        emulator.wait()
        time.sleep(1.0)
        emulator = _start_emulator(port, data, 2000)
        output, _ = up.communicate(timeout=300)
        after = project.emulator("resources")["jobs"]
        figures.cases = 1
        figures.failures = 0 if up.returncode == 0 else 1
        figures.duplicates = max(0, len(after) - 1)
        same_job = after[0]["job_id"] == before["job_id"] and after[0]["create_time"] == before["create_time"]
        figures.notes.append(f"job kept its id and create_time across the restart: {same_job}")
        figures.notes.append(f"final status {after[0]['status']}, up exit code {up.returncode}")
        if up.returncode != 0:
            figures.notes.append(output[-2000:])
        project.run("destroy", "--yes", "--skip-preview", "--stack", "dev")
        figures.leaks = _leaks(project)
    finally:
        emulator.kill()
        emulator.wait()
    figures.seconds = time.monotonic() - start
    return figures


def mutating_calls(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The requests of an emulator's log that change anything (or export a checkpoint)."""
    return [r for r in requests if r["method"] in MUTATING or "/export/" in r["path"]]


def bad_inputs(project: PulumiProject, root: Path, cases: list[BadInput] | None = None) -> Figures:
    """Every malformed input fails at preview naming the file or field and the fix; nothing is sent."""
    figures = Figures("bad input")
    start = time.monotonic()
    project.init_stack("bad", {})
    interrupted = 0
    for case in ALL if cases is None else cases:
        folder = root / case.ident
        folder.mkdir(parents=True)
        project.set_lora("bad", stack_config(case, folder))
        figures.cases += 1
        with applied(case, project.root, "bad"):
            try:
                proc = project.run("preview", "--stack", "bad", check=False, timeout=BAD_INPUT_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                figures.failures += 1
                figures.notes.append(f"{case.ident}: preview still running after {BAD_INPUT_TIMEOUT_S:.0f} s")
                continue
        output = proc.stdout + proc.stderr
        missing = case.missing_from(output)
        mutating = mutating_calls(project.emulator("requests"))
        if proc.returncode == 0 or missing or crashed(output):
            figures.failures += 1
            figures.notes.append(f"{case.ident}: exit {proc.returncode}, missing {missing}: {output[-600:]}")
        interrupted += shutdown_traceback(output)
        if mutating:
            figures.leaks += len(mutating)
            figures.notes.append(f"{case.ident}: mutating calls {mutating}")
    if interrupted:
        figures.notes.append(
            f"{interrupted} of {figures.cases} previews also printed the program's traceback of the engine "
            "interrupting it after the failure ('Resource monitor has terminated'); none went through our code"
        )
    figures.seconds = time.monotonic() - start
    return figures


def secrets(project: PulumiProject) -> Figures:
    """The API key never appears in state, CLI output, error messages or the uploaded zip."""
    figures = Figures("secrets")
    start = time.monotonic()
    project.init_stack("dev", {"models": [product_shots()]})
    up = project.up("dev")
    places = {
        "up output": up.stdout + up.stderr,
        "state": project.export_state("dev"),
        "stack outputs": json.dumps(project.outputs("dev")),
        "preview --diff": project.run("preview", "--diff", "--stack", "dev").stdout,
    }
    decrypted = json.loads(project.export_state("dev", show_secrets=True))
    places["our resources (decrypted)"] = json.dumps(
        [r for r in decrypted["deployment"]["resources"] if not r["type"].startswith("pulumi:providers:")]
    )
    with tempfile.TemporaryDirectory() as tmp:
        packed = pack_dataset(project.root / "stacks" / "datasets" / "product-t2i", Path(tmp) / "d.zip")
        places["packed zip"] = packed.path.read_bytes().decode("latin-1")
    project.run("config", "set", "--secret", "modelstudio:apiKey", "sk-intl-wrong-region-key", "--stack", "dev")
    project.set_models("dev", [product_shots(deploy={"capacity": 1, "suffix": "k"})])  # a change that calls the API
    wrong = project.run("up", "--yes", "--skip-preview", "--stack", "dev", check=False)
    places["401 error"] = wrong.stdout + wrong.stderr
    for place, text in places.items():
        figures.cases += 1
        for key in (API_KEY, "sk-intl-wrong-region-key"):
            if key in text:
                figures.leaks += 1
                figures.notes.append(f"key found in {place}")
    if "InvalidApiKey" not in places["401 error"] or "region" not in places["401 error"]:
        figures.failures += 1
        figures.notes.append("the 401 error does not say to check the key's region")
    project.run("config", "set", "--secret", "modelstudio:apiKey", API_KEY, "--stack", "dev")
    project.up("dev")  # the engine keeps provider config from the last update; refresh it before destroy
    project.run("destroy", "--yes", "--skip-preview", "--stack", "dev")
    figures.seconds = time.monotonic() - start
    return figures


def _up_while_queued(project: PulumiProject, blocking: str) -> str:
    """`pulumi up` of dev while `blocking` trains: once the run has seen its own job queued twice, the blocker's
    hours pass at once (instead of ~25 real seconds); returns the run's output."""
    run = project.start(
        "up", "--yes", "--skip-preview", "--stack", "dev", stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 120
    while run.poll() is None and time.monotonic() < deadline:
        polls = [
            r for r in project.emulator("requests")
            if r["method"] == "GET" and "/fine-tunes/ft-" in r["path"] and blocking not in r["path"]
        ]  # fmt: skip
        if len(polls) >= 2:
            break
        time.sleep(0.1)
    project.emulator("clock", "POST", {"advance_seconds": 10**5})
    output, _ = run.communicate(timeout=300)
    return str(output)


def _api(project: PulumiProject, method: str, path: str, body: Any = None) -> dict[str, Any]:
    response = project.api(method, path, body)
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def quotas(project: PulumiProject) -> Figures:
    """QUEUING is explained while waiting; the 20-job 429 names the quota and what to do."""
    figures = Figures("quotas")
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        packed = pack_dataset(project.root / "stacks" / "datasets" / "product-t2i", Path(tmp) / "q.zip")
        with packed.path.open("rb") as stream:
            upload = httpx.post(
                f"{project.api_url}/files",
                files={"files": ("q.zip", stream)},
                headers={"Authorization": f"Bearer {API_KEY}"},
                timeout=30,
            ).json()
    file_id = upload["data"]["uploaded_files"][0]["file_id"]
    blocker: dict[str, Any] = {
        "model": "wan2.7-image",
        "training_file_ids": [file_id],
        "hyper_parameters": {"generation_type": "t2i", "max_steps": 300},
    }
    project.init_stack("dev", {"models": [product_shots()]})
    blocker["hyper_parameters"]["max_steps"] = 8000  # trains for ~25 real seconds at 5000x: still training when
    blocking = _api(project, "POST", "fine-tunes", blocker)["output"]["job_id"]  # the up below submits its job
    project.emulator("clock", "POST", {"advance_seconds": 61})
    project.emulator("clock", "POST", {"speed": 5000})
    blocker["hyper_parameters"]["max_steps"] = 300
    queued = _up_while_queued(project, blocking)
    figures.cases += 1
    if "QUEUING (another job of this account is training" not in queued:
        figures.failures += 1
        figures.notes.append("QUEUING was not explained in the up output")
    project.run("destroy", "--yes", "--skip-preview", "--stack", "dev")
    project.emulator("clock", "POST", {"speed": 20000})
    for _ in range(20):
        _api(project, "POST", "fine-tunes", blocker)
    project.emulator("clock", "POST", {"advance_seconds": 10**6})
    limited = project.run("up", "--yes", "--skip-preview", "--stack", "dev", check=False)
    text = limited.stdout + limited.stderr
    figures.cases += 1
    if limited.returncode == 0 or "429 Throttling" not in text or "20 jobs may be running or succeeded" not in text:
        figures.failures += 1
        figures.notes.append(f"the quota error is unclear: {text[-800:]}")
    figures.duplicates = max(0, len(project.emulator("resources")["jobs"]) - 22)
    figures.seconds = time.monotonic() - start
    return figures
