"""The package's build backend: setuptools, once the typed Python classes (`modelstudio_lora`) are generated.

The classes are generated from provider/schema.json (scripts/gen_sdks.py) rather than kept in git; building a
wheel or an sdist from a checkout generates them first when they are missing or older than the schema, with the
`pulumi` that gen_sdks finds.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import gen_sdks
from setuptools import build_meta
from setuptools.build_meta import (
    get_requires_for_build_editable,
    get_requires_for_build_sdist,
    get_requires_for_build_wheel,
    prepare_metadata_for_build_editable,
)

P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "build_editable",
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_editable",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_editable",
    "prepare_metadata_for_build_wheel",
]


def _python_classes(*, required: bool) -> None:
    """Generate `provider/modelstudio_lora` when it is missing or older than the schema; stop the build with the
    reason if it cannot be generated and is `required` (an sdist carries it and needs nothing)."""
    present = (gen_sdks.ROOT / gen_sdks.SDK_DIRS["python"] / "__init__.py").is_file()
    if present and (gen_sdks.ROOT / "PKG-INFO").is_file():
        return
    try:
        gen_sdks.generate(["python"], if_stale=True)
    except gen_sdks.SdkGenerationError as error:
        if present:
            print(f"modelstudio-lora: warning: using the classes generated before: {error}", file=sys.stderr)
        elif required:
            print(f"modelstudio-lora: {error}", file=sys.stderr)
            raise SystemExit(1) from None
        else:
            print(f"modelstudio-lora: warning: modelstudio_lora is not generated yet: {error}", file=sys.stderr)


def _after_generating(hook: Callable[P, R], *, required: bool = True) -> Callable[P, R]:
    """Setuptools' `hook`, run once the classes are generated (or, unless `required`, once that was tried)."""

    @functools.wraps(hook)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        _python_classes(required=required)
        return hook(*args, **kwargs)

    return run


prepare_metadata_for_build_wheel = _after_generating(build_meta.prepare_metadata_for_build_wheel)
build_wheel = _after_generating(build_meta.build_wheel)
build_sdist = _after_generating(build_meta.build_sdist)  # with the classes: a wheel built from it needs no pulumi
build_editable = _after_generating(build_meta.build_editable, required=False)  # else scripts/setup.sh makes them
