"""A model keeps serving while its next version trains, exports and deploys, in both training modes.

The emulator's clock is frozen while a change is applied; a background thread moves it one simulated minute
at a time and, after each minute, lists the deployments through the API: every sample must find a RUNNING
deployment of the model, and after every run the stack outputs must name one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from types import TracebackType

import pytest
from modelstudio_emulator.lifecycle import DEPLOY_S

from tests.e2e.pulumi_project import PulumiProject
from tests.e2e.stack_models import product_shots, promotion

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SHORT = {"max_steps": 20, "eval_steps": 10, "max_token_length": "2k", "max_pixels": "2k", "val_img_size": "2k"}
"""368 simulated seconds of work: a 60 s data check and 20 steps of 15.4 s."""
RETRAINED = {**SHORT, "learning_rate": 1.0e-4}
FAST = 20000.0
TICK_S = 0.25
"""Real seconds between two simulated minutes while a change is applied."""
MODES = ("wait", "submit")


class Sampler:
    """Moves the frozen emulator clock a simulated minute at a time and records the RUNNING deployments."""

    def __init__(
        self, project: PulumiProject, serves: Callable[[str], bool], on_tick: Callable[[], None] | None = None
    ) -> None:
        """Sample the deployments `serves` accepts; call `on_tick` every half minute."""
        self.project, self.serves, self.on_tick = project, serves, on_tick
        self.samples: list[list[str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.error: BaseException | None = None

    def running(self) -> list[str]:
        """RUNNING deployments of the model, as the API lists them now."""
        answer = self.project.api("GET", "deployments?page_no=1&page_size=100")
        answer.raise_for_status()
        listed = answer.json()["output"]["deployments"]
        return sorted(
            d["deployed_model"] for d in listed if d["status"] == "RUNNING" and self.serves(d["deployed_model"])
        )

    def _run(self) -> None:
        try:
            while not self._stop.wait(TICK_S):
                for _half in range(2):  # `on_tick` sees every job while it is PENDING (its first 60 s)
                    if self.on_tick is not None:
                        self.on_tick()
                    self.project.emulator("clock", "POST", {"advance_seconds": 30})
                self.samples.append(self.running())
        except BaseException as exc:  # reported by __exit__
            self.error = exc

    def __enter__(self) -> Sampler:
        """Freeze the clock and start sampling."""
        self.project.emulator("clock", "POST", {"speed": 0})
        self._thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        """Stop sampling and let the clock run fast again."""
        self._stop.set()
        self._thread.join(timeout=30)
        self.project.emulator("clock", "POST", {"speed": FAST})
        if self.error is not None and exc[0] is None:
            raise self.error

    def assert_always_served(self) -> None:
        """Every sample found a RUNNING deployment of the model."""
        assert self.samples, "no sample was taken"
        gaps = [index for index, running in enumerate(self.samples) if not running]
        assert not gaps, f"no RUNNING deployment at simulated minutes {gaps} of {len(self.samples)}"


def _served_output(project: PulumiProject, stack: str) -> str:
    outputs = project.outputs(stack)
    if "promoted" in outputs:
        return str(outputs["promoted"]["product-shots"])
    return str(outputs["models"]["product-shots"]["deployed_model"])


def converge(project: PulumiProject, stack: str, sampler: Sampler | None = None, runs: int = 8) -> int:
    """`pulumi up --refresh` until a preview shows no changes and no model waits for training (in submit mode a
    preview has nothing to do while the job trains); after each run the outputs name a live deployment.

    A promoting stack runs without `--refresh`: it reads its own outputs through a StackReference, which a
    refresh would read while the same update writes them.
    """
    refresh = [] if stack == "prod" else ["--refresh"]
    for done in range(1, runs + 1):
        project.run("up", "--yes", "--skip-preview", *refresh, "--stack", stack)
        if sampler is not None:
            served = _served_output(project, stack)
            assert served in sampler.running(), f"run {done}: the stack outputs name {served}, which is not RUNNING"
        if _waiting_on_training(project, stack):
            continue
        if project.run("preview", "--expect-no-changes", "--stack", stack, check=False).returncode == 0:
            return done
    pytest.fail(f"stack {stack} did not converge in {runs} runs")


def _waiting_on_training(project: PulumiProject, stack: str) -> bool:
    """Whether a model of the stack still waits for its job (its deployable model is a `pending:` placeholder)."""
    models = project.outputs(stack).get("models") or {}
    return any(str(model.get("deployable_model", "")).startswith("pending:") for model in models.values())


def _running_before_deleted(project: PulumiProject, *, new: str, old: str) -> bool:
    """Whether `new` was RUNNING before `old` was deleted, in the emulator's simulated time (its records: a
    deployment runs DEPLOY_S after its creation; a deleted one was last modified when deleted). The samples above
    may miss a short overlap on a busy machine; the records do not."""
    records = {d["deployed_model"]: d for d in project.emulator("resources")["deployments"]}
    running_from = datetime.fromisoformat(records[new]["gmt_create"]).timestamp() + DEPLOY_S
    deleted_at = datetime.fromisoformat(records[old]["gmt_modified"]).timestamp()
    return bool(records[old]["deleted"]) and running_from <= deleted_at


def _job_creates(project: PulumiProject) -> int:
    return sum(1 for r in project.emulator("requests") if r["method"] == "POST" and r["path"].endswith("/fine-tunes"))


def _live_deployments(project: PulumiProject) -> list[str]:
    return sorted(d["deployed_model"] for d in project.live()["deployments"])


def _dev_serving(project: PulumiProject, mode: str) -> str:
    """Stack dev in training `mode`, converged on the short training: the deployment its outputs name."""
    project.emulator("clock", "POST", {"speed": FAST})
    project.init_stack("dev", {"models": [product_shots(hyperParameters=dict(SHORT))], "training": mode})
    converge(project, "dev")
    return _served_output(project, "dev")


@pytest.mark.parametrize("mode", MODES)
def test_the_previous_version_serves_until_the_next_one_runs(project: PulumiProject, mode: str) -> None:
    first = _dev_serving(project, mode)

    project.set_models("dev", [product_shots(hyperParameters=dict(RETRAINED))])
    preview = project.run("preview", "--diff", "--stack", "dev")
    assert f"{first} keeps serving" in preview.stdout + preview.stderr
    assert "both deployments run and are billed" in preview.stdout + preview.stderr
    with Sampler(project, serves=lambda _deployed: True) as sampler:
        runs = converge(project, "dev", sampler)
    sampler.assert_always_served()
    second = _served_output(project, "dev")
    assert second != first
    assert _running_before_deleted(project, new=second, old=first)  # the overlap: created first, then switched
    assert _live_deployments(project) == [second]  # the previous deployment is gone after the switch
    assert _job_creates(project) == 2
    if mode == "submit":
        assert runs >= 2  # the submitting run returned at once; a later one switched


@pytest.mark.parametrize("mode", MODES)
def test_a_failed_retrain_leaves_the_previous_version_serving(project: PulumiProject, mode: str) -> None:
    first = _dev_serving(project, mode)
    known = {j["job_id"] for j in project.live()["jobs"]}

    def fail_new_jobs() -> None:
        for job in project.live()["jobs"]:
            if job["job_id"] not in known and job["status"] == "PENDING":
                known.add(job["job_id"])
                body = {"code": "InternalError", "message": "training node lost"}
                project.emulator(f"fine-tunes/{job['job_id']}/fail", "POST", body)

    project.set_models("dev", [product_shots(hyperParameters=dict(RETRAINED))])
    with Sampler(project, serves=lambda _deployed: True, on_tick=fail_new_jobs) as sampler:
        changed = project.run("up", "--yes", "--skip-preview", "--stack", "dev", check=False)
        assert _served_output(project, "dev") == first
        if mode == "wait":
            assert changed.returncode != 0
            assert "ended FAILED (InternalError: training node lost)" in changed.stdout + changed.stderr
        else:
            assert changed.returncode == 0, changed.stdout + changed.stderr
            seen = project.run("preview", "--refresh", "--diff", "--stack", "dev")
            assert "ended FAILED (InternalError: training node lost)" in seen.stdout + seen.stderr
            assert "Last log lines" in seen.stdout + seen.stderr
        assert first in sampler.running()
    sampler.assert_always_served()
    assert all(running == [first] for running in sampler.samples)

    project.set_models("dev", [product_shots(hyperParameters=dict(SHORT))])  # revert
    converge(project, "dev")
    assert _served_output(project, "dev") == first
    assert _live_deployments(project) == [first]
    assert _job_creates(project) == 2  # the reverted declaration adopts its trained job: nothing trains again


def in_prod(deployed: str) -> bool:
    """A deployment of the prod stack (declared suffix `prod`)."""
    return deployed.endswith("-prod")


def test_prod_switches_versions_without_downtime_and_a_revert_trains_nothing(project: PulumiProject) -> None:
    project.emulator("clock", "POST", {"speed": FAST})
    project.init_stack("staging", {"models": [product_shots(hyperParameters=dict(SHORT))]})
    converge(project, "staging")
    project.init_stack("prod", promotion(suffix="prod"))
    converge(project, "prod")
    first = _served_output(project, "prod")

    project.set_models("staging", [product_shots(hyperParameters=dict(RETRAINED))])
    with Sampler(project, serves=in_prod) as sampler:
        converge(project, "staging")
        converge(project, "prod", sampler)
    sampler.assert_always_served()
    second = _served_output(project, "prod")
    assert second != first
    assert [d for d in _live_deployments(project) if in_prod(d)] == [second]
    trained = _job_creates(project)

    project.set_models("staging", [product_shots(hyperParameters=dict(SHORT))])  # revert
    with Sampler(project, serves=in_prod) as sampler:
        converge(project, "staging")
        converge(project, "prod", sampler)
    sampler.assert_always_served()
    assert _served_output(project, "prod") == first
    assert [d for d in _live_deployments(project) if in_prod(d)] == [first]
    assert _job_creates(project) == trained  # zero training requests
