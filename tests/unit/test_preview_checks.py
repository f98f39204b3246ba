"""Preview checks that must hold however warm the shared check cache is, and the provider settings checks."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi_modelstudio.datasets import layout
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.resources import _base
from pulumi_modelstudio.resources.dataset import Dataset, DatasetProvider
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJob
from pulumi_modelstudio.settings.config import ConnectionConfig

TRAIN = Path(__file__).resolve().parents[2] / "stacks" / "datasets" / "product-t2i"
I2I = Path(__file__).resolve().parents[2] / "stacks" / "datasets" / "sketch-i2i"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _check(source: Path) -> list[str]:
    inputs = {"resource_name": "ds", "source": str(source), "generation_type": "t2i", "role": "training"}
    return [f.reason for f in DatasetProvider().check({}, inputs).failures]


def test_zip_level_checks_run_even_when_the_content_was_checked_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packed = pack_dataset(TRAIN, tmp_path / "ds.zip").path
    assert _check(TRAIN) == []  # the same files: the content check is cached now
    monkeypatch.setattr(layout, "MAX_ZIP_BYTES", packed.stat().st_size - 1)
    [reason] = _check(packed)
    assert "ds.zip: zip is" in reason
    assert "over the 1 GB upload limit" in reason


def test_a_file_replaced_by_a_link_to_the_same_bytes_is_refused_after_a_cached_pass(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    shutil.copytree(TRAIN, folder)
    assert _check(folder) == []
    shutil.copy(folder / "0_0.png", tmp_path / "elsewhere.png")
    (folder / "0_0.png").unlink()
    (folder / "0_0.png").symlink_to(tmp_path / "elsewhere.png")
    [reason] = _check(folder)
    assert "0_0.png: is a symbolic link" in reason


def test_a_huge_folder_lists_twenty_problems_and_counts_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    shutil.copytree(TRAIN, folder)
    for index in range(30):
        (folder / f"note{index}.txt").write_text("x")
    reasons = _check(folder)
    assert len(reasons) == 21
    assert "10 more problem(s)" in reasons[-1]
    assert "modelstudio dataset check" in reasons[-1]


class _Config:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def get(self, key: str) -> object:
        return self.values.get(key)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"modelstudio:endpoint": "http://10.0.0.8/api/v1"}, "modelstudio:endpoint 'http://10.0.0.8/api/v1' is plain"),
        ({"modelstudio:endpoint": "https://user:pw@h/api/v1"}, "holds credentials"),
        ({"modelstudio:endpoint": "https://h:port/api/v1"}, "not a valid URL"),
        ({"modelstudio:region": "us-east-1"}, "modelstudio:region 'us-east-1' does not offer fine-tuning"),
        ({"modelstudio:apiKey": "sk-a\nb"}, "modelstudio:apiKey holds a control character"),
        ({"modelstudio:apiKey": "sk-ä"}, "modelstudio:apiKey holds spaces or non-ASCII"),
        ({"modelstudio:workspace": "ws\tx"}, "modelstudio:workspace holds a control character"),
        ({"modelstudio:timeScale": "-1"}, "modelstudio:timeScale '-1' is not a positive number"),
        ({"modelstudio:emulatorSpeed": "nan"}, "modelstudio:emulatorSpeed 'nan' is not a positive number"),
    ],
)
def test_provider_settings_are_checked_at_preview(settings: dict[str, str], expected: str) -> None:
    config = ConnectionConfig.from_pulumi_config(_Config(settings), env={})
    [problem] = config.problems()
    assert expected in problem
    assert problem.startswith("modelstudio:")
    assert "sk-a" not in problem


@pytest.mark.parametrize(
    "endpoint", ["emulator", "http://127.0.0.1:8765/api/v1", "http://localhost:1/api/v1", "http://[::1]:2/api/v1"]
)
def test_the_emulator_and_loopback_http_are_fine(endpoint: str) -> None:
    assert ConnectionConfig.from_pulumi_config(_Config({"modelstudio:endpoint": endpoint}), env={}).problems() == []


def test_a_setting_from_the_environment_is_named_by_its_variable() -> None:
    config = ConnectionConfig.from_pulumi_config(
        _Config({}), env={"DASHSCOPE_REGION": "mars", "MODELSTUDIO_TIME_SCALE": "x"}
    )
    assert sorted(config.problems()) == [
        "DASHSCOPE_REGION 'mars' does not offer fine-tuning — use one of cn-beijing, ap-southeast-1",
        "MODELSTUDIO_TIME_SCALE 'x' is not a positive number — use 1 for the real API (the default) or the "
        "emulator's speed, e.g. 600",
    ]


def test_a_stack_setting_hides_a_broken_variable_it_overrides() -> None:
    config = ConnectionConfig.from_pulumi_config(
        _Config({"modelstudio:timeScale": "600"}), env={"MODELSTUDIO_TIME_SCALE": "x"}
    )
    assert config.problems() == []
    assert config.time_scale == 600.0


def test_config_problems_fail_every_resource_check_with_no_property() -> None:
    provider = DatasetProvider()
    provider._runtime_config = ConnectionConfig.from_pulumi_config(_Config({"modelstudio:region": "eu"}), env={})
    inputs = {"resource_name": "ds", "source": str(TRAIN), "generation_type": "t2i", "role": "training"}
    [failure] = provider.check({}, inputs).failures
    assert failure.property == ""
    assert failure.reason.startswith("modelstudio:region 'eu'")


def test_a_missing_key_is_a_preview_warning_and_the_preview_still_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_base, "_warned", set())
    shown: list[str] = []

    def show(message: str) -> bool:
        shown.append(message)
        return True

    _base.set_progress_sink(None, show)
    try:
        for _ in range(2):
            provider = DatasetProvider()
            provider._runtime_config = ConnectionConfig.from_pulumi_config(_Config({}), env={})
            inputs = {"resource_name": "ds", "source": str(TRAIN), "generation_type": "t2i", "role": "training"}
            assert provider.check({}, inputs).failures == []
    finally:
        _base.set_progress_sink(None)
    [warning] = shown  # once per provider process, not once per resource
    assert "pulumi config set --secret modelstudio:apiKey" in warning
    assert "DASHSCOPE_API_KEY" in warning


def test_the_host_sends_warnings_to_the_engine_as_warnings() -> None:
    from pulumi.runtime.proto import engine_pb2
    from pulumi_modelstudio.hosts.engine_log import EngineLog

    sent: list[Any] = []

    class _Engine:
        def Log(self, request: Any) -> None:  # noqa: N802 - the gRPC method name
            sent.append(request)

    log = EngineLog()
    log._engine = _Engine()  # type: ignore[assignment]
    assert log.warn("No Model Studio API key")
    assert [(r.severity, r.message) for r in sent] == [(engine_pb2.WARNING, "No Model Studio API key")]


class _Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        del args
        return {}, None


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_a_job_learns_its_datasets_generation_types_from_their_outputs() -> pulumi.Output[Any]:
    pulumi.runtime.set_mocks(_Mocks(), preview=True)
    sketches = Dataset("sketches", source=str(I2I), generation_type="i2i")
    prompts = Dataset("prompts", source=str(TRAIN), role="validation")
    job = FineTuneJob(
        "job",
        model="wan2.7-image-pro",
        training_file_ids=[sketches.file_id],
        validation_file_ids=[prompts.file_id, "file-given-as-text"],
        hyper_parameters={"generation_type": "i2i"},
    )

    def check(types: list[dict[str, str]]) -> None:
        assert types == [
            {"dataset": "prompts", "generation_type": "t2i"},
            {"dataset": "sketches", "generation_type": "i2i"},
        ]

    types: pulumi.Output[list[dict[str, str]]] = job.dataset_generation_types  # type: ignore[attr-defined]
    return types.apply(check)


def test_an_image_in_a_sub_folder_is_named_with_the_line_that_uses_it(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    shutil.copytree(TRAIN, folder)
    (folder / "sub").mkdir()
    (folder / "0_0.png").rename(folder / "sub" / "0_0.png")
    data = folder / "data.jsonl"
    data.write_text(data.read_text().replace('"./0_0.png"', '"./sub/0_0.png"'))
    reasons = _check(folder)
    assert f"{folder}: data.jsonl line 1: img_path './sub/0_0.png' is inside the sub-folder 'sub/'" in reasons[1]
    assert "move sub/0_0.png to the top level and write './0_0.png'" in reasons[1]
    assert "sub/: sub-folders are not allowed (the dataset must be flat): it holds sub/0_0.png" in reasons[0]
    assert len(reasons) == 2


def test_a_mistyped_folder_suggests_the_nearest_one_and_shows_the_path_once_as_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "stacks").mkdir()
    shutil.copytree(TRAIN, tmp_path / "datasets" / "product-t2i")
    monkeypatch.chdir(tmp_path / "stacks")  # providers run in the program folder
    [reason] = _check(Path("datasets/prodcut-t2i"))
    assert reason == "datasets/prodcut-t2i: no such folder or .zip — did you mean datasets/product-t2i? Fix the path"
    [reason] = _check(Path("dataset/product-t2"))
    assert reason == "dataset/product-t2: no such folder or .zip — did you mean datasets/product-t2i? Fix the path"
    [reason] = _check(Path("datasets/unrelated"))
    assert reason == "datasets/unrelated: no such folder or .zip — create it or fix the path"
