"""Retry policy: what is retried, Retry-After parsing, jittered backoff, deadline and caps."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from thg_connect_core._retry import (
    backoff_delay,
    next_delay,
    parse_retry_after,
    provably_unsent,
    should_retry,
)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "HEAD", "OPTIONS", "get"])
@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_idempotent_retried_on_statuses(method: str, status: int) -> None:
    assert should_retry(method, status=status)


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 409, 422, 501])
def test_idempotent_not_retried_on_other_statuses(status: int) -> None:
    assert not should_retry("GET", status=status)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_post_never_retried_on_status(status: int) -> None:
    assert not should_retry("POST", status=status)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("x"),
        httpx.ConnectTimeout("x"),
        httpx.PoolTimeout("x"),
        httpx.ReadTimeout("x"),
        httpx.ReadError("x"),
        httpx.RemoteProtocolError("x"),
        httpx.WriteError("x"),
    ],
)
def test_idempotent_retried_on_transport_errors(exc: Exception) -> None:
    assert should_retry("GET", exc=exc)
    assert should_retry("DELETE", exc=exc)


@pytest.mark.parametrize(
    "exc", [httpx.ConnectError("x"), httpx.ConnectTimeout("x"), httpx.PoolTimeout("x")]
)
def test_post_retried_when_provably_unsent(exc: Exception) -> None:
    assert should_retry("POST", exc=exc)
    assert provably_unsent(exc)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("x"),
        httpx.WriteTimeout("x"),
        httpx.ReadError("x"),
        httpx.WriteError("x"),
        httpx.RemoteProtocolError("x"),
    ],
)
def test_post_not_retried_after_sending(exc: Exception) -> None:
    assert not should_retry("POST", exc=exc)
    assert not provably_unsent(exc)


def test_non_transport_exception_not_retried() -> None:
    assert not should_retry("GET", exc=ValueError("x"))
    assert not should_retry("GET")


def test_parse_retry_after_seconds() -> None:
    assert parse_retry_after("3", 0.0) == 3.0
    assert parse_retry_after(" 1.5 ", 0.0) == 1.5
    assert parse_retry_after("-4", 0.0) == 0.0
    assert parse_retry_after(None, 0.0) is None
    assert parse_retry_after("", 0.0) is None
    assert parse_retry_after("soon", 0.0) is None
    assert parse_retry_after("nan", 0.0) is None


def test_parse_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    header = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(header, now) == pytest.approx(30.0, abs=1.0)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after(past, now) == 0.0


def test_backoff_full_jitter_and_cap() -> None:
    assert backoff_delay(0, 0.5, 8.0, lambda: 1.0) == 0.5
    assert backoff_delay(2, 0.5, 8.0, lambda: 1.0) == 2.0
    assert backoff_delay(10, 0.5, 8.0, lambda: 1.0) == 8.0
    assert backoff_delay(3, 0.5, 8.0, lambda: 0.0) == 0.0
    assert backoff_delay(3, 0.5, 8.0, lambda: 0.5) == 2.0
    assert backoff_delay(10_000, 0.5, 8.0, lambda: 0.99) <= 8.0


def test_next_delay_uses_backoff() -> None:
    assert next_delay("GET", 1, max_retries=2, status=503, rand=lambda: 1.0) == 1.0


def test_next_delay_stops_without_retries_left() -> None:
    assert next_delay("GET", 2, max_retries=2, status=503, rand=lambda: 1.0) is None


def test_next_delay_stops_on_non_retryable() -> None:
    assert next_delay("POST", 0, max_retries=2, status=503, rand=lambda: 1.0) is None
    assert next_delay("GET", 0, max_retries=2, status=404, rand=lambda: 1.0) is None


def test_next_delay_honours_retry_after_and_cap() -> None:
    assert next_delay("GET", 0, max_retries=2, status=429, retry_after=5.0, rand=lambda: 1.0) == 5.0
    assert (
        next_delay(
            "GET",
            0,
            max_retries=2,
            status=429,
            retry_after=61.0,
            retry_after_cap=60.0,
            rand=lambda: 1.0,
        )
        is None
    )


def test_next_delay_never_passes_deadline() -> None:
    kwargs = dict(max_retries=5, status=503, rand=lambda: 1.0)
    assert next_delay("GET", 0, now=10.0, deadline=10.4, **kwargs) is None  # type: ignore[arg-type]
    assert next_delay("GET", 0, now=10.0, deadline=11.0, **kwargs) == 0.5  # type: ignore[arg-type]
    assert (
        next_delay("GET", 0, retry_after=3.0, now=10.0, deadline=12.0, **kwargs)  # type: ignore[arg-type]
        is None
    )
