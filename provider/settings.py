"""Client settings: key, endpoint, region, workspace, timeouts, retries; resolved with env fallbacks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from provider.errors import ConfigurationError

__all__ = ["REGION_ENDPOINTS", "ClientSettings"]

REGION_ENDPOINTS: dict[str, str] = {
    "cn-beijing": "https://dashscope.aliyuncs.com/api/v1",
    "ap-southeast-1": "https://dashscope-intl.aliyuncs.com/api/v1",
}
"""Native API base URL per region (fine-tuning is not offered in the other regions)."""

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
        if chosen_region not in REGION_ENDPOINTS:
            msg = (
                f"modelstudio:region {chosen_region!r} does not offer fine-tuning: "
                f"use one of {', '.join(REGION_ENDPOINTS)}"
            )
            raise ConfigurationError(msg)
        url = endpoint or env.get("DASHSCOPE_HTTP_BASE_URL") or REGION_ENDPOINTS[chosen_region]
        if not url.startswith(("http://", "https://")):
            msg = f"modelstudio:endpoint {url!r} is not an http(s) URL — use e.g. {REGION_ENDPOINTS[chosen_region]}"
            raise ConfigurationError(msg)
        scale = time_scale or float(env.get("MODELSTUDIO_TIME_SCALE") or 1.0)
        return cls(
            api_key=SecretStr(key),
            endpoint=url.rstrip("/"),
            region=chosen_region,  # type: ignore[arg-type]
            workspace=workspace or env.get("DASHSCOPE_WORKSPACE") or None,
            time_scale=scale,
        )
