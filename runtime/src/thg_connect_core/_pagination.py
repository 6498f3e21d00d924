"""Lazy, constant-memory pagination over GET ALL endpoints, independent of the transport.

A paginator is driven by one callable that fetches page ``number`` of ``size`` items and returns
the decoded ``Page`` (azure-core's paging idea); the generated resource method builds that callable
around the client, the filter and the item type, so nothing here knows HTTP or JSON:API.

When iteration stops (specs/CONVENTIONS.md §8 and the platform docs):

* an empty page (``"data": []``) ends it: that is the only rule the docs promise;
* as a shortcut, a page with fewer items than the page size ends it too, but only when the server
  also said there is no next page (a ``links`` object without a non-null ``next``). Either signal
  alone is not trusted: the docs say not to rely on ``links``, and a short page alone could be a
  server that caps the page size below the one asked for;
* ``max_items`` ends it once that many items have been produced (the last page is cut short);
* it can never loop: a page identical to the one before (a server that ignores the paging
  parameters answers every page with the first), or a next link already followed, ends it with a
  ``PaginationWarning``.

Which page comes next: the server's ``links.next`` when it gives one on the API's own origin
(the reference pages render ``links.next``/``prev``/``first`` on every list, S1), otherwise
``page[number] + 1``. A link to another host is never followed (the request would carry the
call's headers elsewhere); the numbered page is asked for instead.

Only one page is alive at a time: each step drops its page before fetching the next, so memory
stays constant however many pages there are. Iterating a paginator again starts from
``start_page`` again with fresh requests.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass
from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    Generic,
    Iterator,
    Mapping,
    Optional,
    Sequence,
    Set,
    TypeVar,
    Union,
)

import httpx

from ._filter_ast import And, Comparison, FilterExpr, Or
from ._filter_render import render

__all__ = [
    "AsyncPaginator",
    "DEFAULT_PAGE_SIZE",
    "Page",
    "PaginationWarning",
    "Paginator",
    "filter_param",
    "links_next_hint",
    "page_params",
    "same_origin_link",
]

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 10
"""The platform's default ``page[size]``."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One decoded page of a GET ALL response."""

    items: Sequence[T]
    """The page's items (any sequence is accepted and stored as a tuple)."""
    number: int
    """1-based page number, as requested (``page[number]``)."""
    size: int
    """The page size requested (``page[size]``); the last page may hold fewer items."""
    next_hint: Optional[bool] = None
    """The server's hint from ``links.next`` (see ``links_next_hint``): True, False, or None
    when the document carried no ``links``."""
    next_link: Optional[str] = None
    """The server's ``links.next`` when it is one the paginator may follow (same origin as the
    API, made absolute: see ``same_origin_link``); None otherwise."""

    def __post_init__(self) -> None:
        if not isinstance(self.items, tuple):
            object.__setattr__(self, "items", tuple(self.items))

    @property
    def has_next(self) -> bool:
        """False when this page is known to be the last: it is empty, or it is short and the
        server gave no next link. True means "ask for the next page" (it may turn out empty)."""
        if not self.items:
            return False
        return not (self.next_hint is False and len(self.items) < self.size)


def links_next_hint(document: Mapping[str, Any]) -> Optional[bool]:
    """Read a list document's ``links.next`` as a hint: True when it is a non-null link, False
    when ``links`` is there without one, None when the document has no ``links`` object."""
    links = document.get("links")
    if not isinstance(links, Mapping):
        return None
    return links.get("next") not in (None, "", {})


class PaginationWarning(UserWarning):
    """Paging stopped early because the server would have made it loop (see the module docs)."""


def same_origin_link(link: object, base_url: str) -> Optional[str]:
    """``link`` (a ``links.next``) made absolute against ``base_url`` when it stays on the
    API's scheme, host and port; None for no link, a malformed one, or one to another origin."""
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        base = httpx.URL(base_url)
        url = base.join(link.strip())
    except (httpx.InvalidURL, ValueError, TypeError):
        return None
    if (url.scheme, url.host, url.port) != (base.scheme, base.host, base.port):
        return None
    return str(url)


_VALUES = (str, int, float, bytes)


def _fingerprint(items: Sequence[Any]) -> Optional[int]:
    """What tells two pages apart, as a hash: their items' ids (resources), or the items
    themselves when they are plain values; None for other items, whose identity-based hashes
    would be reused once a page is freed (such pages are not compared)."""
    ids = [getattr(item, "id", None) for item in items]
    if all(isinstance(i, str) for i in ids):
        return hash(tuple(ids))
    if all(isinstance(item, _VALUES) for item in items):
        return hash(tuple(items))
    return None


