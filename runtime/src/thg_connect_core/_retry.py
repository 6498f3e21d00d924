"""Pure retry policy (specs/CONVENTIONS.md §13): what to retry, and how long to wait.

* GET, PUT, DELETE, HEAD, OPTIONS are retried on 408, 429, 500, 502, 503, 504 and on any
  ``httpx.TransportError``.
* POST is retried only when the failure proves nothing was sent: ``httpx.ConnectError`` (TLS
  handshake failures surface as ``ConnectError``), ``httpx.ConnectTimeout``, ``httpx.PoolTimeout``.
  Never on a status response.
* Backoff is exponential with full jitter, capped; ``Retry-After`` is honoured up to a cap; no
  wait ever ends past the caller's overall deadline.
* A 429 without ``Retry-After`` waits the platform's documented 60 s (``RATE_LIMIT_WAIT``; the
  "Confirm Event" reference page says "API quota reached: wait 60 seconds and retry", S4), cut
  to 90% of what is left of the call's budget so the retry still has time to run.

Nothing here does I/O or reads a clock: callers pass the time in.
"""

from __future__ import annotations

import email.utils
import math
from typing import Callable, Optional

import httpx

__all__ = [
    "IDEMPOTENT_METHODS",
    "RATE_LIMIT_WAIT",
    "RETRY_STATUSES",
    "backoff_delay",
    "next_delay",
    "parse_retry_after",
    "provably_unsent",
    "should_retry",
]

IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
RATE_LIMIT_WAIT = 60.0
"""Seconds the platform says to wait after a 429 that carries no ``Retry-After`` (S4)."""
_RATE_LIMIT_BUDGET_SHARE = 0.9
_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def provably_unsent(exc: BaseException) -> bool:
    """True when ``exc`` shows the request never left (no pooled connection, connect, TLS)."""
    return isinstance(exc, _UNSENT)


def should_retry(
    method: str, *, status: Optional[int] = None, exc: Optional[BaseException] = None
) -> bool:
    """Whether a request that got ``status`` (or failed with ``exc``) may be sent again."""
    verb = method.upper()
    if exc is not None:
        if verb in IDEMPOTENT_METHODS:
            return isinstance(exc, httpx.TransportError)
        return provably_unsent(exc)
    if status is not None:
        return verb in IDEMPOTENT_METHODS and status in RETRY_STATUSES
    return False


def parse_retry_after(value: Optional[str], now_epoch: float) -> Optional[float]:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP-date; None if
    absent/invalid."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        return max(0.0, when.timestamp() - now_epoch)
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def backoff_delay(attempt: int, base: float, cap: float, rand: Callable[[], float]) -> float:
    """Full jitter: uniform in ``[0, min(cap, base * 2**attempt))``; ``attempt`` counts from 0."""
    ceiling = min(cap, base * (2.0 ** min(attempt, 62)))
    return max(0.0, rand() * ceiling)


def next_delay(
    method: str,
    attempt: int,
    *,
    max_retries: int,
    status: Optional[int] = None,
    exc: Optional[BaseException] = None,
    retry_after: Optional[float] = None,
    now: float = 0.0,
    deadline: Optional[float] = None,
    base: float = 0.5,
    cap: float = 8.0,
    retry_after_cap: float = 60.0,
    rand: Callable[[], float],
) -> Optional[float]:
    """Seconds to wait before the next attempt, or None to stop.

    ``attempt`` is the 0-based number of the attempt that just failed. Stops when the failure is
    not retryable, no retries are left, ``retry_after`` (seconds) exceeds ``retry_after_cap``, or
    waiting would pass ``deadline`` (same clock as ``now``). ``Retry-After`` is honoured exactly;
    a 429 without one waits ``RATE_LIMIT_WAIT`` (at most 90% of the time left before
    ``deadline``); otherwise the delay is the jittered backoff.
    """
    if attempt >= max_retries:
        return None
    if not should_retry(method, status=status, exc=exc):
        return None
    if retry_after is not None:
        if retry_after > retry_after_cap:
            return None
        delay = retry_after
    elif status == 429:
        delay = RATE_LIMIT_WAIT
        if deadline is not None:
            delay = min(delay, _RATE_LIMIT_BUDGET_SHARE * (deadline - now))
        if delay <= 0:
            return None
    else:
        delay = backoff_delay(attempt, base, cap, rand)
    if deadline is not None and now + delay >= deadline:
        return None
    return delay
