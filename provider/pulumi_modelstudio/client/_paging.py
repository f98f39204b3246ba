"""Walk a paged list endpoint to the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, TypeVar

__all__ = ["walk_pages"]

T = TypeVar("T")


class _Page(Protocol):
    @property
    def page_size(self) -> int: ...
    @property
    def total(self) -> int: ...


P = TypeVar("P", bound=_Page)


def walk_pages(fetch: Callable[[int], P], items: Callable[[P], Sequence[T]]) -> Iterator[T]:
    """Yield the items of page 1, 2, … until a page is empty or the total is reached."""
    page_no = 1
    while True:
        page = fetch(page_no)
        batch = items(page)
        yield from batch
        if not batch or page_no * page.page_size >= page.total:
            return
        page_no += 1
