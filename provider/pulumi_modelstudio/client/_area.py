"""The base of every API area: one transport, creates, and reads of one object or page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel

from pulumi_modelstudio.client._parse import parse
from pulumi_modelstudio.transport import Transport

__all__ = ["APIArea"]

M = TypeVar("M", bound=BaseModel)


class APIArea:
    """Operations of one API area over a transport."""

    answer_key: ClassVar[str] = "output"
    """The field of an answer's body that holds the object (the files API answers in `data`)."""

    def __init__(self, transport: Transport) -> None:
        """Bind to a transport."""
        self._t = transport

    def _create(self, model: type[M], path: str, request: BaseModel, *, what: str) -> M:
        """POST `request` (its fields that are set) to `path` and read the answer as `model`, with its request id."""
        body = self._t.request("POST", path, json=request.model_dump(exclude_none=True))
        return parse(model, body.get(self.answer_key), what=what, request_id=body.get("request_id"))

    def _get(self, model: type[M], path: str, *, what: str, params: Mapping[str, Any] | None = None) -> M:
        """GET `path` and read its answer as `model` (`what` names it in a refusal)."""
        body = self._t.request("GET", path, params=params)
        return parse(model, body.get(self.answer_key), what=what)
