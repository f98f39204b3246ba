"""Base classes: `Answer` accepts unknown fields; `Request` forbids them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Answer", "Request"]


class Answer(BaseModel):
    """A response object: new server fields never break parsing."""

    model_config = ConfigDict(defer_build=True, extra="allow", populate_by_name=True)


class Request(BaseModel):
    """A request body: unknown fields are a bug; NaN and Infinity, which JSON cannot carry, are refused."""

    model_config = ConfigDict(defer_build=True, extra="forbid", allow_inf_nan=False)
