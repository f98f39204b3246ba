"""Routes of the emulated DashScope API (`/api/v1/...`)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from werkzeug.wrappers import Response

from modelstudio_emulator.errors import ApiError
from modelstudio_emulator.lifecycle import TERMINAL
from modelstudio_emulator.web.call import Call, Handler

__all__ = ["API_ROUTES"]

STREAM_LIMIT_S = 600.0
STREAM_POLL_S = 0.2
DEPLOYMENT_SETTLED = ("RUNNING", "FAILED", "UPDATING_FAILED", "STOPPED", "ARREARS_DOWN")


# -- files ---------------------------------------------------------------------------------------------
def upload(call: Call) -> dict[str, Any]:
    """POST /files (multipart `files` or `file`)."""
    request = call.request
    parts = request.files.getlist("files") or request.files.getlist("file")
    if not parts:
        raise ApiError.invalid("No file was uploaded: send multipart part 'files'.")
    descriptions = request.form.getlist("descriptions") or request.form.getlist("description")
    purpose = request.form.get("purpose", "fine-tune")
    uploaded: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for index, part in enumerate(parts):
        description = descriptions[index] if index < len(descriptions) else ""
        result = call.backend.files.upload(
            call.workspace, part.filename or f"file-{index}", part.stream, purpose, description
        )
        (failed if "code" in result else uploaded).append(result)
    return call.out({"uploaded_files": uploaded, "failed_uploads": failed}, "data")


def list_files(call: Call) -> dict[str, Any]:
    """GET /files."""
    page = call.backend.files.list_files(
        call.workspace, call.int_arg("page_no", 1), call.int_arg("page_size", 10), call.links
    )
    return call.out(page, "data")


def get_file(call: Call, file_id: str) -> dict[str, Any]:
    """GET /files/{id}."""
    return call.out(call.backend.files.get(call.workspace, file_id, call.links), "data")


def delete_file(call: Call, file_id: str) -> dict[str, Any]:
    """DELETE /files/{id}: `{request_id}` only."""
    call.backend.files.delete(call.workspace, file_id)
    return {"request_id": call.request_id}


# -- fine-tunes ----------------------------------------------------------------------------------------
def create_job(call: Call) -> dict[str, Any]:
    """POST /fine-tunes."""
    return call.out(call.backend.fine_tunes.create(call.workspace, call.body()))


def list_jobs(call: Call) -> dict[str, Any]:
    """GET /fine-tunes."""
    return call.out(
        call.backend.fine_tunes.list_jobs(
            call.workspace,
            call.int_arg("page_no", 1),
            call.int_arg("page_size", 10),
            call.request.args.get("model"),
        )
    )


def get_job(call: Call, job_id: str) -> dict[str, Any]:
    """GET /fine-tunes/{id}."""
    return call.out(call.backend.fine_tunes.get(call.workspace, job_id))


def delete_job(call: Call, job_id: str) -> dict[str, Any]:
    """DELETE /fine-tunes/{id}."""
    call.backend.fine_tunes.delete(call.workspace, job_id)
    return call.out({"status": "success"})


def cancel_job(call: Call, job_id: str) -> dict[str, Any]:
    """POST /fine-tunes/{id}/cancel."""
    call.backend.fine_tunes.cancel(call.workspace, job_id)
    return call.out({"status": "success"})


def job_logs(call: Call, job_id: str) -> dict[str, Any]:
    """GET /fine-tunes/{id}/logs."""
    logs = call.backend.fine_tunes.logs(call.workspace, job_id, call.int_arg("offset", 0), call.int_arg("line", 100))
    return call.out(logs)


def _events(call: Call, read: Callable[[], dict[str, Any] | None], done: Callable[[str], bool]) -> Response:
    """Server-sent events: one `result` event per status change, until `done(status)` or the object is gone."""

    def events() -> Iterator[bytes]:
        last = None
        deadline = time.monotonic() + STREAM_LIMIT_S
        while time.monotonic() < deadline:
            current = read()
            if current is None:
                return
            if current["status"] != last:
                last = current["status"]
                yield f"id:{call.request_id}\nevent:result\ndata:{json.dumps(current)}\n\n".encode()
            if done(str(last)):
                return
            time.sleep(STREAM_POLL_S)

    return Response(events(), mimetype="text/event-stream")


def job_stream(call: Call, job_id: str) -> Response:
    """GET /fine-tunes/{id}/stream (SDK): job status changes until a terminal status."""
    jobs, workspace = call.backend.fine_tunes, call.workspace
    jobs.get(workspace, job_id)

    def read() -> dict[str, Any] | None:
        try:
            return jobs.get(workspace, job_id)
        except ApiError:
            return None

    return _events(call, read, lambda status: status in TERMINAL)


def checkpoints(call: Call, job_id: str) -> dict[str, Any]:
    """GET /fine-tunes/{id}/checkpoints."""
    return call.out(call.backend.fine_tunes.checkpoints(call.workspace, job_id))


def export(call: Call, job_id: str, checkpoint: str) -> dict[str, Any]:
    """GET /fine-tunes/{id}/export/{checkpoint}?model_name=NAME."""
    model_name = call.request.args.get("model_name")
    return call.out(call.backend.fine_tunes.export(call.workspace, job_id, checkpoint, model_name))


def validation_results(call: Call, job_id: str) -> dict[str, Any]:
    """GET /fine-tunes/{id}/validation-results."""
    return call.out(call.backend.fine_tunes.validation_results(call.workspace, job_id))


def validation_details(call: Call, job_id: str, checkpoint: str) -> dict[str, Any]:
    """GET /fine-tunes/{id}/validation-details/{checkpoint}."""
    details = call.backend.fine_tunes.validation_details(
        call.workspace,
        job_id,
        checkpoint,
        call.int_arg("page_no", 1),
        call.int_arg("page_size", 10),
        call.links,
    )
    return call.out(details)


# -- deployments ---------------------------------------------------------------------------------------
def create_deployment(call: Call) -> dict[str, Any]:
    """POST /deployments."""
    return call.out(call.backend.deployments.create(call.workspace, call.body()))


def list_deployments(call: Call) -> dict[str, Any]:
    """GET /deployments."""
    page = call.backend.deployments.list_deployments(
        call.workspace, call.int_arg("page_no", 1), call.int_arg("page_size", 10)
    )
    return call.out(page)


def deployable_models(call: Call) -> dict[str, Any]:
    """GET /deployments/models."""
    page = call.backend.deployments.models(
        call.workspace,
        call.int_arg("page_no", 1),
        call.int_arg("page_size", 50),
        call.request.args.get("model_source") or "base",
    )
    return call.out(page)


def get_deployment(call: Call, deployed: str) -> dict[str, Any]:
    """GET /deployments/{deployed_model}."""
    return call.out(call.backend.deployments.get(call.workspace, deployed))


def delete_deployment(call: Call, deployed: str) -> dict[str, Any]:
    """DELETE /deployments/{deployed_model}."""
    return call.out(call.backend.deployments.delete(call.workspace, deployed))


def scale(call: Call, deployed: str) -> dict[str, Any]:
    """PUT /deployments/{deployed_model}/scale."""
    return call.out(call.backend.deployments.scale(call.workspace, deployed, call.body()))


def deployment_stream(call: Call, deployed: str) -> Response:
    """GET /deployments/{deployed_model}/stream (SDK): status changes until settled or gone."""
    deployments, workspace = call.backend.deployments, call.workspace
    deployments.get(workspace, deployed)
    return _events(call, lambda: deployments.current(workspace, deployed), DEPLOYMENT_SETTLED.__contains__)


# -- images and tasks ----------------------------------------------------------------------------------
def _require_async(call: Call) -> None:
    if call.request.headers.get("X-DashScope-Async", "").lower() != "enable":
        raise ApiError(403, "AccessDenied", "current user api does not support synchronous calls")


def generate_async(call: Call) -> dict[str, Any]:
    """POST /services/aigc/image-generation/generation (needs `X-DashScope-Async: enable`)."""
    _require_async(call)
    return call.out(call.backend.images.submit_generation(call.workspace, call.body()))


def generate_sync(call: Call) -> dict[str, Any]:
    """POST /services/aigc/multimodal-generation/generation."""
    output, usage = call.backend.images.generate_sync(call.workspace, call.body(), call.links)
    return {"request_id": call.request_id, "output": output, "usage": usage}


def synthesize(call: Call) -> dict[str, Any]:
    """POST /services/aigc/text2image/image-synthesis (legacy; async only)."""
    _require_async(call)
    return call.out(call.backend.images.submit_synthesis(call.workspace, call.body()))


def list_tasks(call: Call) -> dict[str, Any]:
    """GET /tasks: not wrapped in `output`."""
    query = {k: v for k, v in call.request.args.items() if k not in ("page_no", "page_size")}
    page = call.backend.images.list_tasks(query, call.int_arg("page_no", 1), call.int_arg("page_size", 10))
    return {"request_id": call.request_id, **page}


def get_task(call: Call, task_id: str) -> dict[str, Any]:
    """GET /tasks/{id}; unknown ids answer 200 UNKNOWN."""
    output, usage = call.backend.images.get_task(task_id, call.links)
    body: dict[str, Any] = {"request_id": call.request_id, "output": output}
    if usage:
        body["usage"] = usage
    return body


def cancel_task(call: Call, task_id: str) -> dict[str, Any]:
    """POST /tasks/{id}/cancel."""
    call.backend.images.cancel_task(task_id)
    return {"request_id": call.request_id}


API_ROUTES: list[tuple[str, str, Handler]] = [
    ("/api/v1/files", "POST", upload),
    ("/api/v1/files", "GET", list_files),
    ("/api/v1/files/<file_id>", "GET", get_file),
    ("/api/v1/files/<file_id>", "DELETE", delete_file),
    ("/api/v1/fine-tunes", "POST", create_job),
    ("/api/v1/fine-tunes", "GET", list_jobs),
    ("/api/v1/fine-tunes/<job_id>", "GET", get_job),
    ("/api/v1/fine-tunes/<job_id>", "DELETE", delete_job),
    ("/api/v1/fine-tunes/<job_id>/cancel", "POST", cancel_job),
    ("/api/v1/fine-tunes/<job_id>/logs", "GET", job_logs),
    ("/api/v1/fine-tunes/<job_id>/stream", "GET", job_stream),
    ("/api/v1/fine-tunes/<job_id>/checkpoints", "GET", checkpoints),
    ("/api/v1/fine-tunes/<job_id>/export/<checkpoint>", "GET", export),
    ("/api/v1/fine-tunes/<job_id>/validation-results", "GET", validation_results),
    ("/api/v1/fine-tunes/<job_id>/validation-details/<checkpoint>", "GET", validation_details),
    ("/api/v1/deployments", "POST", create_deployment),
    ("/api/v1/deployments", "GET", list_deployments),
    ("/api/v1/deployments/models", "GET", deployable_models),
    ("/api/v1/deployments/<deployed>", "GET", get_deployment),
    ("/api/v1/deployments/<deployed>", "DELETE", delete_deployment),
    ("/api/v1/deployments/<deployed>/scale", "PUT", scale),
    ("/api/v1/deployments/<deployed>/stream", "GET", deployment_stream),
    ("/api/v1/services/aigc/image-generation/generation", "POST", generate_async),
    ("/api/v1/services/aigc/multimodal-generation/generation", "POST", generate_sync),
    ("/api/v1/services/aigc/text2image/image-synthesis", "POST", synthesize),
    ("/api/v1/tasks", "GET", list_tasks),
    ("/api/v1/tasks/<task_id>", "GET", get_task),
    ("/api/v1/tasks/<task_id>/cancel", "POST", cancel_task),
]
"""(path, method, handler) of every API operation."""
