"""A deployment keeps serving while the next version of its model trains, then switches without downtime."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from pulumi_modelstudio.client import ModelStudioClient
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.resources._base import UNKNOWN
from pulumi_modelstudio.resources._serving import serving_summary
from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.wire.fine_tunes import CreateFineTuneRequest

from tests.resources.support import TRAIN, configured, owner, requests

V1, V2 = "wan2.7-image-ft-202606030110-aaaa-c10", "wan2.7-image-ft-202606030220-bbbb-c10"
PENDING = "pending:ft-202606030220-bbbb:latest"
SERVING = {
    "model_name": V1,
    "capacity": 1,
    "plan": "lora",
    "suffix": None,
    "timeout_minutes": 30,
    "deployed_model": f"{V1}-1a2b3c4d",
    "status": "RUNNING",
    "base_model": "wan2.7-image",
    "served_model": V1,
    "next_model": None,
}
ID = f"{V1}-1a2b3c4d"


def _news(**changes: Any) -> dict[str, Any]:
    news = {k: v for k, v in SERVING.items() if k not in ("deployed_model", "status", "base_model")}
    news.update(served_model=None, next_model=None)
    news.update(changes)
    return news


def _diff(olds: dict[str, Any], news: dict[str, Any], id_: str = ID) -> tuple[bool, list[str], bool]:
    result = DeploymentProvider(owner("deploy")).diff(id_, olds, news)
    return bool(result.changes), list(result.replaces or []), bool(result.delete_before_replace)


def test_a_model_still_training_is_recorded_as_the_next_version_and_nothing_is_replaced() -> None:
    assert _diff(SERVING, _news(model_name=PENDING)) == (True, [], False)
    provider = DeploymentProvider(owner("deploy"))
    outs = dict(provider.update(ID, SERVING, _news(model_name=PENDING)).outs or {})
    assert outs["deployed_model"] == ID  # the outputs keep naming what serves
    assert (outs["model_name"], outs["served_model"], outs["next_model"]) == (V1, V1, PENDING)
    assert outs["status"] == "RUNNING"
    assert _diff(outs, _news(model_name=PENDING)) == (False, [], False)  # later runs while it trains: nothing


def test_the_trained_model_replaces_create_first_and_the_preview_says_both_are_billed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    waiting = dict(SERVING, next_model=PENDING)
    assert _diff(waiting, _news(model_name=V2)) == (True, ["model_name"], False)
    note = capsys.readouterr().err
    assert f"{ID} keeps serving {V1} until the new version is deployed, RUNNING and verified" in note
    assert "both deployments run and are billed" in note
    assert "delete-first" in note
    assert _diff(SERVING, _news(model_name=UNKNOWN)) == (True, ["model_name"], False)  # preview: may switch


def test_in_submit_mode_a_model_unknown_at_preview_is_the_next_version_not_a_switch(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _diff(SERVING, _news(model_name=UNKNOWN, training="submit")) == (True, [], False)  # what `up` will do
    note = capsys.readouterr().err
    assert f"{ID} keeps serving {V1}: the job this run submits is still training" in note
    assert "both deployments run and are billed" in note
    assert _diff(SERVING, _news(model_name=UNKNOWN, training="submit", suffix="b")) == (
        True,
        ["suffix", "model_name"],
        False,
    )
    first = dict(SERVING, model_name="pending:ft-1", deployed_model="pending:ft-1", served_model=None)
    assert _diff(first, _news(model_name=UNKNOWN, training="submit"), "pending:ft-1") == (True, ["model_name"], False)
    failures = DeploymentProvider(owner("deploy")).check({}, _news(training="later")).failures
    assert [f.property for f in failures] == ["training"]
    assert "'wait' or 'submit'" in failures[0].reason


def test_delete_first_is_a_choice() -> None:
    assert _diff(SERVING, _news(model_name=V2, replace="delete-first")) == (True, ["model_name"], True)
    assert _diff(SERVING, _news(model_name=PENDING, replace="delete-first")) == (True, [], True)
    failures = DeploymentProvider(owner("deploy")).check({}, _news(replace="later")).failures
    assert [f.property for f in failures] == ["replace"]
    assert "'create-first' or 'delete-first'" in failures[0].reason


def test_a_reverted_change_goes_back_to_the_served_model_without_a_new_deployment() -> None:
    waiting = dict(SERVING, next_model=PENDING)
    assert _diff(waiting, _news(model_name=V1)) == (True, [], False)
    outs = dict(DeploymentProvider(owner("deploy")).update(ID, waiting, _news(model_name=V1)).outs or {})
    assert (outs["deployed_model"], outs["served_model"], outs["next_model"]) == (ID, V1, None)
    assert _diff(outs, _news(model_name=V1)) == (False, [], False)


def test_a_suffix_change_waits_for_the_trained_model() -> None:
    outs = dict(
        DeploymentProvider(owner("deploy")).update(ID, SERVING, _news(model_name=PENDING, suffix="b")).outs or {}
    )
    assert outs["suffix"] is None  # still describes what serves
    assert _diff(outs, _news(model_name=V2, suffix="b")) == (True, ["suffix", "model_name"], False)


def test_state_of_earlier_releases_reads_the_same() -> None:
    earlier = {k: v for k, v in SERVING.items() if k not in ("served_model", "next_model")}
    assert _diff(earlier, _news()) == (False, [], False)
    assert _diff(earlier, _news(model_name=PENDING)) == (True, [], False)
    placeholder = dict(earlier, model_name="pending:ft-1", deployed_model="pending:ft-1")
    assert _diff(placeholder, _news(model_name=V1), "pending:ft-1") == (True, ["model_name"], False)
    assert _diff(placeholder, _news(model_name="pending:ft-2"), "pending:ft-1") == (True, ["model_name"], False)


def test_the_serving_line() -> None:
    running = {"status": "RUNNING", "step": 300, "total_steps": 800, "eta_minutes": 128}
    assert serving_summary(ID, PENDING, "RUNNING", running) == (
        f"serving {ID}; ft-202606030220-bbbb training, step 300/800, about 2 h 08 min left"
    )
    assert serving_summary(ID) == f"serving {ID}"
    assert serving_summary(ID, PENDING, "QUEUING") == f"serving {ID}; ft-202606030220-bbbb QUEUING, waiting to train"
    assert serving_summary(ID, PENDING, "FAILED").endswith(
        "ft-202606030220-bbbb ended FAILED; the next run trains it again"
    )
    assert "trained; it is exported and deployed by the next run" in serving_summary(ID, PENDING, "SUCCEEDED")
    assert serving_summary(PENDING, None, "PENDING").startswith("nothing serves yet; ft-202606030220-bbbb PENDING")
    assert serving_summary(None) == "not deployed"


def _two_models(client: ModelStudioClient, emulator: Any, tmp_path: Path) -> list[tuple[str, str]]:
    """(job id, trained model) of two short runs that differ in learning rate."""
    packed = pack_dataset(TRAIN, tmp_path / "train.zip")
    file_id = client.files.upload(packed.path).file_id
    models = []
    for rate in (3e-5, 1e-4):
        hp = {"generation_type": "t2i", "max_steps": 10, "eval_steps": 10, "learning_rate": rate}
        job = client.fine_tunes.create(
            CreateFineTuneRequest(model="wan2.7-image", training_file_ids=[file_id], hyper_parameters=hp)
        )
        models.append((job.job_id, str(job.finetuned_output)))
    emulator.control("clock", "POST", {"advance_seconds": 60 + 2 * 10 * 15.4 + 10})
    return models


def test_the_switch_on_the_service_keeps_one_deployment_running_throughout(
    emulator: Any, compat: str, tmp_path: Path
) -> None:
    del compat
    emulator.control("clock", "POST", {"speed": 0})
    provider = configured(DeploymentProvider(owner("deploy")), emulator)
    with provider.client() as client:
        (_, v1), (job2, v2) = _two_models(client, emulator, tmp_path)
    inputs = dict(provider.check({}, _news(model_name=v1)).inputs)
    running: list[str] = []

    def deploy(model: str) -> Any:
        worker_result: list[Any] = []
        worker = threading.Thread(target=lambda: worker_result.append(provider.create(dict(inputs, model_name=model))))
        worker.start()
        while worker.is_alive():
            time.sleep(0.2)
            emulator.control("clock", "POST", {"advance_seconds": 60})
            live = [d for d in emulator.control("resources")["deployments"] if not d.get("deleted")]
            running.append(",".join(sorted(d["deployed_model"] for d in live if d["status"] == "RUNNING")))
        return worker_result[0]

    first = deploy(v1)
    running.clear()
    waiting = provider.update(first.id, first.outs, dict(inputs, model_name=f"pending:{job2}")).outs or {}
    assert waiting["deployed_model"] == first.id
    assert len(requests(emulator, "POST", "/deployments")) == 1  # recording the next version calls nothing
    second = deploy(v2)  # the engine creates the replacement first ...
    assert second.outs["served_model"] == v2
    assert all(first.id in sample for sample in running), running  # ... while the old one serves ...
    emulator.control("clock", "POST", {"speed": 2000})
    provider.delete(first.id, first.outs)  # ... and deletes the old one afterwards
    live = [d for d in emulator.control("resources")["deployments"] if not d.get("deleted")]
    assert [(d["deployed_model"], d["status"]) for d in live] == [(second.id, "RUNNING")]
