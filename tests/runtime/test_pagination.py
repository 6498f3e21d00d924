"""Pagination: lazy sync/async iteration over a fake page fetcher, stop rules, memory, params."""

from __future__ import annotations

import gc
import weakref
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thg_connect_core._filter_fields import StringField
from thg_connect_core._pagination import (
    DEFAULT_PAGE_SIZE,
    AsyncPaginator,
    Page,
    Paginator,
    filter_param,
    links_next_hint,
    page_params,
)


class FakeServer:
    """Serves ``total`` numbered items; records every request; the last pages are empty."""

    def __init__(self, total: int, *, links: str = "none") -> None:
        self.total = total
        self.links = links  # "none": no links object; "honest": next only when more; "always"
        self.requests: List[Tuple[int, int]] = []

    def document(self, number: int, size: int) -> Dict[str, Any]:
        start = (number - 1) * size
        data = list(range(start, min(start + size, self.total)))
        doc: Dict[str, Any] = {"data": data, "meta": {"page": {"number": number, "size": size}}}
        more = start + size < self.total
        if self.links == "honest":
            doc["links"] = {"self": "x", "next": "y" if more else None}
        elif self.links == "always":
            doc["links"] = {"self": "x", "next": "y"}
        return doc

    def fetch(self, number: int, size: int) -> Page[int]:
        self.requests.append((number, size))
        doc = self.document(number, size)
        return Page(doc["data"], number, size, links_next_hint(doc))

    async def afetch(self, number: int, size: int) -> Page[int]:
        return self.fetch(number, size)


