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
from pulumi_modelstudio.settings.config import MISSING_KEY, ConnectionConfig
from pulumi_modelstudio.settings.rules import REGION_ENDPOINTS


def test_env_fills_every_gap() -> None:
    env = {
        "DASHSCOPE_API_KEY": "sk-env",
        "DASHSCOPE_HTTP_BASE_URL": "http://127.0.0.1:9/api/v1/",
        "DASHSCOPE_REGION": "ap-southeast-1",
        "DASHSCOPE_WORKSPACE": "llm-ws",
        "MODELSTUDIO_TIME_SCALE": "600",
    }
    settings = ConnectionConfig.from_options(env=env).client_settings()
    assert settings.api_key.get_secret_value() == "sk-env"
    assert settings.endpoint == "http://127.0.0.1:9/api/v1"
    assert (settings.region, settings.workspace, settings.time_scale) == ("ap-southeast-1", "llm-ws", 600.0)


def test_explicit_values_win_and_region_picks_the_endpoint() -> None:
    config = ConnectionConfig.from_options(api_key="sk-a", region="ap-southeast-1", env={"DASHSCOPE_API_KEY": "sk-b"})
    settings = config.client_settings()
    assert settings.api_key.get_secret_value() == "sk-a"
    assert settings.endpoint == REGION_ENDPOINTS["ap-southeast-1"]
    assert "sk-a" not in repr(settings)
    assert "sk-a" not in repr(config)


def test_missing_key_names_both_ways_to_set_it() -> None:
    with pytest.raises(ConfigurationError) as err:
        ConnectionConfig.from_options(env={}).client_settings()
    assert "pulumi config set --secret modelstudio:apiKey" in str(err.value)
    assert "DASHSCOPE_API_KEY" in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"region": "us-east-1"}, "--region 'us-east-1' does not offer fine-tuning"),
        ({"endpoint": "ftp://x"}, r"--endpoint 'ftp://x' is not an http\(s\) URL"),
    ],
)
def test_bad_region_or_endpoint_names_the_option(kwargs: dict[str, Any], expected: str) -> None:
    with pytest.raises(ConfigurationError, match=expected):
        ConnectionConfig.from_options(api_key="sk-x", env={}, **kwargs).client_settings()


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
        ConnectionConfig(**{"api_key": "sk-x", **kwargs}).client_settings()
    assert "Injected" not in str(err.value)


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:8765/api/v1", "http://localhost:1/api/v1", "https://h/api/v1"])
def test_http_to_this_machine_and_https_anywhere_are_accepted(endpoint: str) -> None:
    assert ConnectionConfig(api_key="sk-x", endpoint=endpoint).client_settings().endpoint == endpoint


@pytest.mark.parametrize("base", ["http://127.0.0.1:8765", "http://127.0.0.1:8765/", "https://dashscope.aliyuncs.com"])
def test_an_endpoint_without_a_path_gets_the_native_api_path(base: str) -> None:
    config = ConnectionConfig(api_key="sk-x", endpoint=base)
    assert config.problems() == []
    assert config.client_settings().endpoint == base.rstrip("/") + "/api/v1"


@pytest.mark.parametrize(
    ("endpoint", "meant"),
    [
        ("http://127.0.0.1:8765/v1", "http://127.0.0.1:8765/api/v1"),
        ("https://dashscope.aliyuncs.com/compatible-mode/v1", "https://dashscope.aliyuncs.com/api/v1"),
    ],
)
def test_a_wrong_api_path_says_which_one_was_meant(endpoint: str, meant: str) -> None:
    [problem] = ConnectionConfig.from_options(api_key="sk-x", endpoint=endpoint, env={}).problems()
    assert problem.startswith(f"--endpoint '{endpoint}'")
    assert f"did you mean {meant}?" in problem


def test_the_cli_and_the_providers_read_the_same_settings() -> None:
    env = {"DASHSCOPE_HTTP_BASE_URL": "emulator", "DASHSCOPE_REGION": "ap-southeast-1"}

    class _Stack:
        def get(self, key: str) -> object:
            return {"modelstudio:workspace": "ws-1"}.get(key)

    from_options = ConnectionConfig.from_options(workspace="ws-1", env=env)
    assert from_options == ConnectionConfig.from_pulumi_config(_Stack(), env=env)
    assert from_options.uses_emulator
    assert from_options.warnings() == []  # the embedded emulator needs no key
    assert ConnectionConfig.from_options(env={}).warnings() == [MISSING_KEY]


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
