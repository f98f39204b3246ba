"""The WSGI app: routing (404/405), authentication, fault injection, error rendering and the request log."""

from __future__ import annotations

import json
import socket
import struct
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from modelstudio_emulator.backend import Backend
from modelstudio_emulator.errors import ApiError
from modelstudio_emulator.faults import Fault, Faults
from modelstudio_emulator.web.api import API_ROUTES
from modelstudio_emulator.web.call import Call, Handler
from modelstudio_emulator.web.control import Control
from modelstudio_emulator.web.requestlog import RequestLog

__all__ = ["EmulatorApp"]

MAX_BODY = 1024**3 + 16 * 1024**2
_FAULT_CODES = {429: "Throttling.RateQuota", 500: "InternalError", 502: "BadGateway", 503: "ServiceUnavailable"}


class _ResetError(Exception):
    """The connection was closed on purpose."""


def _json(body: dict[str, Any], request_id: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body),
        status=status,
        mimetype="application/json",
        headers={"X-Request-ID": request_id, **(headers or {})},
    )


def _error(error: ApiError, request_id: str, headers: dict[str, str] | None = None) -> Response:
    body = {"request_id": request_id, "code": error.code, "message": error.message}
    return _json(body, request_id, error.status, headers)


class EmulatorApp:
    """WSGI callable over one backend."""

    def __init__(self, backend: Backend, *, api_keys: Iterable[str] = ()) -> None:
        """Serve `backend`; accept keys of its region (or only `api_keys` when given)."""
        self.backend = backend
        self.api_keys = frozenset(api_keys)
        self.faults = Faults()
        self.log = RequestLog()
        control = Control(self.faults, self.log)
        self._handlers: dict[str, Handler] = {}
        rules = []
        for index, (path, method, handler) in enumerate([*API_ROUTES, *control.routes()]):
            endpoint = f"{index}:{handler.__name__}"
            self._handlers[endpoint] = handler
            rules.append(Rule(path, methods=[method], endpoint=endpoint))
        self.urls = Map(rules, strict_slashes=False)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Handle one request."""
        request = Request(environ)
        request.max_content_length = MAX_BODY
        try:
            response = self.dispatch(request)
        finally:
            request.close()
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        """Apply faults, route, log."""
        request_id = str(uuid.uuid4())
        control = request.path.startswith("/_emulator/")
        fault = None if control else self.faults.pick(request.method, request.path)
        try:
            if fault is not None and fault.kind == "latency":
                time.sleep(fault.latency_ms / 1000)
            if fault is not None and fault.when == "before" and fault.kind != "latency":
                return self._fail(request, fault, request_id)
            response = self._route(request, request_id, control=control)
            if fault is not None and fault.when == "after" and fault.kind != "latency":
                return self._fail(request, fault, request_id)
        except _ResetError:
            response = Response(b"", status=500)
        self._record(request, response.status_code, request_id, fault)
        return response

    def _fail(self, request: Request, fault: Fault, request_id: str) -> Response:
        self._record(request, 0 if fault.kind == "reset" else fault.status, request_id, fault)
        if fault.kind == "reset":
            sock = request.environ.get("werkzeug.socket")
            if isinstance(sock, socket.socket):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.shutdown(socket.SHUT_RDWR)
            raise _ResetError
        message = "Internal server error!" if fault.status == 500 else "Injected fault."
        return _error(ApiError(fault.status, _FAULT_CODES.get(fault.status, "InternalError"), message), request_id)

    def _record(self, request: Request, status: int, request_id: str, fault: Fault | None) -> None:
        if request.path.startswith("/_emulator/"):
            return
        self.log.add(
            {
                "method": request.method,
                "path": request.path,
                "status": status,
                "request_id": request_id,
                "fault": fault.label if fault else None,
                "attempt": request.headers.get("X-Client-Attempt"),
            }
        )

    def _route(self, request: Request, request_id: str, *, control: bool) -> Response:
        adapter = self.urls.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
        except MethodNotAllowed as exc:
            allowed = sorted(exc.valid_methods or [])
            message = f"Method {request.method} is not allowed for {request.path}; use {', '.join(allowed)}."
            return _error(ApiError(405, "MethodNotAllowed", message), request_id, {"Allow": ", ".join(allowed)})
        except HTTPException as exc:
            message = f"Not found: {request.method} {request.path}"
            return _error(ApiError(exc.code or 404, "NotFound", message), request_id)
        call = Call(self.backend, request, request_id)
        try:
            if not control:
                self._authenticate(request)
            result = self._handlers[str(endpoint)](call, **args)
        except ApiError as exc:
            return _error(exc, request_id)
        except HTTPException as exc:
            return _error(ApiError(exc.code or 400, "InvalidParameter", exc.description or "bad request"), request_id)
        if isinstance(result, Response):
            result.headers["X-Request-ID"] = request_id
            return result
        return _json(result, request_id)

    def _authenticate(self, request: Request) -> None:
        header = request.headers.get("Authorization", "")
        key = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        if not key:
            raise ApiError(401, "InvalidApiKey", "No API-key provided.")
        intl = key.startswith("sk-intl-")
        wrong_region = intl != (self.backend.region == "ap-southeast-1")
        if not key.startswith("sk-") or wrong_region or (self.api_keys and key not in self.api_keys):
            raise ApiError(401, "InvalidApiKey", "Invalid API-key provided.")
