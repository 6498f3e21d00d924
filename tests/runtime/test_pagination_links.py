"""Pagination that survives the platform's generations (issue 14): ``links.next`` is followed
when it stays on the API's origin (S1 renders next/prev/first on every list), ``page[number]``
otherwise, and iteration can never loop: a server that ignores the paging parameters, or a next
link already followed, ends it with a ``PaginationWarning``. Sync and async."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any, Dict, Iterator, List, Optional

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thg_connect_core import Page, PaginationWarning, Paginator, SyncAPIClient
from thg_connect_core._pagination import same_origin_link
from thg_connect_core._resources import AsyncResource, SyncResource

from .client_harness import BASE, Attrs, Harness, ok, resource

PATH = "/api/thg-fulfil/v1/acme/inventory-item"


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    yield Harness(request.param)


def listing(h: Harness, page_size: int = 2, max_items: Optional[int] = None) -> List[str]:
    options: Dict[str, Any] = dict(
        filter=None,
        page_size=page_size,
        start_page=1,
        max_items=max_items,
        timeout=None,
        extra_headers=None,
        extra_query=None,
    )
    if isinstance(h.client, SyncAPIClient):
        return [r.id for r in SyncResource(h.client, PATH)._list(Attrs, **options)]

    async def collect() -> List[str]:
        paginator = AsyncResource(h.client, PATH)._list(Attrs, **options)  # type: ignore[arg-type]
        return [r.id async for r in paginator]

    return asyncio.run(collect())


def page(ids: List[int], next_link: Optional[str] = None) -> httpx.Response:
    return ok({"data": [resource(i) for i in ids], "links": {"next": next_link}})


def test_follows_the_servers_next_link(h: Harness) -> None:
    h.server.script = [
        page([1, 2], f"{BASE}{PATH}?cursor=abc"),
        page([3, 4], f"{PATH}?cursor=def"),  # relative: same origin
        page([5]),
    ]
    assert listing(h) == ["id1", "id2", "id3", "id4", "id5"]
    sent = [r.url for r in h.server.api_requests]
    assert sent[0].params["page[number]"] == "1"
    assert dict(sent[1].params) == {"cursor": "abc"} and dict(sent[2].params) == {"cursor": "def"}
    assert all(r.headers["authorization"] == "Bearer tok1" for r in h.server.api_requests)


def test_a_link_to_another_host_is_never_followed(h: Harness) -> None:
    h.server.script = [page([1, 2], "https://evil.example.net/steal?page=2"), page([3])]
    assert listing(h) == ["id1", "id2", "id3"]
    assert [r.url.host for r in h.server.api_requests] == ["api.example.com"] * 2
    assert h.server.api_requests[1].url.params["page[number]"] == "2"


def test_a_server_that_ignores_paging_ends_with_a_warning(h: Harness) -> None:
    h.server.default = ok({"data": [resource(1), resource(2)]})  # page 1, whatever is asked
    with pytest.warns(PaginationWarning, match="ignore the paging"):
        assert listing(h) == ["id1", "id2"]
    assert h.api_calls == 2


def test_a_next_link_loop_ends_with_a_warning(h: Harness) -> None:
    again = f"{BASE}{PATH}?cursor=same"
    h.server.script = [page([1, 2], again), page([3, 4], again)]
    h.server.default = page([5, 6], again)
    with pytest.warns(PaginationWarning, match="followed before"):
        assert listing(h) == ["id1", "id2", "id3", "id4"]
    assert h.api_calls == 2


@pytest.mark.parametrize(
    "link, expected",
    [
        ("/api/x?cursor=2", f"{BASE}/api/x?cursor=2"),
        (f"{BASE}/api/x", f"{BASE}/api/x"),
        ("https://api.example.com:8443/api/x", None),
        ("http://api.example.com/api/x", None),
        ("//evil.example/api", None),
        ("", None),
        (None, None),
        (17, None),
    ],
)
def test_same_origin_link(link: Any, expected: Optional[str]) -> None:
    assert same_origin_link(link, BASE) == expected


@given(st.text(max_size=40))
def test_a_followed_link_is_always_on_the_api_origin(link: str) -> None:
    found = same_origin_link(link, BASE)
    if found is not None:
        url = httpx.URL(found)
        assert (url.scheme, url.host, url.port) == ("https", "api.example.com", None)


@given(
    pool=st.lists(st.lists(st.integers(0, 5), min_size=3, max_size=3), min_size=1, max_size=5),
    order=st.lists(st.integers(0, 4), min_size=1, max_size=60),
)
def test_iteration_always_ends(pool: List[List[int]], order: List[int]) -> None:
    """A server answering any page number with any of K full pages, forever: iteration stops
    after at most K + 1 requests (every page can be new only once)."""
    calls: List[int] = []

    def fetch(number: int, size: int) -> Page[int]:
        calls.append(number)
        chosen = pool[order[(number - 1) % len(order)] % len(pool)]
        return Page(items=chosen, number=number, size=size)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PaginationWarning)
        items = list(Paginator(fetch, page_size=3))
    distinct = {tuple(p) for p in pool}
    assert len(calls) <= len(distinct) + 1
    assert len(items) <= 3 * len(distinct)
