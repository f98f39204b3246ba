"""The plugin's provider at its edges: unknowns at preview, whole floats, secrets, Cancel, many waits at once."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.runtime import rpc
from pulumi_modelstudio.core.waiters import reset_stop, stop_requested
from pulumi_modelstudio.plugin.provider import PackageProvider
from pulumi_modelstudio.plugin.values import echo, from_engine, to_engine

URN = "urn:pulumi:dev::team::modelstudio:index:{kind}::{name}"


def _check(provider: PackageProvider, kind: str, news: dict[str, PropertyValue]) -> sdk.CheckResponse:
    request = sdk.CheckRequest(URN.format(kind=kind, name="x"), {}, news, b"")
    return asyncio.run(provider.check(request))


def test_unknown_inputs_at_preview_pass_check_and_stay_unknown() -> None:
    provider = PackageProvider()
    news = {"source": PropertyValue.computed(), "generationType": PropertyValue("t2i")}
    result = _check(provider, "Dataset", news)
    assert not result.failures
    assert result.inputs is not None
    assert result.inputs["source"].value == rpc.UNKNOWN  # the wire's unknown marker
    assert PropertyValue.marshal_map(echo({"ids": PropertyValue([PropertyValue.computed()])}))


def test_whole_numbers_that_arrive_as_floats_are_whole_numbers() -> None:
    provider = PackageProvider()
    news = {"modelName": PropertyValue("wan2.7-image-pro-ft-1"), "capacity": PropertyValue(1.0)}
    result = _check(provider, "Deployment", news)
    assert not result.failures, [f.reason for f in result.failures or []]
    assert from_engine({"n": PropertyValue(3.0)}) == {"n": 3.0}
    assert to_engine({"n": 3})["n"].value == 3.0


def test_secret_inputs_stay_secret_in_what_goes_back() -> None:
    plain = from_engine({"suffix": PropertyValue("abc", is_secret=True), "plan": PropertyValue("lora")})
    assert plain.secrets == {"suffix"}
    wired = to_engine(plain, plain.secrets)
    assert wired["suffix"].is_secret
    assert not wired["plan"].is_secret


def test_owner_and_pickles_never_reach_the_engine() -> None:
    wired = to_engine({"__provider": "x", "project": "p", "stack": "s", "resource_name": "r", "file_id": "f"})
    assert set(wired) == {"fileId"}


def test_cancel_stops_waits_and_the_next_run_starts_fresh() -> None:
    provider = PackageProvider()
    try:
        asyncio.run(provider.cancel())  # sent at the end of every run, and on Ctrl-C
        assert stop_requested()
        asyncio.run(provider.configure(sdk.ConfigureRequest({}, {}, accept_secrets=True, accept_resources=True)))
        assert not stop_requested()
    finally:
        reset_stop()


def test_training_mode_comes_from_provider_config() -> None:
    provider = PackageProvider()
    args = {"training": PropertyValue("submit"), "apiKey": PropertyValue("sk-1", is_secret=True)}
    asyncio.run(provider.configure(sdk.ConfigureRequest({}, args, accept_secrets=True, accept_resources=True)))
    assert provider.training == "submit"
    assert provider.config.api_key == "sk-1"


def test_over_a_hundred_calls_wait_at_once() -> None:
    provider = PackageProvider()
    release = threading.Event()
    started = threading.Semaphore(0)
    count = 150

    def wait() -> int:
        started.release()
        release.wait(30)
        return 1

    async def many() -> list[Any]:
        calls = [asyncio.ensure_future(provider._run(f"urn-{i}", wait)) for i in range(count)]
        await asyncio.sleep(0)
        for _ in range(count):
            assert await asyncio.to_thread(started.acquire, True, 20)
        release.set()
        return await asyncio.gather(*calls)

    assert sum(asyncio.run(many())) == count


def test_check_failures_name_properties_as_the_schema_does() -> None:
    provider = PackageProvider()
    news = {"modelName": PropertyValue("m"), "capacity": PropertyValue(1.0), "suffix": PropertyValue("NOT OK")}
    result = _check(provider, "Deployment", news)
    assert [f.property for f in result.failures or []] == ["suffix"]
    news = {"source": PropertyValue("datasets/x"), "generationType": PropertyValue("t3i")}
    result = _check(provider, "Dataset", news)
    assert "generationType" in [f.property for f in result.failures or []]


def _update_preview(kind: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    request = sdk.UpdateRequest(
        URN.format(kind=kind, name="x"),
        "id-1",
        to_engine(olds),
        to_engine(news),
        timeout=0,
        ignore_changes=[],
        preview=True,
    )
    response = asyncio.run(PackageProvider().update(request))
    return {k: v.value for k, v in (response.properties or {}).items()}


_JOB_INPUTS = {"model": "wan2.7-image-pro", "training_file_ids": ["file-1"], "hyper_parameters": {"max_steps": 200}}
_JOB_OUTPUTS = {
    "job_id": "ft-1",
    "job_name": "team-dev-x",
    "finetuned_output": "wan2.7-image-pro-ft-1",
    "deployable_model": "wan2.7-image-pro-ft-1",
    "checkpoints": ["checkpoint-200"],
}


def test_an_update_preview_keeps_the_outputs_the_update_keeps() -> None:
    olds = {**_JOB_INPUTS, **_JOB_OUTPUTS, "status": "SUCCEEDED", "timeout_minutes": 60}
    shown = _update_preview("FineTuneJob", olds, {**_JOB_INPUTS, "timeout_minutes": 90, "wait": True})
    assert shown["timeoutMinutes"] == 90
    assert shown["jobId"] == "ft-1"
    assert shown["status"] == "SUCCEEDED"
    assert shown["deployableModel"] == "wan2.7-image-pro-ft-1"
    assert list(shown["checkpoints"]) == [PropertyValue("checkpoint-200")]


def test_an_update_preview_of_a_job_still_training_leaves_its_results_unknown() -> None:
    olds = {**_JOB_INPUTS, **_JOB_OUTPUTS, "status": "RUNNING", "deployable_model": "pending:ft-1"}
    shown = _update_preview("FineTuneJob", olds, {**_JOB_INPUTS, "timeout_minutes": 90, "wait": True})
    assert shown["jobId"] == "ft-1"
    assert shown["status"] == rpc.UNKNOWN
    assert shown["deployableModel"] == rpc.UNKNOWN
    submitted = _update_preview("FineTuneJob", olds, {**_JOB_INPUTS, "wait": False})
    assert submitted["status"] == "RUNNING"  # a submit-only update waits for nothing


def test_an_update_preview_of_a_moved_dataset_keeps_its_file() -> None:
    olds = {"source": "data/a", "sha256": "abc", "file_id": "file-1", "file_name": "team-dev-x-abc.zip"}
    shown = _update_preview("Dataset", olds, {"source": "data/b", "sha256": "abc"})
    assert shown["source"] == "data/b"
    assert shown["fileId"] == "file-1"
    assert shown["fileName"] == "team-dev-x-abc.zip"


def test_an_update_preview_of_a_deployment_keeps_its_model() -> None:
    olds = {"model_name": "m", "timeout_minutes": 30, "deployed_model": "m-abc", "status": "RUNNING"}
    shown = _update_preview("Deployment", olds, {"model_name": "m", "timeout_minutes": 45})
    assert shown["deployedModel"] == "m-abc"
    assert shown["status"] == "RUNNING"


def test_an_in_place_update_previews_the_outputs_it_keeps() -> None:
    provider = PackageProvider()
    olds = to_engine({"model_name": "m", "capacity": 1, "deployed_model": "m-1234abcd", "status": "RUNNING"})
    news = to_engine({"model_name": "m", "capacity": 1, "timeout_minutes": 30})
    urn = URN.format(kind="Deployment", name="d")
    request = sdk.UpdateRequest(urn, "m-1234abcd", olds, news, timeout=60, ignore_changes=[], preview=True)
    response = asyncio.run(provider.update(request))
    assert response.properties is not None
    assert response.properties["deployedModel"].value == "m-1234abcd"  # what depends on it stays the same
    assert response.properties["timeoutMinutes"].value == 30.0


def test_a_job_that_declares_no_wait_follows_the_providers_training_setting() -> None:
    provider = PackageProvider()
    news = {
        "model": PropertyValue("wan2.7-image-pro"),
        "trainingFileIds": PropertyValue([PropertyValue("file-1")]),
        "hyperParameters": PropertyValue({"max_steps": PropertyValue(100.0)}),
    }
    provider._raw = {"modelstudio:training": "submit"}
    submitted = _check(provider, "FineTuneJob", news)
    provider._raw = {}
    waited = _check(provider, "FineTuneJob", {**news, "wait": PropertyValue(None)})
    assert submitted.inputs is not None and waited.inputs is not None
    assert submitted.inputs["wait"].value is False
    assert waited.inputs["wait"].value is True


def test_the_components_arguments_come_from_the_schema_whole_numbers_as_int() -> None:
    from pulumi_modelstudio.plugin.component import _arguments

    args = _arguments(
        {"capacity": PropertyValue(2.0), "timeoutMinutes": PropertyValue(1.5), "suffix": PropertyValue(None)},
        "submit",
    )
    assert args == {"capacity": 2, "timeout_minutes": 1.5, "training": "submit"}
    assert isinstance(args["capacity"], int)
    assert _arguments({"training": PropertyValue("wait")}, "submit")["training"] == "wait"
