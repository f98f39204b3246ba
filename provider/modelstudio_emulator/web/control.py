"""Control routes (`/_emulator/...`): inspection, time, faults, compatibility readings, injected statuses, blobs.

Not part of the real API; no key needed.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Response

from modelstudio_emulator.compat import CompatError
from modelstudio_emulator.errors import ApiError
from modelstudio_emulator.faults import FaultRule, Faults
from modelstudio_emulator.images import render_png
from modelstudio_emulator.web.call import Call, Handler
from modelstudio_emulator.web.requestlog import RequestLog

__all__ = ["Control"]


def _json(data: Any) -> Response:
    return Response(json.dumps(data), mimetype="application/json")


class Control:
    """Handlers over the backend plus the HTTP layer's faults and request log."""

    def __init__(self, faults: Faults, log: RequestLog) -> None:
        """Share the app's fault rules and request log."""
        self.faults = faults
        self.log = log

    def routes(self) -> list[tuple[str, str, Handler]]:
        """(path, method, handler) of every control endpoint."""
        return [
            ("/_emulator/health", "GET", self.health),
            ("/_emulator/resources", "GET", self.resources),
            ("/_emulator/requests", "GET", self.requests),
            ("/_emulator/faults", "GET", self.faults_list),
            ("/_emulator/faults", "POST", self.faults_add),
            ("/_emulator/faults", "DELETE", self.faults_clear),
            ("/_emulator/clock", "POST", self.clock),
            ("/_emulator/reset", "POST", self.reset),
            ("/_emulator/compat", "GET", self.compat_get),
            ("/_emulator/compat", "POST", self.compat_set),
            ("/_emulator/deployments/<deployed>/status", "POST", self.deployment_status),
            ("/_emulator/fine-tunes/<job_id>/fail", "POST", self.job_failure),
            ("/_emulator/files/<file_id>/<name>", "GET", self.file_bytes),
            ("/_emulator/blobs/preview/<job_id>/<checkpoint>/<int:index>.png", "GET", self.preview),
            ("/_emulator/blobs/input/<job_id>/<int:index>.png", "GET", self.input_image),
            ("/_emulator/blobs/task/<task_id>/<int:index>.png", "GET", self.task_image),
        ]

    @staticmethod
    def health(call: Call) -> dict[str, Any]:
        """`{ok, region, speed, now, compat}`."""
        backend = call.backend
        return {
            "ok": True,
            "region": backend.region,
            "speed": backend.speed,
            "now": backend.now(),
            "compat": backend.compat.as_dict(),
        }

    @staticmethod
    def resources(call: Call) -> dict[str, Any]:
        """Every record, deleted ones included."""
        return call.backend.resources(call.links)

    def requests(self, call: Call) -> Response:
        """The request log, oldest first."""
        del call
        return _json(self.log.entries())

    def faults_list(self, call: Call) -> Response:
        """Fault rules with their hit counts."""
        del call
        return _json(self.faults.list())

    def faults_add(self, call: Call) -> Response:
        """Add a fault rule."""
        try:
            self.faults.add(FaultRule.from_json(call.body()))
        except (ValueError, TypeError) as exc:
            raise ApiError.invalid(str(exc)) from exc
        return _json(self.faults.list())

    def faults_clear(self, call: Call) -> Response:
        """Remove every fault rule."""
        del call
        self.faults.clear()
        return _json(self.faults.list())

    @staticmethod
    def clock(call: Call) -> dict[str, Any]:
        """`{"speed": F}` and/or `{"advance_seconds": N}`."""
        body, backend = call.body(), call.backend
        if "speed" in body:
            backend.set_speed(float(body["speed"]))
        if "advance_seconds" in body:
            backend.advance(float(body["advance_seconds"]))
        return {"ok": True, "speed": backend.speed, "now": backend.now()}

    def reset(self, call: Call) -> dict[str, Any]:
        """Forget records, stored files, faults and the request log (compatibility readings stay)."""
        call.backend.reset()
        self.faults.clear()
        self.log.clear()
        return {"ok": True}

    @staticmethod
    def compat_get(call: Call) -> dict[str, Any]:
        """The readings in force."""
        return call.backend.compat.as_dict()

    @staticmethod
    def compat_set(call: Call) -> dict[str, Any]:
        """`{"KEY": "VALUE", ...}` and/or `{"preset": "strict"|"default"}`."""
        try:
            call.backend.compat.update(call.body())
        except CompatError as exc:
            raise ApiError.invalid(str(exc)) from exc
        return call.backend.compat.as_dict()

    @staticmethod
    def deployment_status(call: Call, deployed: str) -> dict[str, Any]:
        """`{"status": "ARREARS_DOWN", "seconds": N?}` holds a status; `{"status": null}` returns to normal."""
        body = call.body()
        status = body.get("status")
        seconds = body.get("seconds")
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float)):
            raise ApiError.invalid("seconds must be a number")
        return call.backend.deployments.force_status(
            deployed, None if status is None else str(status), None if seconds is None else float(seconds)
        )

    @staticmethod
    def job_failure(call: Call, job_id: str) -> dict[str, Any]:
        """`{"code": C?, "message": M?}`: the PENDING job ends FAILED after its data check, with that reason."""
        body = call.body()
        code = str(body.get("code") or "InternalError")
        message = str(body.get("message") or "Training failed.")
        return call.backend.fine_tunes.force_failure(job_id, code, message)

    @staticmethod
    def file_bytes(call: Call, file_id: str, name: str) -> Response:
        """The stored bytes of a file (its signed download URL)."""
        del name
        path = call.backend.file_path(file_id)
        if not path.is_file():
            raise ApiError.not_found("File not found.")
        return Response(path.open("rb"), mimetype="application/octet-stream", direct_passthrough=True)

    @staticmethod
    def preview(call: Call, job_id: str, checkpoint: str, index: int) -> Response:
        """A validation preview PNG."""
        prompt = call.backend.fine_tunes.preview_prompt(job_id, index)
        tail = checkpoint.rsplit("-", 1)[-1]
        step = int(tail) if tail.isdigit() else 0
        return Response(render_png(prompt, seed=step, label=f"{checkpoint} #{index}"), mimetype="image/png")

    @staticmethod
    def input_image(call: Call, job_id: str, index: int) -> Response:
        """A validation reference image PNG."""
        del call, job_id
        return Response(render_png(f"input {index}", seed=index), mimetype="image/png")

    @staticmethod
    def task_image(call: Call, task_id: str, index: int) -> Response:
        """A generated image PNG."""
        prompt, seed = call.backend.images.task_prompt(task_id)
        return Response(render_png(prompt, seed=seed + index), mimetype="image/png")
