"""The WSGI app: routing, auth, workspaces, faults and the request log; rules live in the backend."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from emulator.backend import DEFAULT_WORKSPACE, TERMINAL, Backend
from emulator.errors import ApiError
from emulator.faults import Fault, FaultRule, Faults
from emulator.images import render_png

__all__ = ["EmulatorApp"]

MAX_BODY = 1024**3 + 16 * 1024**2
Handler = Callable[..., Any]

_RULES = [
    Rule("/api/v1/files", methods=["POST"], endpoint="upload"),
    Rule("/api/v1/files", methods=["GET"], endpoint="list_files"),
    Rule("/api/v1/files/<file_id>", methods=["GET"], endpoint="get_file"),
    Rule("/api/v1/files/<file_id>", methods=["DELETE"], endpoint="delete_file"),
    Rule("/api/v1/fine-tunes", methods=["POST"], endpoint="create_job"),
    Rule("/api/v1/fine-tunes", methods=["GET"], endpoint="list_jobs"),
    Rule("/api/v1/fine-tunes/<job_id>", methods=["GET"], endpoint="get_job"),
    Rule("/api/v1/fine-tunes/<job_id>", methods=["DELETE"], endpoint="delete_job"),
    Rule("/api/v1/fine-tunes/<job_id>/cancel", methods=["POST"], endpoint="cancel_job"),
    Rule("/api/v1/fine-tunes/<job_id>/logs", methods=["GET"], endpoint="logs"),
    Rule("/api/v1/fine-tunes/<job_id>/stream", methods=["GET"], endpoint="stream"),
    Rule("/api/v1/fine-tunes/<job_id>/checkpoints", methods=["GET"], endpoint="checkpoints"),
    Rule("/api/v1/fine-tunes/<job_id>/export/<checkpoint>", methods=["GET"], endpoint="export"),
    Rule("/api/v1/fine-tunes/<job_id>/validation-results", methods=["GET"], endpoint="validation_results"),
    Rule(
        "/api/v1/fine-tunes/<job_id>/validation-details/<checkpoint>",
        methods=["GET"],
        endpoint="validation_details",
    ),
    Rule("/api/v1/deployments", methods=["POST"], endpoint="create_deployment"),
    Rule("/api/v1/deployments", methods=["GET"], endpoint="list_deployments"),
    Rule("/api/v1/deployments/<deployed>", methods=["GET"], endpoint="get_deployment"),
    Rule("/api/v1/deployments/<deployed>", methods=["DELETE"], endpoint="delete_deployment"),
    Rule("/api/v1/deployments/<deployed>/scale", methods=["PUT"], endpoint="scale"),
    Rule("/api/v1/services/aigc/image-generation/generation", methods=["POST"], endpoint="generate_async"),
    Rule("/api/v1/services/aigc/multimodal-generation/generation", methods=["POST"], endpoint="generate_sync"),
    Rule("/api/v1/tasks/<task_id>", methods=["GET"], endpoint="get_task"),
    Rule("/api/v1/tasks/<task_id>/cancel", methods=["POST"], endpoint="cancel_task"),
    Rule("/_emulator/health", methods=["GET"], endpoint="c_health"),
    Rule("/_emulator/resources", methods=["GET"], endpoint="c_resources"),
    Rule("/_emulator/requests", methods=["GET"], endpoint="c_requests"),
    Rule("/_emulator/faults", methods=["GET", "POST", "DELETE"], endpoint="c_faults"),
    Rule("/_emulator/clock", methods=["POST"], endpoint="c_clock"),
    Rule("/_emulator/reset", methods=["POST"], endpoint="c_reset"),
    Rule("/_emulator/files/<file_id>/<name>", methods=["GET"], endpoint="c_file_bytes"),
    Rule(
        "/_emulator/blobs/preview/<job_id>/<checkpoint>/<int:index>.png",
        methods=["GET"],
        endpoint="c_preview",
    ),
    Rule("/_emulator/blobs/input/<job_id>/<int:index>.png", methods=["GET"], endpoint="c_input"),
    Rule("/_emulator/blobs/task/<task_id>/<int:index>.png", methods=["GET"], endpoint="c_task_png"),
]


class _ResetError(Exception):
    """The connection was closed on purpose."""


class EmulatorApp:
    """WSGI callable over one backend."""

    def __init__(self, backend: Backend, *, region: str = "cn-beijing", api_keys: Iterable[str] = ()) -> None:
        """Serve `backend`; accept keys of `region` (or only `api_keys` when given)."""
        self.backend = backend
        self.region = region
        self.api_keys = frozenset(api_keys)
        self.faults = Faults()
        self.log: list[dict[str, Any]] = []
        self._log_lock = threading.Lock()
        self.urls = Map([rule.empty() for rule in _RULES], strict_slashes=False)

    # -- plumbing ------------------------------------------------------------------------------------
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
        """Route, authenticate, apply faults, log."""
        request_id = str(uuid.uuid4())
        control = request.path.startswith("/_emulator/")
        fault = None if control else self.faults.pick(request.method, request.path)
        try:
            if fault is not None and fault.kind == "latency":
                time.sleep(fault.latency_ms / 1000)
            if fault is not None and fault.when == "before" and fault.kind != "latency":
                return self._fail(request, fault, request_id)
            response = self._route(request, request_id)
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
        codes = {
            429: "Throttling.RateQuota",
            500: "InternalError",
            502: "BadGateway",
            503: "ServiceUnavailable",
        }
        return self._error(
            ApiError(
                fault.status,
                codes.get(fault.status, "InternalError"),
                "Internal server error!" if fault.status == 500 else "Injected fault.",
            ),
            request_id,
        )

    def _record(self, request: Request, status: int, request_id: str, fault: Fault | None) -> None:
        if request.path.startswith("/_emulator/"):
            return
        with self._log_lock:
            self.log.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "request_id": request_id,
                    "fault": fault.label if fault else None,
                    "attempt": request.headers.get("X-Client-Attempt"),
                }
            )

    def _route(self, request: Request, request_id: str) -> Response:
        adapter = self.urls.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
        except HTTPException as exc:
            return self._error(
                ApiError(exc.code or 404, "NotFound", f"Not found: {request.method} {request.path}"), request_id
            )
        handler: Handler = getattr(self, f"h_{endpoint}")
        try:
            if not str(endpoint).startswith("c_"):
                self._authenticate(request)
            result = handler(request, request_id, **args)
        except ApiError as exc:
            return self._error(exc, request_id)
        except HTTPException as exc:
            return self._error(
                ApiError(exc.code or 400, "InvalidParameter", exc.description or "bad request"), request_id
            )
        if isinstance(result, Response):
            result.headers["X-Request-ID"] = request_id
            return result
        return self._json(result, request_id)

    @staticmethod
    def _json(body: dict[str, Any], request_id: str, status: int = 200) -> Response:
        return Response(
            json.dumps(body), status=status, mimetype="application/json", headers={"X-Request-ID": request_id}
        )

    def _error(self, error: ApiError, request_id: str) -> Response:
        body = {"request_id": request_id, "code": error.code, "message": error.message}
        return self._json(body, request_id, error.status)

    def _authenticate(self, request: Request) -> None:
        header = request.headers.get("Authorization", "")
        key = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        if not key:
            raise ApiError(401, "InvalidApiKey", "No API-key provided.")
        intl = key.startswith("sk-intl-")
        wrong_region = intl != (self.region == "ap-southeast-1")
        if not key.startswith("sk-") or wrong_region or (self.api_keys and key not in self.api_keys):
            raise ApiError(401, "InvalidApiKey", "Invalid API-key provided.")

    @staticmethod
    def _workspace(request: Request) -> str:
        return request.headers.get("X-DashScope-WorkSpace") or DEFAULT_WORKSPACE

    @staticmethod
    def _body(request: Request) -> dict[str, Any]:
        try:
            body = json.loads(request.get_data() or b"{}")
        except ValueError as exc:
            raise ApiError.invalid("The request body is not valid JSON.") from exc
        if not isinstance(body, dict):
            raise ApiError.invalid("The request body must be a JSON object.")
        return body

    @staticmethod
    def _int(request: Request, name: str, default: int) -> int:
        try:
            return int(request.args.get(name, default))
        except ValueError as exc:
            raise ApiError.invalid(f"{name} must be an integer") from exc

    @staticmethod
    def _base(request: Request) -> str:
        return request.host_url.rstrip("/")

    @staticmethod
    def _out(request_id: str, output: Any, key: str = "output") -> dict[str, Any]:
        return {"request_id": request_id, key: output}

    # -- files ---------------------------------------------------------------------------------------
    def h_upload(self, request: Request, rid: str) -> dict[str, Any]:
        parts = request.files.getlist("files") or request.files.getlist("file")
        if not parts:
            raise ApiError.invalid("No file was uploaded: send multipart part 'files'.")
        descriptions = request.form.getlist("descriptions") or request.form.getlist("description")
        purpose = request.form.get("purpose", "fine-tune")
        uploaded: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for index, part in enumerate(parts):
            description = descriptions[index] if index < len(descriptions) else ""
            result = self.backend.upload(
                self._workspace(request), part.filename or f"file-{index}", part.stream, purpose, description
            )
            (failed if "code" in result else uploaded).append(result)
        return self._out(rid, {"uploaded_files": uploaded, "failed_uploads": failed}, "data")

    def h_list_files(self, request: Request, rid: str) -> dict[str, Any]:
        data = self.backend.list_files(
            self._workspace(request),
            self._int(request, "page_no", 1),
            self._int(request, "page_size", 10),
            self._base(request),
        )
        return self._out(rid, data, "data")

    def h_get_file(self, request: Request, rid: str, file_id: str) -> dict[str, Any]:
        return self._out(rid, self.backend.get_file(self._workspace(request), file_id, self._base(request)), "data")

    def h_delete_file(self, request: Request, rid: str, file_id: str) -> dict[str, Any]:
        self.backend.delete_file(self._workspace(request), file_id)
        return {"request_id": rid}

    # -- fine-tunes ----------------------------------------------------------------------------------
    def h_create_job(self, request: Request, rid: str) -> dict[str, Any]:
        return self._out(rid, self.backend.create_job(self._workspace(request), self._body(request)))

    def h_list_jobs(self, request: Request, rid: str) -> dict[str, Any]:
        return self._out(
            rid,
            self.backend.list_jobs(
                self._workspace(request),
                self._int(request, "page_no", 1),
                self._int(request, "page_size", 10),
                request.args.get("model"),
            ),
        )

    def h_get_job(self, request: Request, rid: str, job_id: str) -> dict[str, Any]:
        return self._out(rid, self.backend.get_job(self._workspace(request), job_id))

    def h_delete_job(self, request: Request, rid: str, job_id: str) -> dict[str, Any]:
        self.backend.delete_job(self._workspace(request), job_id)
        return self._out(rid, {"status": "success"})

    def h_cancel_job(self, request: Request, rid: str, job_id: str) -> dict[str, Any]:
        self.backend.cancel_job(self._workspace(request), job_id)
        return self._out(rid, {"status": "success"})

    def h_logs(self, request: Request, rid: str, job_id: str) -> dict[str, Any]:
        return self._out(
            rid,
            self.backend.job_logs(
                self._workspace(request), job_id, self._int(request, "offset", 0), self._int(request, "line", 100)
            ),
        )

    def h_stream(self, request: Request, rid: str, job_id: str) -> Response:
        workspace = self._workspace(request)
        self.backend.get_job(workspace, job_id)

        def events() -> Iterator[bytes]:
            last = None
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                job = self.backend.get_job(workspace, job_id)
                if job["status"] != last:
                    last = job["status"]
                    yield f"id:{rid}\nevent:result\ndata:{json.dumps(job)}\n\n".encode()
                if job["status"] in TERMINAL:
                    return
                time.sleep(0.2)

        return Response(events(), mimetype="text/event-stream")

    def h_checkpoints(self, request: Request, rid: str, job_id: str) -> dict[str, Any]:
        return self._out(rid, self.backend.checkpoints(self._workspace(request), job_id))

    def h_export(self, request: Request, rid: str, job_id: str, checkpoint: str) -> dict[str, Any]:
        ok = self.backend.export(self._workspace(request), job_id, checkpoint, request.args.get("model_name"))
        return self._out(rid, ok)

    def h_validation_results(self, request: Request, rid: str, job_id: str) -> dict[str, Any]:
        return self._out(rid, self.backend.validation_results(self._workspace(request), job_id))

    def h_validation_details(self, request: Request, rid: str, job_id: str, checkpoint: str) -> dict[str, Any]:
        return self._out(
            rid,
            self.backend.validation_details(
                self._workspace(request),
                job_id,
                checkpoint,
                self._int(request, "page_no", 1),
                self._int(request, "page_size", 10),
                self._base(request),
            ),
        )

    # -- deployments ---------------------------------------------------------------------------------
    def h_create_deployment(self, request: Request, rid: str) -> dict[str, Any]:
        return self._out(rid, self.backend.create_deployment(self._workspace(request), self._body(request)))

    def h_list_deployments(self, request: Request, rid: str) -> dict[str, Any]:
        return self._out(
            rid,
            self.backend.list_deployments(
                self._workspace(request), self._int(request, "page_no", 1), self._int(request, "page_size", 10)
            ),
        )

    def h_get_deployment(self, request: Request, rid: str, deployed: str) -> dict[str, Any]:
        return self._out(rid, self.backend.get_deployment(self._workspace(request), deployed))

    def h_delete_deployment(self, request: Request, rid: str, deployed: str) -> dict[str, Any]:
        return self._out(rid, self.backend.delete_deployment(self._workspace(request), deployed))

    def h_scale(self, request: Request, rid: str, deployed: str) -> dict[str, Any]:
        return self._out(rid, self.backend.scale(self._workspace(request), deployed, self._body(request)))

    # -- images and tasks ----------------------------------------------------------------------------
    def h_generate_async(self, request: Request, rid: str) -> dict[str, Any]:
        if request.headers.get("X-DashScope-Async", "").lower() != "enable":
            raise ApiError(403, "AccessDenied", "current user api does not support synchronous calls")
        return self._out(rid, self.backend.submit_task(self._workspace(request), self._body(request)))

    def h_generate_sync(self, request: Request, rid: str) -> dict[str, Any]:
        body = self._body(request)
        output = self.backend.generate_sync(self._workspace(request), body, self._base(request))
        n = len(output["choices"])
        return {"request_id": rid, "output": output, "usage": {"image_count": n, "size": "1024*1024"}}

    def h_get_task(self, request: Request, rid: str, task_id: str) -> dict[str, Any]:
        output, usage = self.backend.get_task(task_id, self._base(request))
        body: dict[str, Any] = {"request_id": rid, "output": output}
        if usage:
            body["usage"] = usage
        return body

    def h_cancel_task(self, request: Request, rid: str, task_id: str) -> dict[str, Any]:
        self.backend.cancel_task(task_id)
        return {"request_id": rid}

    # -- control -------------------------------------------------------------------------------------
    def h_c_health(self, request: Request, rid: str) -> dict[str, Any]:
        return {
            "ok": True,
            "region": self.region,
            "speed": self.backend.clock.speed,
            "now": self.backend.now(),
        }

    def h_c_resources(self, request: Request, rid: str) -> dict[str, Any]:
        return self.backend.resources(self._base(request))

    def h_c_requests(self, request: Request, rid: str) -> Response:
        with self._log_lock:
            return Response(json.dumps(self.log), mimetype="application/json")

    def h_c_faults(self, request: Request, rid: str) -> Response:
        if request.method == "POST":
            try:
                self.faults.add(FaultRule.from_json(self._body(request)))
            except (ValueError, TypeError) as exc:
                raise ApiError.invalid(str(exc)) from exc
        elif request.method == "DELETE":
            self.faults.clear()
        return Response(json.dumps(self.faults.list()), mimetype="application/json")

    def h_c_clock(self, request: Request, rid: str) -> dict[str, Any]:
        body = self._body(request)
        if "speed" in body:
            self.backend.clock.set_speed(float(body["speed"]))
        if "advance_seconds" in body:
            self.backend.advance(float(body["advance_seconds"]))
        return {"ok": True, "speed": self.backend.clock.speed, "now": self.backend.now()}

    def h_c_reset(self, request: Request, rid: str) -> dict[str, Any]:
        self.backend.reset()
        self.faults.clear()
        with self._log_lock:
            self.log.clear()
        return {"ok": True}

    def h_c_file_bytes(self, request: Request, rid: str, file_id: str, name: str) -> Response:
        path = self.backend.file_path(file_id)
        if not path.is_file():
            raise ApiError.not_found("File not found.")
        return Response(path.open("rb"), mimetype="application/octet-stream", direct_passthrough=True)

    def h_c_preview(self, request: Request, rid: str, job_id: str, checkpoint: str, index: int) -> Response:
        prompt = self.backend.preview_prompt(job_id, index)
        step = int(checkpoint.rsplit("-", 1)[-1]) if checkpoint.rsplit("-", 1)[-1].isdigit() else 0
        return Response(render_png(prompt, seed=step, label=f"{checkpoint} #{index}"), mimetype="image/png")

    def h_c_input(self, request: Request, rid: str, job_id: str, index: int) -> Response:
        return Response(render_png(f"input {index}", seed=index), mimetype="image/png")

    def h_c_task_png(self, request: Request, rid: str, task_id: str, index: int) -> Response:
        prompt, seed = self.backend.task_prompt(task_id)
        return Response(render_png(prompt, seed=seed + index), mimetype="image/png")
