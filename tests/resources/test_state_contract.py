"""State written by earlier releases stays readable: the pickled providers' class paths are a public contract.

dill pickles each provider by reference to `pulumi_modelstudio.resources.<module>.<Class>Provider`; renaming or
moving one would break `pulumi refresh` and `pulumi destroy` of every existing stack. Releases before the
`pulumi_modelstudio` name pickled `provider.resources.<module>.<Class>Provider`: those load as aliases.
"""

from __future__ import annotations

import base64
import pickletools
from typing import Any

import dill
from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.core.values import PROVIDER_KEY
from pulumi_modelstudio.resources._base import ModelStudioProvider

from tests.e2e.release_state import recorded_resources

LEGACY = {
    "provider.resources.dataset.DatasetProvider",
    "provider.resources.fine_tune_job.FineTuneJobProvider",
    "provider.resources.checkpoint_export.CheckpointExportProvider",
    "provider.resources.deployment.DeploymentProvider",
}
"""What the recorded release state (tests/fixtures/state) refers to."""

PINNED = {
    "pulumi_modelstudio.resources.dataset.DatasetProvider",
    "pulumi_modelstudio.resources.fine_tune_job.FineTuneJobProvider",
    "pulumi_modelstudio.resources.checkpoint_export.CheckpointExportProvider",
    "pulumi_modelstudio.resources.deployment.DeploymentProvider",
}


def _class_paths(blob: bytes) -> set[str]:
    """`module.name` of every global a pickle refers to."""
    strings: list[str] = []
    found: set[str] = set()
    for opcode, arg, _ in pickletools.genops(blob):
        if opcode.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(str(arg))
        elif opcode.name == "STACK_GLOBAL":
            found.add(".".join(strings[-2:]))
        elif opcode.name == "GLOBAL":
            found.add(str(arg).replace(" ", "."))
    return found


def _pickled_providers() -> list[tuple[dict[str, Any], bytes]]:
    return [
        (resource, base64.b64decode(resource["outputs"][PROVIDER_KEY]))
        for resource in recorded_resources()
        if PROVIDER_KEY in resource.get("outputs", {})
    ]


def test_the_recorded_state_refers_to_exactly_the_legacy_class_paths() -> None:
    found = set().union(*(_class_paths(blob) for _, blob in _pickled_providers()))
    assert found == LEGACY


def test_legacy_paths_are_aliases_of_todays_classes() -> None:
    import importlib

    for path in LEGACY:
        module, _, name = path.rpartition(".")
        legacy_class = getattr(importlib.import_module(module), name)
        current = importlib.import_module(module.replace("provider.", "pulumi_modelstudio.", 1))
        assert legacy_class is getattr(current, name)
        assert current.__spec__ is not None
        assert current.__spec__.name == current.__name__


def test_providers_of_the_recorded_state_load_and_know_their_owner() -> None:
    for resource, blob in _pickled_providers():
        provider = dill.loads(blob)  # noqa: S301 - the project's own recorded state
        assert isinstance(provider, ModelStudioProvider)
        assert f"{type(provider).__module__}.{type(provider).__qualname__}" in PINNED
        assert provider._runtime_config is None
        name = resource["urn"].rsplit("::", 1)[-1]
        assert provider.label(resource["outputs"]) == name
        if "project" in resource["outputs"]:  # jobs recorded where they were declared
            assert provider.owner(resource["outputs"]) == Owner("modelstudio-lora", "staging", name)


def test_providers_pickled_now_refer_to_the_same_paths() -> None:
    for resource, blob in _pickled_providers():
        provider = dill.loads(blob)  # noqa: S301 - the project's own recorded state
        fresh = type(provider)(Owner("modelstudio-lora", "staging", resource["urn"].rsplit("::", 1)[-1]))
        assert _class_paths(dill.dumps(fresh)) <= PINNED
