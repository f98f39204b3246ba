"""Base classes: `Answer` accepts unknown fields; `Page` adds list pagination; `Request` forbids unknown fields."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Answer", "Page", "Request"]


class Answer(BaseModel):
    """A response object: new server fields never break parsing."""

    model_config = ConfigDict(defer_build=True, extra="allow", populate_by_name=True)


class Page(Answer):
    """A list answer: the page number, the page size and the total count of items."""

    page_no: int = 1
    page_size: int = 10
    total: int = 0


class Request(BaseModel):
    """A request body: unknown fields are a bug; NaN and Infinity, which JSON cannot carry, are refused."""

    model_config = ConfigDict(defer_build=True, extra="forbid", allow_inf_nan=False)