@pytest.mark.parametrize("total", [0, 1, 9, 10, 11, 25, 30])
def test_iterates_every_item_until_an_empty_page(total: int) -> None:
    server = FakeServer(total)
    assert list(Paginator(server.fetch)) == list(range(total))
    # without links, only an empty page ends it
    pages_with_items = -(-total // DEFAULT_PAGE_SIZE)
    assert server.requests == [(n, 10) for n in range(1, pages_with_items + 2)]


@pytest.mark.parametrize("total", [0, 1, 9, 10, 11, 25, 30])
def test_short_page_without_next_link_ends_early(total: int) -> None:
    server = FakeServer(total, links="honest")
    assert list(Paginator(server.fetch)) == list(range(total))
    full, rest = divmod(total, 10)
    # a short page plus "no next link" ends at once; an exact multiple still needs the empty page
    expected_requests = full + 1
    assert len(server.requests) == expected_requests


def test_short_page_with_a_next_link_does_not_end() -> None:
    server = FakeServer(25, links="always")
    assert list(Paginator(server.fetch)) == list(range(25))
    assert len(server.requests) == 4  # the empty page is the only trusted end


async def test_async_iteration_matches_sync() -> None:
    for links in ("none", "honest", "always"):
        sync_server, async_server = FakeServer(37, links=links), FakeServer(37, links=links)
        sync_items = list(Paginator(sync_server.fetch, page_size=5))
        async_items = [i async for i in AsyncPaginator(async_server.afetch, page_size=5)]
        assert async_items == sync_items == list(range(37))
        assert async_server.requests == sync_server.requests


def test_start_page_and_page_size() -> None:
    server = FakeServer(100)
    paginator = Paginator(server.fetch, start_page=3, page_size=20)
    assert list(paginator) == list(range(40, 100))
    assert server.requests[0] == (3, 20)
    pages = list(Paginator(FakeServer(100).fetch, start_page=3, page_size=20).pages())
    assert [p.number for p in pages] == [3, 4, 5]
    assert [len(p.items) for p in pages] == [20, 20, 20]


def test_max_items_caps_items_and_requests() -> None:
    server = FakeServer(100)
    assert list(Paginator(server.fetch, page_size=10, max_items=25)) == list(range(25))
    assert server.requests == [(1, 10), (2, 10), (3, 10)]
    server = FakeServer(100)
    assert list(Paginator(server.fetch, max_items=20)) == list(range(20))
    assert len(server.requests) == 2  # no request for a page that cannot be used
    server = FakeServer(100)
    assert list(Paginator(server.fetch, max_items=0)) == []
    assert server.requests == []
    assert list(Paginator(FakeServer(5).fetch, max_items=50)) == list(range(5))


def test_max_items_cuts_the_last_page() -> None:
    pages = list(Paginator(FakeServer(100).fetch, page_size=10, max_items=25).pages())
    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert pages[-1].items == tuple(range(20, 25))


async def test_async_pages_and_max_items() -> None:
    server = FakeServer(100)
    paginator = AsyncPaginator(server.afetch, page_size=10, max_items=25, start_page=2)
    pages = [p async for p in paginator.pages()]
    assert [p.items[0] for p in pages] == [10, 20, 30]
    assert [len(p.items) for p in pages] == [10, 10, 5]


def test_iterating_again_starts_over() -> None:
    server = FakeServer(15)
    paginator = Paginator(server.fetch)
    assert list(paginator) == list(paginator) == list(range(15))
    assert len(server.requests) == 6


def test_lazy_no_request_before_iteration_and_one_per_page() -> None:
    server = FakeServer(100)
    iterator = iter(Paginator(server.fetch))
    assert server.requests == []
    assert next(iterator) == 0
    assert server.requests == [(1, 10)]
    for _ in range(10):
        next(iterator)
    assert server.requests == [(1, 10), (2, 10)]


def test_page_has_next() -> None:
    assert Page([], 1, 10).has_next is False
    assert Page([1], 1, 10).has_next is True
    assert Page([1], 1, 10, next_hint=True).has_next is True
    assert Page([1], 1, 10, next_hint=False).has_next is False
    assert Page(list(range(10)), 1, 10, next_hint=False).has_next is True  # full page: ask on
    assert Page([1, 2], 1, 10).items == (1, 2)


def test_links_next_hint() -> None:
    assert links_next_hint({"data": []}) is None
    assert links_next_hint({"links": None}) is None
    assert links_next_hint({"links": {"self": "a"}}) is False
    assert links_next_hint({"links": {"next": None}}) is False
    assert links_next_hint({"links": {"next": "/api/x?page[number]=2"}}) is True
    assert links_next_hint({"links": {"next": {"href": "/x"}}}) is True


def test_settings_are_validated() -> None:
    server = FakeServer(1)
    with pytest.raises(ValueError, match="start_page"):
        Paginator(server.fetch, start_page=0)
    with pytest.raises(ValueError, match="page_size"):
        AsyncPaginator(server.afetch, page_size=0)
    with pytest.raises(ValueError, match="max_items"):
        Paginator(server.fetch, max_items=-1)
    bad: Callable[[int, int], Any] = lambda n, s: [1, 2]  # noqa: E731
    with pytest.raises(TypeError, match="must return a Page"):
        list(Paginator(bad))
    assert "page_size=10" in repr(Paginator(server.fetch))


def test_errors_from_the_fetcher_propagate() -> None:
    def fetch(number: int, size: int) -> Page[int]:
        if number == 2:
            raise RuntimeError("boom")
        return Page(list(range(size)), number, size)

    iterator = iter(Paginator(fetch))
    assert [next(iterator) for _ in range(10)] == list(range(10))
    with pytest.raises(RuntimeError, match="boom"):
        next(iterator)


class Item:
    """Items are objects so the test can also see that pages do not outlive their use."""

    def __init__(self, value: int) -> None:
        self.value = value


class TrackingFetcher:
    """Fails the test if any earlier page is still alive when the next one is requested."""

    def __init__(self, pages: int, size: int) -> None:
        self.pages = pages
        self.size = size
        self.alive: List["weakref.ReferenceType[Page[Item]]"] = []
        self.max_alive = 0

    def check(self) -> None:
        alive = sum(1 for ref in self.alive if ref() is not None)
        self.max_alive = max(self.max_alive, alive)
        assert alive == 0, f"{alive} earlier page(s) still referenced"

    def fetch(self, number: int, size: int) -> Page[Item]:
        self.check()
        items = [Item(i) for i in range(size)] if number <= self.pages else []
        page = Page(items, number, size)
        self.alive.append(weakref.ref(page))
        return page

    async def afetch(self, number: int, size: int) -> Page[Item]:
        return self.fetch(number, size)


def test_constant_memory_over_ten_thousand_pages() -> None:
    fetcher = TrackingFetcher(pages=10_000, size=3)
    gc.disable()  # reference counting alone must free every page
    try:
        count = 0
        for _item in Paginator(fetcher.fetch, page_size=3):
            count += 1
        assert count == 30_000
        assert len(fetcher.alive) == 10_001
        assert fetcher.max_alive == 0
    finally:
        gc.enable()


def test_constant_memory_when_iterating_pages() -> None:
    fetcher = TrackingFetcher(pages=10_000, size=2)
    gc.disable()
    try:
        numbers = 0
        for page in Paginator(fetcher.fetch, page_size=2).pages():
            numbers += page.number
            del page  # the caller's own reference is the caller's business
        assert numbers == sum(range(1, 10_001))
    finally:
        gc.enable()


async def test_async_constant_memory_over_ten_thousand_pages() -> None:
    fetcher = TrackingFetcher(pages=10_000, size=3)
    gc.disable()
    try:
        count = 0
        async for _item in AsyncPaginator(fetcher.afetch, page_size=3):
            count += 1
        assert count == 30_000
        assert fetcher.max_alive == 0
    finally:
        gc.enable()


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(0, 60),
    size=st.integers(1, 12),
    start=st.integers(1, 4),
    max_items=st.one_of(st.none(), st.integers(0, 70)),
    links=st.sampled_from(["none", "honest", "always"]),
)
def test_paging_yields_exactly_the_expected_slice(
    total: int, size: int, start: int, max_items: Optional[int], links: str
) -> None:
    server = FakeServer(total, links=links)
    items = list(Paginator(server.fetch, start_page=start, page_size=size, max_items=max_items))
    expected = list(range((start - 1) * size, total))
    if max_items is not None:
        expected = expected[:max_items]
    assert items == expected
    numbers = [n for n, _ in server.requests]
    assert numbers == list(range(start, start + len(numbers)))


# --- query parameters --------------------------------------------------------------------------


def test_page_params() -> None:
    sku = StringField("sku")
    assert page_params(1) == {"page[number]": "1", "page[size]": "10"}
    assert page_params(10, 100) == {"page[number]": "10", "page[size]": "100"}
    assert page_params(2, 5, (sku == "a") | (sku == "b")) == {
        "page[number]": "2",
        "page[size]": "5",
        "filter": "sku='a' or sku='b'",
    }
    raw = "(createdAt>'2024-10-15T13:45:00' AND x=1)"
    assert page_params(1, 10, raw)["filter"] == raw  # raw strings pass through verbatim


def test_filter_param() -> None:
    assert filter_param(None) is None
    assert filter_param("sku='x'") == "sku='x'"
    assert filter_param(StringField("sku") == "O'Brien") == "sku='O''Brien'"
    with pytest.raises(TypeError, match="filter must be"):
        filter_param(3)  # type: ignore[arg-type]
