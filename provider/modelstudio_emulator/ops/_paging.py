"""Page slicing shared by every list operation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

__all__ = ["page"]

T = TypeVar("T")


def page(items: Sequence[T], page_no: int, page_size: int) -> tuple[list[T], int]:
    """(items of page `page_no`, total); page numbers start at 1, sizes are capped at 200."""
    page_no, page_size = max(1, page_no), max(1, min(page_size, 200))
    start = (page_no - 1) * page_size
    return list(items[start : start + page_size]), len(items)
