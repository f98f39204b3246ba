"""One request as handlers see it: the backend, parsed inputs, links and the answer envelope."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request

from modelstudio_emulator.backend import Backend
from modelstudio_emulator.errors import ApiError
from modelstudio_emulator.state import DEFAULT_WORKSPACE
from modelstudio_emulator.web.links import UrlLinks

__all__ = ["Call", "Handler"]


@dataclass(frozen=True)
class Call:
    """Context of one request."""

    backend: Backend
    request: Request
    request_id: str

    @property
    def workspace(self) -> str:
        """`X-DashScope-WorkSpace`, or the default workspace."""
        return self.request.headers.get("X-DashScope-WorkSpace") or DEFAULT_WORKSPACE

    @property
    def links(self) -> UrlLinks:
        """URL builder for the host the client called."""
        return UrlLinks(self.request.host_url)

    def body(self) -> dict[str, Any]:
        """The JSON object body; 400 when it is not one."""
        try:
            body = json.loads(self.request.get_data() or b"{}")
        except ValueError as exc:
            raise ApiError.invalid("The request body is not valid JSON.") from exc
        if not isinstance(body, dict):
            raise ApiError.invalid("The request body must be a JSON object.")
        return body

    def int_arg(self, name: str, default: int) -> int:
        """An integer query parameter."""
        try:
            return int(self.request.args.get(name, default))
        except ValueError as exc:
            raise ApiError.invalid(f"{name} must be an integer") from exc

    def out(self, output: Any, key: str = "output") -> dict[str, Any]:
        """`{"request_id", key: output}`."""
        return {"request_id": self.request_id, key: output}


Handler = Callable[..., Any]
"""`handler(call, **path_args)` returning a JSON-able dict or a werkzeug Response."""
