"""Move a stack's dynamic resources onto the package resources by rewriting its state: nothing is called.

Each `pulumi-python:dynamic/modelstudio:<Kind>` becomes `modelstudio:index:<Kind>` with the same id, owner (URN
name, project, stack) and recorded values, served by the package's default provider with the stack's
`modelstudio:*` settings. A program then declaring the package classes with the same arguments previews no changes.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from typing import Any

from pulumi_modelstudio._version import __version__
from pulumi_modelstudio.errors import ModelStudioError
from pulumi_modelstudio.plugin.schema import PACKAGE
from pulumi_modelstudio.plugin.values import HIDDEN_KEYS, camel

__all__ = ["DYNAMIC_PREFIX", "MigrationError", "migrate_deployment"]

DYNAMIC_PREFIX = "pulumi-python:dynamic/modelstudio:"
_DYNAMIC_PROVIDER = "pulumi:providers:pulumi-python"


class MigrationError(ModelStudioError):
    """The state cannot be migrated as it is."""


def _values(recorded: Mapping[str, Any] | None) -> dict[str, Any]:
    """Recorded properties as the package names them, without the pickled provider and the owner."""
    return {camel(k): v for k, v in (recorded or {}).items() if k not in HIDDEN_KEYS and k != "project_root"}


def _provider_inputs(dynamic: Mapping[str, Any], version: str) -> dict[str, Any]:
    """The package provider's recorded settings: the `modelstudio:*` config the dynamic provider was given."""
    inputs = {k.split(":", 1)[1]: v for k, v in (dynamic.get("inputs") or {}).items() if k.startswith(f"{PACKAGE}:")}
    inputs["version"] = version
    return inputs


def _renamed(urn: str) -> str:
    return urn.replace(DYNAMIC_PREFIX, f"{PACKAGE}:index:")


def migrate_deployment(deployment: dict[str, Any], version: str = __version__) -> tuple[dict[str, Any], list[str]]:
    """The deployment with every modelstudio dynamic resource moved to the package; and the URNs moved."""
    if deployment.get("pending_operations"):
        msg = (
            "the stack has pending operations (an interrupted run). Fix: run `pulumi refresh` (or `pulumi cancel`), "
            "then migrate again"
        )
        raise MigrationError(msg)
    migrated = copy.deepcopy(deployment)
    resources: list[dict[str, Any]] = migrated.get("resources") or []
    ours = [r for r in resources if str(r.get("type", "")).startswith(DYNAMIC_PREFIX)]
    if not ours:
        return migrated, []
    urns = {r["urn"]: _renamed(r["urn"]) for r in ours}
    providers: dict[str, str] = {}
    result: list[dict[str, Any]] = []
    for resource in resources:
        if resource.get("type") == _DYNAMIC_PROVIDER:
            ref = f"{resource['urn']}::{resource.get('id', '')}"
            stack_project = resource["urn"].removeprefix("urn:pulumi:").split("::")[:2]
            name = "default_" + version.replace(".", "_")
            urn = f"urn:pulumi:{stack_project[0]}::{stack_project[1]}::pulumi:providers:{PACKAGE}::{name}"
            new_id = str(uuid.uuid4())
            inputs = _provider_inputs(resource, version)
            providers[ref] = f"{urn}::{new_id}"
            result.append(resource)
            result.append({"urn": urn, "custom": True, "id": new_id, "type": f"pulumi:providers:{PACKAGE}",
                           "inputs": inputs, "outputs": dict(inputs)})  # fmt: skip
            continue
        result.append(resource)
    for resource in result:
        if resource in ours:
            resource["type"] = resource["type"].replace(DYNAMIC_PREFIX, f"{PACKAGE}:index:")
            resource["urn"] = urns[resource["urn"]]
            resource["inputs"] = _values(resource.get("inputs"))
            resource["outputs"] = _values(resource.get("outputs"))
            old_ref = str(resource.get("provider", ""))
            if old_ref not in providers:
                msg = f"{resource['urn']}: its provider {old_ref!r} is not in the state; run `pulumi refresh` first"
                raise MigrationError(msg)
            resource["provider"] = providers[old_ref]
            deps = resource.get("propertyDependencies") or {}
            resource["propertyDependencies"] = {camel(k): v for k, v in deps.items() if k not in HIDDEN_KEYS}
        _rewrite_references(resource, urns)
    used = {str(r.get("provider", "")).rsplit("::", 1)[0] for r in result}
    migrated["resources"] = [r for r in result if r.get("type") != _DYNAMIC_PROVIDER or r["urn"] in used]
    return migrated, [urns[r] for r in urns]


def _rewrite_references(resource: dict[str, Any], urns: Mapping[str, str]) -> None:
    if resource.get("parent") in urns:
        resource["parent"] = urns[resource["parent"]]
    if resource.get("deletedWith") in urns:
        resource["deletedWith"] = urns[resource["deletedWith"]]
    resource["dependencies"] = [urns.get(u, u) for u in resource.get("dependencies") or []] or resource.get(
        "dependencies"
    )
    deps = resource.get("propertyDependencies")
    if deps:
        resource["propertyDependencies"] = {k: [urns.get(u, u) for u in v] for k, v in deps.items()}
    if resource.get("dependencies") is None:
        resource.pop("dependencies", None)
