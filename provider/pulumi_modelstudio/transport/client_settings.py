"""Client settings: key, endpoint, region, workspace, timeouts, retries, as `settings.config` resolves them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

__all__ = ["ClientSettings"]

Region = Literal["cn-beijing", "ap-southeast-1"]


class ClientSettings(BaseModel):
    """How to reach the API; `repr` never shows the key."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

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
