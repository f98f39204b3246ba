"""The request loop with scripted answers: what is retried, what never is, and how errors read."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from pulumi_modelstudio.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
)
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.transport import Transport

KEY = "sk-transport-secret-123"
Answer = Callable[[httpx.Request], httpx.Response]


def _transport(
    answers: list[Answer | Exception], *, workspace: str | None = None
) -> tuple[Transport, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer(request)

    settings = ConnectionConfig(api_key=KEY, endpoint="https://api.test/api/v1", workspace=workspace).client_settings()
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Transport(settings, http_client=client, sleep=lambda _s: None), seen


def ok(body: dict[str, object] | None = None) -> Answer:
    return lambda _r: httpx.Response(200, json=body or {"request_id": "r-ok", "output": {}})


def fail(status: int, code: str = "X", message: str = "m", request_id: str | None = "r-1") -> Answer:
    body: dict[str, object] = {"code": code, "message": message}
    if request_id:
        body["request_id"] = request_id
    return lambda _r: httpx.Response(status, json=body)


def test_429_on_a_create_is_retried() -> None:
    transport, seen = _transport([fail(429, "Throttling"), ok()])
    assert transport.request("POST", "fine-tunes", json={}) == {"request_id": "r-ok", "output": {}}
    assert len(seen) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_server_errors_on_reads_are_retried(status: int) -> None:
    transport, seen = _transport([fail(status), fail(status), ok()])
    transport.request("GET", "fine-tunes/ft-1")
    assert len(seen) == 3


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_create_that_may_have_landed_is_never_resent(status: int) -> None:
    transport, seen = _transport([fail(status), ok()])
    with pytest.raises(APIStatusError):
        transport.request("POST", "fine-tunes", json={"model": "m"})
    assert len(seen) == 1


def test_connect_error_on_a_create_is_retried_because_nothing_was_sent() -> None:
    transport, seen = _transport([httpx.ConnectError("refused"), ok()])
    transport.request("POST", "fine-tunes", json={})
    assert len(seen) == 2


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.ReadTimeout("slow"), APITimeoutError),
        (httpx.RemoteProtocolError("reset"), APIConnectionError),
        (httpx.ReadError("reset"), APIConnectionError),
    ],
)
def test_unclear_failures_of_a_create_raise_at_once(error: Exception, expected: type[Exception]) -> None:
    transport, seen = _transport([error, ok()])
    with pytest.raises(expected):
        transport.request("POST", "deployments", json={})
    assert len(seen) == 1


@pytest.mark.parametrize("error", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("reset")])
def test_unclear_failures_of_reads_are_retried(error: Exception) -> None:
    transport, seen = _transport([error, ok()])
    transport.request("GET", "deployments/x")
    assert len(seen) == 2


def test_retries_stop_at_max_retries() -> None:
    transport, seen = _transport([fail(503)])
    with pytest.raises(InternalServerError):
        transport.request("GET", "files")
    assert len(seen) == transport.settings.max_retries + 1


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, InternalServerError),
    ],
)
def test_each_status_maps_to_its_error_with_what_which_and_request_id(status: int, cls: type[APIStatusError]) -> None:
    transport, _ = _transport([fail(status, "SomeCode", "what went wrong", "req-42")])
    with pytest.raises(cls) as err:
        transport.request("DELETE" if status != 429 else "GET", "deployments/model-x")
    assert err.value.status_code == status
    assert err.value.code == "SomeCode"
    assert err.value.request_id == "req-42"
    text = str(err.value)
    assert f"/api/v1/deployments/model-x failed: {status} SomeCode: what went wrong (request_id=req-42)" in text


def test_request_id_falls_back_to_the_header() -> None:
    answer: Answer = lambda _r: httpx.Response(404, json={"code": "NotFound"}, headers={"X-Request-ID": "hdr-7"})  # noqa: E731
    transport, _ = _transport([answer])
    with pytest.raises(NotFoundError) as err:
        transport.request("GET", "files/x")
    assert err.value.request_id == "hdr-7"


def test_401_says_what_to_check_and_never_shows_the_key() -> None:
    leaky: Answer = lambda _r: httpx.Response(  # noqa: E731
        401, json={"code": "InvalidApiKey", "message": f"Invalid API-key provided: {KEY}", "request_id": "r"}
    )
    transport, _ = _transport([leaky])
    with pytest.raises(AuthenticationError) as err:
        transport.request("GET", "fine-tunes")
    assert KEY not in str(err.value)
    assert "region" in str(err.value)


def test_429_quota_message_explains_the_quota() -> None:
    transport, _ = _transport([fail(429, "Throttling", "Only 20 fine-tune job in running or succeeded allowed")])
    transport.settings = transport.settings.model_copy(update={"max_retries": 0})
    with pytest.raises(RateLimitError) as err:
        transport.request("POST", "fine-tunes", json={})
    assert "20 jobs may be running or succeeded" in str(err.value)


def test_headers_carry_key_workspace_and_attempt_number() -> None:
    transport, seen = _transport([fail(503), ok()], workspace="llm-ws1")
    transport.request("GET", "files")
    assert seen[0].headers["Authorization"] == f"Bearer {KEY}"
    assert seen[0].headers["X-DashScope-WorkSpace"] == "llm-ws1"
    assert [r.headers["X-Client-Attempt"] for r in seen] == ["1", "2"]
    assert seen[0].headers["User-Agent"].startswith("modelstudio-lora/")


def test_a_2xx_that_is_not_json_is_a_validation_error() -> None:
    transport, _ = _transport([lambda _r: httpx.Response(200, text="<html>")])
    with pytest.raises(ResponseValidationError):
        transport.request("GET", "files")


def test_uploads_rewind_their_stream_before_a_retry() -> None:
    rewinds: list[int] = []
    transport, seen = _transport([httpx.ConnectError("refused"), ok()])
    transport.request("POST", "files", data={"purpose": "fine-tune"}, rewind=lambda: rewinds.append(1))
    assert len(seen) == 2
    assert rewinds == [1]


@pytest.mark.parametrize(
    ("method", "path", "cls"),
    [
        ("GET", "files/f-1", NotFoundError),
        ("DELETE", "files/f-1", NotFoundError),
        ("POST", "fine-tunes", BadRequestError),  # a create naming a missing file is a bad request, not "gone"
    ],
)
def test_the_documented_file_not_found_answer_means_gone_for_the_files_api(
    method: str, path: str, cls: type[APIStatusError]
) -> None:
    transport, _ = _transport([fail(400, "InvalidParameter", "File not found.")])
    with pytest.raises(APIStatusError) as err:
        transport.request(method, path)
    assert type(err.value) is cls
    assert err.value.status_code == 400
