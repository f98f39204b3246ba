"""Base classes: `Answer` accepts unknown fields; `Page` adds list pagination; `Request` forbids unknown fields."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Answer", "Page", "Request"]


class Answer(BaseModel):
    """A response object: it declares the fields the provider reads; the others stay as extras, unchecked.

    A field the service adds, drops or sends with another type than documented never breaks parsing unless the
    provider reads it (the files API's `id`, documented as a string, arrives as a number).
    """

    model_config = ConfigDict(defer_build=True, extra="allow", populate_by_name=True)


class Page(Answer):
    """A list answer: the page number, the page size and the total count of items."""

    page_no: int = 1
    page_size: int = 10
    total: int = 0


class Request(BaseModel):
    """A request body: unknown fields are a bug; NaN and Infinity, which JSON cannot carry, are refused."""

    model_config = ConfigDict(defer_build=True, extra="forbid", allow_inf_nan=False)
