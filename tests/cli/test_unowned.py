"""`modelstudio unowned` pieces: what exported state says a stack manages, and the account minus that."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from pulumi_modelstudio.cli._stacks import StackInventory
from pulumi_modelstudio.cli._style import declaration_style
from pulumi_modelstudio.cli.main import app
from pulumi_modelstudio.cli.unowned import find_unowned, render_python
from pulumi_modelstudio.client import ModelStudioClient
from pulumi_modelstudio.settings.config import ConnectionConfig
from typer.testing import CliRunner

from tests.sdk_objects import SDK_KEY, OutOfBand

OURS = "pulumi-python:dynamic/modelstudio:"


def _resource(kind: str, name: str, id_: str, **outputs: Any) -> dict[str, Any]:
    return {"type": f"{OURS}{kind}", "urn": f"urn:pulumi:dev::p::{OURS}{kind}::{name}", "id": id_, "outputs": outputs}


def test_inventory_records_what_each_resource_manages_and_mentions() -> None:
    stacks = StackInventory()
    stacks.add("dev", _resource("Dataset", "train", "file-1", file_id="file-1"))
    stacks.add("dev", _resource("FineTuneJob", "job", "ft-1", training_file_ids=["file-2"], job_id="ft-1"))
    stacks.add("dev", _resource("CheckpointExport", "exp", "ft-1:checkpoint-8", deployable_model="m-c8"))
    stacks.add("dev", _resource("Deployment", "dep", "m-c8-v1", model_name="m-c8"))
    stacks.add("dev", {"type": "pulumi:providers:pulumi-python", "id": "ft-9", "outputs": {}})
    assert stacks.owns("file", "file-1")
    assert not stacks.owns("file", "file-2")
    assert stacks.used_by("file-2") == ["dev: FineTuneJob job"]
    assert stacks.owns("job", "ft-1")
    assert not stacks.owns("job", "ft-9")
    assert stacks.owns("export", "ft-1:checkpoint-8")
    assert stacks.owns("model", "m-c8")
    assert stacks.owns("deployment", "m-c8-v1")


def test_inventory_counts_package_resources_as_managed() -> None:
    stacks = StackInventory()
    package = "modelstudio:index:"
    stacks.add("prod", {"type": f"{package}FineTuneJob", "urn": f"urn:x::{package}FineTuneJob::j", "id": "ft-2"})
    export = {"type": f"{package}CheckpointExport", "urn": "urn:x::e", "id": "ft-2:checkpoint-4",
              "outputs": {"deployableModel": "m-c4"}}  # fmt: skip
    stacks.add("prod", export)
    stacks.add("prod", {"type": f"{package}LoraModel", "urn": "urn:x::m", "id": "ft-3"})
    assert stacks.owns("job", "ft-2")
    assert stacks.owns("model", "m-c4")
    assert not stacks.owns("job", "ft-3")


@pytest.fixture
def client(emulator: Any) -> Any:
    emulator.control("clock", "POST", {"speed": 0})
    with ModelStudioClient(ConnectionConfig(api_key=SDK_KEY, endpoint=emulator.api_url).client_settings()) as opened:
        yield opened


def test_account_minus_stacks_with_declarations(emulator: Any, client: ModelStudioClient, tmp_path: Path) -> None:
    sdk = OutOfBand(emulator.url, emulator.api_url, tmp_path)
    owned_file, free_file = sdk.upload("owned.zip"), sdk.upload("free.zip")
    job = sdk.train(free_file)
    deployed = sdk.deploy(job["finetuned_output"], capacity=2)
    bad = sdk.train(free_file, model="qwen-image-2.0")  # not a Wan image model: this package refuses to declare it

    stacks = StackInventory()
    stacks.add("dev", _resource("Dataset", "train", owned_file))
    found = {(e.kind, e.id): e for e in find_unowned(client, stacks)}
    assert set(found) == {("file", free_file), ("job", job["job_id"]), ("job", bad["job_id"]), ("deployment", deployed)}
    assert found[("job", bad["job_id"])].declaration() is None
    assert "not a Wan image model" in str(found[("job", bad["job_id"])].note)
    # LoRA deployments report no capacity: the declaration carries the default
    assert found[("deployment", deployed)].inputs == {"model_name": job["finetuned_output"], "capacity": 1}

    program = render_python(list(found.values()), ["dev"])
    ast.parse(program)
    assert program.count("import_=") == 2
    assert f'training_file_ids=["{free_file}"]' in program
    assert "from pulumi_modelstudio import Deployment, FineTuneJob" in program
    # the deployment refers to the adopted job, so Pulumi deletes the deployment first
    job_var = found[("job", job["job_id"])].variable
    assert f"{job_var} = FineTuneJob(" in program
    assert f"model_name={job_var}.finetuned_output," in program
    assert "--protect=false" in str(found[("job", job["job_id"])].import_command)

    package = render_python(list(found.values()), ["dev"], "package")
    ast.parse(package)
    assert "import modelstudio_lora as modelstudio" in package
    assert "pulumi_modelstudio" not in package
    assert f"{job_var} = modelstudio.FineTuneJob(" in package
    assert "# or: pulumi import modelstudio:index:FineTuneJob " in package
    assert "pulumi-python:dynamic" not in package
    assert (
        found[("job", job["job_id"])]
        .as_json("package")["import_command"]
        .startswith("pulumi import modelstudio:index:FineTuneJob ")
    )


def _project(root: Path, runtime: str, program: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text(f"name: p\nruntime: {runtime}\n", encoding="utf-8")
    if program:
        (root / "__main__.py").write_text(program, encoding="utf-8")
    return root


def test_the_declaration_style_follows_the_project(tmp_path: Path) -> None:
    dynamic_stacks, package_stacks = StackInventory(), StackInventory()
    dynamic_stacks.add("dev", _resource("FineTuneJob", "job", "ft-1"))
    package_stacks.add("dev", {"type": "modelstudio:index:FineTuneJob", "urn": "urn:x::j", "id": "ft-2"})
    assert declaration_style(_project(tmp_path / "ts", "nodejs"), dynamic_stacks) == "package"
    typed = _project(tmp_path / "typed", "python", "import modelstudio_lora as modelstudio\n")
    assert declaration_style(typed, dynamic_stacks) == "package"
    legacy = _project(tmp_path / "legacy", "python", "from pulumi_modelstudio import LoraModel\n")
    assert declaration_style(legacy, package_stacks) == "dynamic"
    empty = _project(tmp_path / "empty", "python")
    assert declaration_style(empty, package_stacks) == "package"
    assert declaration_style(empty, dynamic_stacks) == "dynamic"
    assert declaration_style(tmp_path / "nowhere", StackInventory()) == "dynamic"


def test_an_unknown_style_is_bad_input() -> None:
    result = CliRunner().invoke(app, ["unowned", "--style", "typed", "--endpoint", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "--style 'typed' is not a declaration style; use one of auto, dynamic, package" in result.output
