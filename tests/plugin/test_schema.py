"""The committed schema, the plugin's schema table, the resource classes and the generated classes agree."""

from __future__ import annotations

import inspect
import json
import shutil
import subprocess
import sys
from pathlib import Path

import modelstudio_lora
import pytest
from pulumi_modelstudio import resources
from pulumi_modelstudio.plugin.schema import COMPONENTS, CONFIG, RESOURCES, schema
from pulumi_modelstudio.plugin.values import snake

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "provider" / "schema.json"
PLUGIN = Path(sys.prefix) / "bin" / "pulumi-resource-modelstudio"
LEGACY_ONLY = {"LoraModel": {"wait"}}
"""Arguments the dynamic classes keep for older programs and the package leaves out (`training` replaces it)."""


def _parameters(function: object) -> set[str]:
    names = set(inspect.signature(function).parameters)  # type: ignore[arg-type]
    return names - {"self", "resource_name", "name", "opts", "args", "__self__", "__props__", "__opts__"}


def test_committed_schema_is_the_plugin_table() -> None:
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == schema()


@pytest.mark.parametrize("kind", [*RESOURCES, *COMPONENTS], ids=lambda k: k.name)
def test_inputs_match_the_dynamic_resource_classes(kind: object) -> None:
    name = kind.name  # type: ignore[attr-defined]
    declared = {snake(f.name) for f in kind.inputs}  # type: ignore[attr-defined]
    dynamic = _parameters(getattr(resources, name).__init__) - LEGACY_ONLY.get(name, set())
    assert declared == dynamic


@pytest.mark.parametrize("kind", RESOURCES, ids=lambda k: k.name)
def test_outputs_cover_the_dynamic_resource_outputs(kind: object) -> None:
    name = kind.name  # type: ignore[attr-defined]
    outputs = {snake(f.name) for f in (*kind.inputs, *kind.outputs)}  # type: ignore[attr-defined]
    annotated = set(inspect.get_annotations(getattr(resources, name)))
    assert annotated <= outputs


@pytest.mark.parametrize("kind", [*RESOURCES, *COMPONENTS], ids=lambda k: k.name)
def test_generated_python_classes_take_the_schema_inputs(kind: object) -> None:
    name = kind.name  # type: ignore[attr-defined]
    declared = {snake(f.name) for f in kind.inputs}  # type: ignore[attr-defined]
    generated = getattr(modelstudio_lora, name)
    assert _parameters(generated._internal_init) == declared


def test_config_keys_are_the_documented_settings() -> None:
    assert {f.name for f in CONFIG} >= {"apiKey", "endpoint", "region", "workspace", "training"}
    assert next(f for f in CONFIG if f.name == "apiKey").secret


@pytest.mark.e2e
def test_pulumi_package_get_schema_prints_the_committed_file(tmp_path: Path) -> None:
    if shutil.which("pulumi") is None:
        pytest.skip("the pulumi CLI is not on PATH; run `make test` (it builds and exports it)")
    proc = subprocess.run(
        ["pulumi", "package", "get-schema", str(PLUGIN)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={"PATH": str(Path(shutil.which("pulumi") or "").parent), "HOME": str(tmp_path)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == COMMITTED.read_text(encoding="utf-8")


ALWAYS_SET = {
    "Dataset": {"sha256", "imageCount", "sizeBytes", "fileId", "fileName"},
    "FineTuneJob": {"jobId", "status", "deployableModel"},
    "CheckpointExport": {"deployableModel", "status"},
    "Deployment": {"deployedModel", "status"},
    "LoraModel": {"jobId", "trainingStatus", "deployableModel"},
}
"""Outputs every create, refresh and import records: required outputs, never optional in the SDKs."""


@pytest.mark.parametrize("kind", [*RESOURCES, *COMPONENTS], ids=lambda k: k.name)
def test_outputs_that_are_always_set_are_required(kind: object) -> None:
    name = kind.name  # type: ignore[attr-defined]
    entry = schema()["resources"][kind.token]  # type: ignore[attr-defined]
    recorded_inputs = set() if entry.get("isComponent") else set(entry["requiredInputs"])
    assert set(entry["required"]) == ALWAYS_SET[name] | recorded_inputs
    generated = getattr(modelstudio_lora, name)
    for output in ALWAYS_SET[name]:
        getter = getattr(generated, snake(output)).fget
        assert "Optional" not in str(inspect.signature(getter).return_annotation), (name, output)
