"""Field-level changes of one `pulumi preview --json` step: `hyper_parameters.max_steps: 800 -> 1000`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_modelstudio.core.bookkeeping import SECRET_SIG, UNKNOWN

__all__ = ["UNKNOWN", "field_changes", "shown"]

_ABSENT = object()
_PATH_PART = re.compile(r'\.?([^.\[\]"]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


def shown(value: Any) -> str:
    """A value the way a reviewer reads it: JSON, `(known after the run)`, `[secret]`, `(not set)`."""
    if value is _ABSENT or value is None:
        return "(not set)"
    if value == UNKNOWN:
        return "(known after the run)"
    if isinstance(value, Mapping) and SECRET_SIG in value:
        return "[secret]"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _leaves(path: str, old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    """(path, before, after) of every leaf that differs, descending into objects and same-length lists."""
    if old == new:
        return []
    if isinstance(old, Mapping) and isinstance(new, Mapping) and SECRET_SIG not in old and SECRET_SIG not in new:
        changes: list[tuple[str, Any, Any]] = []
        for key in sorted({*old, *new}, key=str):
            changes += _leaves(f"{path}.{key}", old.get(key, _ABSENT), new.get(key, _ABSENT))
        return changes
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        changes = []
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            changes += _leaves(f"{path}[{index}]", before, after)
        return changes
    return [(path, old, new)]


def _at(value: Any, path: str) -> Any:
    """The value at a property path such as `hyper_parameters.max_steps`, `ids[0]` or `tags["a.b"]`."""
    for match in _PATH_PART.finditer(path):
        name, index, quoted = match.groups()
        if index is not None:
            value = value[int(index)] if isinstance(value, list) and int(index) < len(value) else _ABSENT
        else:
            key = name if name is not None else quoted
            value = value[key] if isinstance(value, Mapping) and key in value else _ABSENT
        if value is _ABSENT:
            return _ABSENT
    return value


def _top(path: str) -> str:
    match = _PATH_PART.match(path)
    return next((g for g in match.groups() if g is not None), path) if match else path


def field_changes(
    fields: Iterable[str], olds: Mapping[str, Any], news: Mapping[str, Any], detailed: Mapping[str, Any] | None
) -> list[str]:
    """`path: before -> after` for every changed leaf of the given declared fields.

    The engine's detailed diff, when the provider gave one, decides the paths; otherwise the old and new
    inputs are compared leaf by leaf.
    """
    wanted = list(dict.fromkeys(fields))
    lines: list[str] = []
    if detailed:
        for path in sorted(detailed):
            if not wanted or _top(path) in wanted:
                lines += [
                    f"{p}: {shown(b)} -> {shown(a)}" for p, b, a in _leaves(path, _at(olds, path), _at(news, path))
                ]
        if lines:
            return lines
    for name in wanted:
        before, after = olds.get(name, _ABSENT), news.get(name, _ABSENT)
        lines += [f"{path}: {shown(b)} -> {shown(a)}" for path, b, a in _leaves(name, before, after)]
    return lines
