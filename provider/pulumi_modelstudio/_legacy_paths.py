"""Old module paths kept loadable: state pickled by earlier releases names `provider.resources.<module>`.

dill pickles each provider by reference (module path and class name). Releases before the `pulumi_modelstudio`
name wrote `provider.resources.dataset.DatasetProvider` and its siblings into every stack's state. `install()`
appends an import finder that serves exactly those old paths as aliases of today's modules, and only when no
real module of that name exists, so a project's own `provider/` folder keeps working and wins.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import importlib.abc

__all__ = ["LEGACY_MODULES", "install"]

_LEGACY_PACKAGES = frozenset({"provider", "provider.resources"})
"""Old packages: served as empty namespaces, so nothing under them is found but the modules listed below."""

LEGACY_MODULES: dict[str, str] = {
    "provider.resources.dataset": "pulumi_modelstudio.resources.dataset",
    "provider.resources.fine_tune_job": "pulumi_modelstudio.resources.fine_tune_job",
    "provider.resources.checkpoint_export": "pulumi_modelstudio.resources.checkpoint_export",
    "provider.resources.deployment": "pulumi_modelstudio.resources.deployment",
    "provider.resources.lora_model": "pulumi_modelstudio.resources.lora_model",
}
"""Old module path -> the module that answers for it (the public, pickled contract of earlier releases)."""


class _AliasLoader:
    """Loads an old path as the module it became (the same module object, so classes are identical).

    A plain class (the import protocol needs only these two methods): `importlib.abc` costs every process that
    imports the package about 15 ms.
    """

    def __init__(self, target: str | None) -> None:
        self._target = target
        self._spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        """The real module, imported under its own name; an empty package for an old package path."""
        if self._target is None:
            package = types.ModuleType(spec.name, "Old module path of pulumi_modelstudio (see _legacy_paths).")
            package.__path__ = []
            return package
        module = importlib.import_module(self._target)
        self._spec = module.__spec__
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the target module is already executed; it keeps its own spec."""
        if self._spec is not None:
            module.__spec__ = self._spec


def _loader(target: str | None) -> importlib.abc.Loader:
    """An `_AliasLoader`, typed as the loader it stands in for."""
    return cast("importlib.abc.Loader", _AliasLoader(target))


class _LegacyFinder:
    """Finds the old paths last, after every real module."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """A spec for an old path, else None."""
        del path, target
        if fullname in _LEGACY_PACKAGES:
            return importlib.machinery.ModuleSpec(fullname, _loader(None), is_package=True)
        new = LEGACY_MODULES.get(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _loader(new))


def install() -> None:
    """Append the finder once per process (idempotent)."""
    if not any(isinstance(finder, _LegacyFinder) for finder in sys.meta_path):
        sys.meta_path.append(_LegacyFinder())
