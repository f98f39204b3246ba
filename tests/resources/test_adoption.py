"""Adopting objects made with the official SDK: import reads, the diff against the declaration, the host's read."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pulumi.runtime import proto, rpc
from pulumi_modelstudio.hosts._servicer import HostServicer
from pulumi_modelstudio.resources.adoption import ADOPTED_KEY
from pulumi_modelstudio.resources.checkpoint_export import CheckpointExportProvider
from pulumi_modelstudio.resources.dataset import DatasetProvider
from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider
from pulumi_modelstudio.resources.registry import NotImportableError, is_import_read
from pulumi_modelstudio.settings.config import ConnectionConfig

from tests.sdk_objects import SDK_KEY, OutOfBand

IDENTITY = {"resource_name": "adopted", "project": "p", "stack": "s"}


@pytest.fixture
def made(emulator: Any, tmp_path: Path) -> OutOfBand:
    emulator.control("clock", "POST", {"speed": 0})
    return OutOfBand(emulator.url, emulator.api_url, tmp_path)


def _configured(provider: Any, emulator: Any) -> Any:
    provider._runtime_config = ConnectionConfig(api_key=SDK_KEY, endpoint=emulator.api_url)
    return provider


def _declared(provider: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    checked = provider.check({}, {**IDENTITY, **inputs})
    assert checked.failures == [], [f.reason for f in checked.failures]
    return dict(checked.inputs)


def test_a_read_without_state_is_an_import() -> None:
    assert is_import_read({})
    assert is_import_read({"__provider": "x", **IDENTITY})
    assert not is_import_read({**IDENTITY, "job_id": "ft-1"})


def test_job_import_reads_declarable_inputs_and_the_declaration_matches(emulator: Any, made: OutOfBand) -> None:
    file_id = made.upload()
    job = made.train(file_id)
    jobs = _configured(FineTuneJobProvider(), emulator)
    read = jobs.read(job["job_id"], dict(IDENTITY))
    assert read.id == job["job_id"]
    assert read.inputs["training_file_ids"] == [file_id]
    assert read.inputs["hyper_parameters"]["max_steps"] == 200
    assert read.outs[ADOPTED_KEY] == job["job_id"]
    assert read.outs["finetuned_output"] == job["finetuned_output"]
    assert read.outs["status"] == "SUCCEEDED"
    assert read.outs["estimated_cost_cny"] > 0

    # what a user declares: only the parameters they set; timeouts and `wait` the service cannot report
    news = _declared(
        jobs,
        {
            "model": "wan2.7-image",
            "training_file_ids": [file_id],
            "validation_file_ids": [],
            "hyper_parameters": {"generation_type": "t2i", "max_steps": 200},
            "wait": True,
            "timeout_minutes": 30,
        },
    )
    diff = jobs.diff(job["job_id"], read.outs, news)
    assert not diff.changes, diff.replaces

    other = dict(news, hyper_parameters={**news["hyper_parameters"], "max_steps": 400})
    assert jobs.diff(job["job_id"], read.outs, other).replaces == ["hyper_parameters"]
    assert jobs.diff(job["job_id"], read.outs, dict(news, model="wan2.7-image-pro")).replaces == ["model"]
    posts = [r for r in emulator.control("requests") if r["method"] != "GET" and "/fine-tunes" in r["path"]]
    assert len(posts) == 1  # the SDK's own submission only


def test_export_and_deployment_import(emulator: Any, made: OutOfBand) -> None:
    job = made.train(made.upload())
    saved = made.export(job["job_id"], "checkpoint-200", "console-export")
    deployed = made.deploy(saved["model_name"], suffix="v1")

    exports = _configured(CheckpointExportProvider(), emulator)
    export_id = f"{job['job_id']}:checkpoint-200"
    read = exports.read(export_id, dict(IDENTITY))
    declared = {"job_id": job["job_id"], "checkpoint": "checkpoint-200", "model_name": "console-export"}
    assert read.inputs == {**IDENTITY, **declared}
    assert read.outs["deployable_model"] == saved["model_name"]
    news = _declared(exports, declared)
    assert not exports.diff(export_id, read.outs, news).changes

    deployments = _configured(DeploymentProvider(), emulator)
    read = deployments.read(deployed, dict(IDENTITY))
    assert read.inputs == {**IDENTITY, "model_name": saved["model_name"], "plan": "lora", "capacity": 1, "suffix": "v1"}
    assert read.outs["status"] == "RUNNING"
    served = {"model_name": saved["model_name"], "capacity": 1, "plan": "lora", "suffix": "v1", "timeout_minutes": 30}
    news = _declared(deployments, served)
    assert not deployments.diff(deployed, read.outs, news).changes
    scaled = deployments.diff(deployed, read.outs, dict(news, capacity=2))
    assert not scaled.changes  # capacity has no effect on LoRA deployments: nothing to update


def test_imports_of_missing_or_unsupported_objects_say_what_to_do(emulator: Any, made: OutOfBand) -> None:
    jobs = _configured(FineTuneJobProvider(), emulator)
    with pytest.raises(NotImportableError, match=r"no fine-tune job with this id.*modelstudio unowned"):
        jobs.read("ft-202601010000-zzzz", dict(IDENTITY))
    exports = _configured(CheckpointExportProvider(), emulator)
    with pytest.raises(NotImportableError, match=r"'<job_id>:checkpoint-<step>'"):
        exports.read("ft-202601010000-zzzz", dict(IDENTITY))
    job = made.train(made.upload())
    with pytest.raises(NotImportableError, match=r"checkpoint-200 of job .* is PENDING, not exported"):
        exports.read(f"{job['job_id']}:checkpoint-200", dict(IDENTITY))
    deployments = _configured(DeploymentProvider(), emulator)
    with pytest.raises(NotImportableError, match="no deployment with this id"):
        deployments.read("nothing-here", dict(IDENTITY))
    with pytest.raises(NotImportableError, match="training_file_ids"):
        DatasetProvider().read("file-1", dict(IDENTITY))


def test_state_created_by_the_stack_keeps_the_strict_diff() -> None:
    jobs = FineTuneJobProvider()
    olds = {"model": "wan2.7-image", "hyper_parameters": {"max_steps": 200}, "wait": True, "timeout_minutes": 60}
    assert jobs.diff("ft-1", olds, dict(olds, timeout_minutes=90)).changes
    adopted = dict(olds, **{ADOPTED_KEY: "ft-1"})
    del adopted["timeout_minutes"]
    assert not jobs.diff("ft-1", adopted, dict(olds, timeout_minutes=90)).changes


class _AbortedError(Exception):
    pass


class _Context:
    def abort(self, _code: Any, details: str) -> None:
        raise _AbortedError(details)


def _request(urn: str, id_: str, properties: dict[str, Any] | None = None) -> Any:
    struct = asyncio.run(rpc.serialize_properties(properties or {}, {}))
    return proto.ReadRequest(id=id_, urn=urn, properties=struct)


def test_host_reads_an_import_with_the_registered_provider(emulator: Any, made: OutOfBand) -> None:
    job = made.train(made.upload())
    servicer = HostServicer(None)
    servicer._config = {"modelstudio:endpoint": emulator.api_url, "modelstudio:apiKey": SDK_KEY}
    urn = "urn:pulumi:dev::proj::pulumi-python:dynamic/modelstudio:FineTuneJob::console-job"
    answer = servicer.Read(_request(urn, job["job_id"]), _Context())
    outs = rpc.deserialize_properties(answer.properties)
    inputs = rpc.deserialize_properties(answer.inputs)
    assert answer.id == job["job_id"]
    assert outs["resource_name"] == "console-job"
    assert outs["stack"] == "dev"
    assert outs["job_id"] == job["job_id"]
    assert inputs["__provider"] == outs["__provider"]
    restored = FineTuneJobProvider.__module__, type(_unpickle(outs["__provider"])).__name__
    assert restored == ("pulumi_modelstudio.resources.fine_tune_job", "FineTuneJobProvider")

    refreshed = servicer.Read(_request(urn, job["job_id"], {"__provider": outs["__provider"]}), _Context())
    assert rpc.deserialize_properties(refreshed.properties)["job_id"] == job["job_id"]  # a refresh reads its state

    with pytest.raises(_AbortedError, match="no fine-tune job"):
        servicer.Read(_request(urn, "ft-202601010000-zzzz"), _Context())
    with pytest.raises(_AbortedError, match="imports only"):
        servicer.Read(_request("urn:pulumi:dev::proj::random:index/x:X::n", "x"), _Context())


def _unpickle(blob: str) -> Any:
    import base64

    import dill

    return dill.loads(base64.b64decode(blob))  # noqa: S301 - state this test wrote
