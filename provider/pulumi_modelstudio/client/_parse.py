"""Turn an answer's `output`/`data` into a wire model, or raise ResponseValidationError."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pulumi_modelstudio.errors import ResponseValidationError

__all__ = ["parse", "require_id"]

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], payload: Any, *, what: str, request_id: str | None = None) -> M:
    """Validate `payload` as `model`."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        msg = f"{what}: the answer does not fit {model.__name__}: {exc.errors()[:3]}"
        raise ResponseValidationError(msg, method="", url=what, request_id=request_id) from exc


def require_id(name: str, value: str) -> str:
    """Refuse an empty id before any I/O."""
    if not value:
        msg = f"Expected a non-empty {name} but received {value!r}"
        raise ValueError(msg)
    return value