class _Cursor:
    """The paging decisions (which page next, when to stop, where ``max_items`` cuts), shared by
    the sync and async paginators so only the fetch differs."""

    def __init__(self, start_page: int, page_size: int, max_items: Optional[int]) -> None:
        self.number = start_page
        self.size = page_size
        self.remaining = max_items
        self.done = max_items == 0
        self.link: Optional[str] = None
        """The next link to follow instead of ``page[number]`` (None: ask by number)."""
        self._followed: Set[str] = set()
        self._seen: Set[int] = set()

    def _loops(self, page: Page[Any]) -> bool:
        """True (with a warning) when ``page`` holds the same items as a page before it: one
        hash per page is kept, so memory stays constant however many pages there are."""
        key = _fingerprint(page.items)
        if key is None:
            return False
        if key not in self._seen:
            self._seen.add(key)
            return False
        warnings.warn(
            f"page {page.number} holds the same items as a page before it: the server seems to "
            "ignore the paging parameters; stopping here instead of looping",
            PaginationWarning,
            stacklevel=4,
        )
        return True

    def accept(self, page: Page[T]) -> Optional[Page[T]]:
        """Record a fetched page; return it (cut to ``max_items``) or None when it ends paging."""
        if not isinstance(page, Page):
            raise TypeError(f"the page fetcher must return a Page, not {type(page).__name__}")
        if not page.items or self._loops(page):
            self.done = True
            return None
        self.link = None
        if page.next_link is not None:
            if page.next_link in self._followed:
                warnings.warn(
                    f"the server's next link after page {page.number} was followed before; "
                    "stopping here instead of looping",
                    PaginationWarning,
                    stacklevel=3,
                )
                self.done = True
            else:
                self._followed.add(page.next_link)
                self.link = page.next_link
        if self.remaining is not None:
            if len(page.items) >= self.remaining:
                self.done = True
                if len(page.items) > self.remaining:
                    page = dataclasses.replace(page, items=page.items[: self.remaining])
            self.remaining -= len(page.items)
        if not page.has_next:
            self.done = True
        self.number += 1
        return page


def _check_settings(start_page: int, page_size: int, max_items: Optional[int]) -> None:
    if start_page < 1:
        raise ValueError(f"start_page must be at least 1 (pages are 1-based), not {start_page}")
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    if max_items is not None and max_items < 0:
        raise ValueError(f"max_items must not be negative, not {max_items}")


class Paginator(Generic[T]):
    """Every item of a GET ALL, fetched lazily page by page: ``for item in paginator``.

    ``fetch_page(number, size)`` returns the decoded ``Page``; ``fetch_link(url, number)``, when
    given, fetches the page a previous page's ``next_link`` names. ``.pages()`` yields pages
    instead of items. Iterating again starts over (new requests).
    """

    def __init__(
        self,
        fetch_page: Callable[[int, int], Page[T]],
        *,
        start_page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: Optional[int] = None,
        fetch_link: Optional[Callable[[str, int], Page[T]]] = None,
    ) -> None:
        _check_settings(start_page, page_size, max_items)
        self._fetch_page = fetch_page
        self._fetch_link = fetch_link
        self.start_page = start_page
        self.page_size = page_size
        self.max_items = max_items

    def pages(self) -> Iterator[Page[T]]:
        """The pages in order, one request each, ending as described in the module docs."""
        cursor = _Cursor(self.start_page, self.page_size, self.max_items)
        while not cursor.done:
            if cursor.link is not None and self._fetch_link is not None:
                fetched = self._fetch_link(cursor.link, cursor.number)
            else:
                fetched = self._fetch_page(cursor.number, cursor.size)
            page = cursor.accept(fetched)
            del fetched  # one page alive at a time
            if page is None:
                return
            yield page
            del page  # drop it before the next fetch: one page alive at a time

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            items = page.items
            del page
            yield from items
            del items

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(start_page={self.start_page}, page_size={self.page_size}, "
            f"max_items={self.max_items})"
        )


class AsyncPaginator(Generic[T]):
    """The async twin of ``Paginator``: ``async for item in paginator`` and
    ``async for page in paginator.pages()``; ``fetch_page`` is a coroutine function."""

    def __init__(
        self,
        fetch_page: Callable[[int, int], Awaitable[Page[T]]],
        *,
        start_page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: Optional[int] = None,
        fetch_link: Optional[Callable[[str, int], Awaitable[Page[T]]]] = None,
    ) -> None:
        _check_settings(start_page, page_size, max_items)
        self._fetch_page = fetch_page
        self._fetch_link = fetch_link
        self.start_page = start_page
        self.page_size = page_size
        self.max_items = max_items

    async def pages(self) -> AsyncIterator[Page[T]]:
        """The pages in order, one request each, ending as described in the module docs."""
        cursor = _Cursor(self.start_page, self.page_size, self.max_items)
        while not cursor.done:
            if cursor.link is not None and self._fetch_link is not None:
                fetched = await self._fetch_link(cursor.link, cursor.number)
            else:
                fetched = await self._fetch_page(cursor.number, cursor.size)
            page = cursor.accept(fetched)
            del fetched  # one page alive at a time
            if page is None:
                return
            yield page
            del page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            items = page.items
            del page
            for item in items:
                yield item
            del items

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(start_page={self.start_page}, page_size={self.page_size}, "
            f"max_items={self.max_items})"
        )


def filter_param(filter: Union[FilterExpr, str, None]) -> Optional[str]:
    """The ``filter`` query parameter: an expression is rendered; a string is passed verbatim (the
    escape hatch for anything the typed fields do not cover); None means no filter."""
    if filter is None or isinstance(filter, str):
        return filter
    if isinstance(filter, (Comparison, And, Or)):
        return render(filter)
    raise TypeError(f"filter must be a filter expression or a string, not {type(filter).__name__}")


def page_params(
    number: int,
    size: int = DEFAULT_PAGE_SIZE,
    filter: Union[FilterExpr, str, None] = None,
) -> Dict[str, str]:
    """Query parameters for one GET ALL page: ``page[number]``, ``page[size]`` and, when given,
    ``filter``."""
    params = {"page[number]": str(number), "page[size]": str(size)}
    rendered = filter_param(filter)
    if rendered is not None:
        params["filter"] = rendered
    return params
