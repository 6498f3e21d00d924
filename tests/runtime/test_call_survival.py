"""Issue 14, calls that survive the platform: a DELETE whose response was lost, a 429 without
``Retry-After`` (the platform's documented 60 s wait), and ids that could change a path's shape.
Every test runs on both clients with the harness's fake clock (no real waits)."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thg_connect_core import NotFoundError, RateLimitError, RawResponse
from thg_connect_core._resources import path_id
from thg_connect_core._retry import RATE_LIMIT_WAIT, next_delay

from .client_harness import Harness, ok, status

PATH = "/api/thg-fulfil/v1/acme/inventory/id1"


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    yield Harness(request.param)


def not_found() -> httpx.Response:
    return status(404)


# -- a DELETE whose response was lost ------------------------------------------------------------


def test_delete_retried_after_lost_response_and_answered_404_succeeds(h: Harness) -> None:
    h.server.script = [httpx.ReadTimeout("response lost"), not_found()]
    assert h.request("DELETE", PATH) is None
    assert h.api_calls == 2


def test_delete_retried_after_a_5xx_and_answered_404_succeeds(h: Harness) -> None:
    h.server.script = [status(502), not_found()]
    raw = h.request("DELETE", PATH, cast_to=RawResponse)
    assert isinstance(raw, RawResponse) and raw.status_code == 404 and raw.retries_taken == 1


def test_first_attempt_404_on_delete_is_still_not_found(h: Harness) -> None:
    h.server.script = [not_found()]
    with pytest.raises(NotFoundError):
        h.request("DELETE", PATH)


def test_delete_404_after_a_retry_that_never_reached_the_server_is_not_found(h: Harness) -> None:
    # A refused connection and a 429 prove the first attempt did nothing.
    h.server.script = [httpx.ConnectError("refused"), not_found()]
    with pytest.raises(NotFoundError):
        h.request("DELETE", PATH)
    h.server.script = [status(429, {"Retry-After": "1"}), not_found()]
    with pytest.raises(NotFoundError):
        h.request("DELETE", PATH)


def test_a_get_retried_to_404_is_not_found(h: Harness) -> None:
    h.server.script = [httpx.ReadTimeout("lost"), not_found()]
    with pytest.raises(NotFoundError):
        h.request("GET", PATH)


# -- 429 without Retry-After ---------------------------------------------------------------------


def test_429_without_retry_after_waits_the_documented_60_seconds() -> None:
    for mode in ("sync", "async"):
        h = Harness(mode, timeout=300.0)
        h.server.script = [status(429)]
        h.server.default = ok({"data": None})
        h.request("GET", PATH)
        assert h.sleeps == [RATE_LIMIT_WAIT] == [60.0]


def test_429_wait_is_cut_to_the_call_budget(h: Harness) -> None:
    h.server.script = [status(429)]
    h.request("GET", PATH, timeout=10.0)
    assert h.sleeps == [pytest.approx(9.0)]  # 90% of what is left, never past the deadline


def test_429_retry_after_still_wins(h: Harness) -> None:
    h.server.script = [status(429, {"Retry-After": "2"})]
    h.request("GET", PATH)
    assert h.sleeps == [2.0]


def test_429_every_time_ends_with_rate_limit_error(h: Harness) -> None:
    h.server.default = status(429)
    with pytest.raises(RateLimitError):
        h.request("GET", PATH, timeout=600.0)
    assert h.sleeps == [60.0, 60.0] and h.api_calls == 3


@given(
    now=st.floats(min_value=0, max_value=1e6),
    left=st.floats(min_value=0, max_value=1e4),
)
def test_429_wait_never_passes_the_deadline(now: float, left: float) -> None:
    delay = next_delay(
        "GET", 0, max_retries=2, status=429, now=now, deadline=now + left, rand=lambda: 1.0
    )
    if delay is not None:
        assert 0 < delay <= RATE_LIMIT_WAIT and now + delay < now + left or delay == 0


# -- ids that would change the path's shape ------------------------------------------------------


@pytest.mark.parametrize("value", [".", ".."])
def test_dot_segment_ids_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="dot segment"):
        path_id(value, "inventory_item_id")


@given(st.text(min_size=1))
def test_any_other_id_is_one_encoded_segment(value: str) -> None:
    if value in (".", ".."):
        return
    encoded = path_id(value, "x")
    assert "/" not in encoded and "?" not in encoded and "#" not in encoded
    assert encoded not in (".", "..")
    url = httpx.URL("https://h.example/a/" + encoded)
    assert url.raw_path.split(b"?")[0].count(b"/") == 2  # as sent: still one segment
    assert url.raw_path.endswith(encoded.encode())


@pytest.mark.parametrize("value", [".", ".."])
def test_the_generated_client_refuses_a_dot_segment_id_before_sending(value: str) -> None:
    from thg_connect import Client

    from .client_harness import config

    client = Client(config())
    with pytest.raises(ValueError, match="dot segment"):
        client.thg_fulfil.inventory(value).delete()
    slash = client.thg_fulfil.inventory("a/b")
    assert repr(slash).endswith("/inventory/a%2Fb')")
