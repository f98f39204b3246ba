"""Settings resolution with env fallbacks, and the error tree's messages."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_modelstudio.errors import (
    AuthenticationError,
    ConfigurationError,
    InternalServerError,
    RateLimitError,
    WaitTimeoutError,
    make_status_error,
    scrub,
)
from pulumi_modelstudio.settings.client_settings import REGION_ENDPOINTS, ClientSettings


def test_env_fills_every_gap() -> None:
    env = {
        "DASHSCOPE_API_KEY": "sk-env",
        "DASHSCOPE_HTTP_BASE_URL": "http://127.0.0.1:9/api/v1/",
        "DASHSCOPE_REGION": "ap-southeast-1",
        "DASHSCOPE_WORKSPACE": "llm-ws",
        "MODELSTUDIO_TIME_SCALE": "600",
    }
    settings = ClientSettings.resolve(env=env)
    assert settings.api_key.get_secret_value() == "sk-env"
    assert settings.endpoint == "http://127.0.0.1:9/api/v1"
    assert (settings.region, settings.workspace, settings.time_scale) == ("ap-southeast-1", "llm-ws", 600.0)


def test_explicit_values_win_and_region_picks_the_endpoint() -> None:
    settings = ClientSettings.resolve(api_key="sk-a", region="ap-southeast-1", env={"DASHSCOPE_API_KEY": "sk-b"})
    assert settings.api_key.get_secret_value() == "sk-a"
    assert settings.endpoint == REGION_ENDPOINTS["ap-southeast-1"]
    assert "sk-a" not in repr(settings)


def test_missing_key_names_both_ways_to_set_it() -> None:
    with pytest.raises(ConfigurationError) as err:
        ClientSettings.resolve(env={})
    assert "pulumi config set --secret modelstudio:apiKey" in str(err.value)
    assert "DASHSCOPE_API_KEY" in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [({"region": "us-east-1"}, "does not offer fine-tuning"), ({"endpoint": "ftp://x"}, r"not an http\(s\) URL")],
)
def test_bad_region_or_endpoint(kwargs: dict[str, Any], expected: str) -> None:
    with pytest.raises(ConfigurationError, match=expected):
        ClientSettings.resolve(api_key="sk-x", env={}, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"endpoint": "http://dashscope.aliyuncs.com/api/v1"}, "plain http"),
        ({"api_key": "sk-x\r\nInjected: 1"}, "modelstudio:apiKey .* control character"),
        ({"workspace": "llm-\nws"}, "modelstudio:workspace .* control character"),
    ],
)
def test_unsafe_settings_are_refused_before_any_request(kwargs: dict[str, Any], expected: str) -> None:
    with pytest.raises(ConfigurationError, match=expected) as err:
        ClientSettings.resolve(**{"api_key": "sk-x", **kwargs}, env={})
    assert "Injected" not in str(err.value)


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:8765/api/v1", "http://localhost:1/api/v1", "https://h/api/v1"])
def test_http_to_this_machine_and_https_anywhere_are_accepted(endpoint: str) -> None:
    assert ClientSettings.resolve(api_key="sk-x", endpoint=endpoint, env={}).endpoint == endpoint


def test_status_errors_read_what_which_why_and_request_id() -> None:
    body = {"code": "InvalidApiKey", "message": "Invalid API-key provided.", "request_id": "rid-1"}
    err = make_status_error(401, body, method="GET", url="https://h/api/v1/fine-tunes?page_no=1", request_id=None)
    assert isinstance(err, AuthenticationError)
    assert str(err).startswith(
        "GET /api/v1/fine-tunes failed: 401 InvalidApiKey: Invalid API-key provided. (request_id=rid-1)"
    )
    assert isinstance(make_status_error(503, None, method="GET", url="/x", request_id=None), InternalServerError)
    msg_body = {"code": "Throttling", "msg": "too many"}
    limited = make_status_error(429, msg_body, method="POST", url="/x", request_id="r")
    assert isinstance(limited, RateLimitError)
    assert "too many" in str(limited)


def test_keys_are_scrubbed_from_every_message() -> None:
    assert scrub("key sk-abcdef123456 leaked") == "key sk-*** leaked"
    err = make_status_error(400, {"message": "bad key sk-live-secret-99"}, method="GET", url="/x", request_id=None)
    assert "sk-live-secret-99" not in str(err)


def test_wait_timeout_says_what_which_and_how_long() -> None:
    err = WaitTimeoutError(what="deployment", ident="m-1", last_status="PENDING", waited_s=61.2)
    assert str(err) == "deployment m-1 still PENDING after 61 s"
