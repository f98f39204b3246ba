"""Non-finite numbers (NaN, Infinity, -Infinity) in declared inputs: JSON cannot carry them, so none is sent."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pulumi_modelstudio.core.bookkeeping import PROVIDER_KEY

__all__ = ["non_finite_inputs", "non_finite_paths"]

_SKIPPED = frozenset({PROVIDER_KEY})
"""Engine bookkeeping among the inputs, never declared."""


def _shown(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def non_finite_paths(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(field path, value shown) of every NaN or infinite number in `value`, at any depth, in order.

    Paths read like the declaration: `hyper_parameters.learning_rate`, `training_file_ids[0]`.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return [(path, _shown(value))]
    found: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not path and key in _SKIPPED:
                continue
            found += non_finite_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found += non_finite_paths(item, f"{path}[{index}]")
    return found


def non_finite_inputs(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field path, reason with the fix) for every non-finite number among a resource's inputs, at any depth."""
    return [
        (path, f"{shown} is not a finite number (the API's JSON cannot carry it) — declare a finite number")
        for path, shown in non_finite_paths(inputs)
    ]
