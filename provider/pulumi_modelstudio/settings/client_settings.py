"""Client settings: key, endpoint, region, workspace, timeouts, retries; resolved with env fallbacks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from pulumi_modelstudio.errors import ConfigurationError
from pulumi_modelstudio.settings.rules import REGION_ENDPOINTS, endpoint_problem, header_value_problem, region_problem

__all__ = ["REGION_ENDPOINTS", "ClientSettings"]

Region = Literal["cn-beijing", "ap-southeast-1"]


class ClientSettings(BaseModel):
    """How to reach the API; `repr` never shows the key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_key: SecretStr
    """DashScope API key (region-bound)."""
    endpoint: str
    """Base URL including `/api/v1`, no trailing slash."""
    region: Region = "cn-beijing"
    """Region the key belongs to."""
    workspace: str | None = None
    """Sent as `X-DashScope-WorkSpace` when set."""
    timeout_s: float = Field(default=60.0, gt=0)
    """Read timeout of one request."""
    connect_timeout_s: float = Field(default=10.0, gt=0)
    """Connect timeout of one request."""
    max_retries: int = Field(default=5, ge=0)
    """Retries after the first attempt."""
    initial_retry_delay_s: float = Field(default=0.5, ge=0)
    """First backoff delay."""
    max_retry_delay_s: float = Field(default=8.0, ge=0)
    """Backoff cap."""
    time_scale: float = Field(default=1.0, gt=0)
    """Server seconds per real second: 1 for the real API, the emulator's speed locally."""

    @classmethod
    def resolve(
        cls,
        *,
        api_key: str | None = None,
        endpoint: str | None = None,
        region: str | None = None,
        workspace: str | None = None,
        time_scale: float | None = None,
        env: Mapping[str, str] = os.environ,
    ) -> ClientSettings:
        """Fill gaps from `DASHSCOPE_*` / `MODELSTUDIO_TIME_SCALE`; say exactly what is missing."""
        key = api_key or env.get("DASHSCOPE_API_KEY")
        if not key:
            msg = (
                "No Model Studio API key: set it with `pulumi config set --secret modelstudio:apiKey sk-…` "
                "or `export DASHSCOPE_API_KEY=sk-…`"
            )
            raise ConfigurationError(msg)
        chosen_region = region or env.get("DASHSCOPE_REGION") or "cn-beijing"
        problem = region_problem(chosen_region)
        if problem:
            msg = f"modelstudio:region (DASHSCOPE_REGION) {problem}"
            raise ConfigurationError(msg)
        url = endpoint or env.get("DASHSCOPE_HTTP_BASE_URL") or REGION_ENDPOINTS[chosen_region]
        problem = endpoint_problem(url, REGION_ENDPOINTS[chosen_region])
        if problem:
            msg = f"modelstudio:endpoint (DASHSCOPE_HTTP_BASE_URL) {problem}"
            raise ConfigurationError(msg)
        chosen_workspace = workspace or env.get("DASHSCOPE_WORKSPACE") or None
        for name, value in (("apiKey (DASHSCOPE_API_KEY)", key), ("workspace (DASHSCOPE_WORKSPACE)", chosen_workspace)):
            problem = header_value_problem(value) if value else None
            if problem:
                msg = f"modelstudio:{name} {problem}"
                raise ConfigurationError(msg)
        try:
            scale = time_scale or float(env.get("MODELSTUDIO_TIME_SCALE") or 1.0)
        except ValueError:
            msg = "MODELSTUDIO_TIME_SCALE is not a number — unset it for the real API (1) or use e.g. 600"
            raise ConfigurationError(msg) from None
        return cls(
            api_key=SecretStr(key),
            endpoint=url.rstrip("/"),
            region=chosen_region,  # type: ignore[arg-type]
            workspace=chosen_workspace,
            time_scale=scale,
        )
