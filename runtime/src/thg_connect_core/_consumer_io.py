"""What the sync and async consumers share at their I/O edge: the subscription's paths, the
confirm request and its answer, how a failed request is read, and every log line they write.

Logs never carry a header, a token or a body: an event is named by its id and reference string.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable, List, Optional, Tuple

from ._confirm_queue import Dropped
from ._consumer_state import ConsumerState, ParkedEvent
from ._errors import APIStatusError, RateLimitError
from ._events import EVENTS_PATH, Event
from ._paths import path_id

__all__: List[str] = []  # internal to the consumers; nothing here is public API

logger = logging.getLogger("thg_connect")

FINAL_CONFIRM_SECONDS = 10.0
"""How long a stopping consumer keeps trying to confirm what it finished."""
POLL_BACKOFF = (0.5, 1.0, 2.0, 5.0)
"""Waits after consecutive failed polls (the client has already retried each)."""

ConfirmAnswer = Tuple[List[str], List[str]]
"""(confirmed, not found) receipt handles of a round of confirms."""
RECEIPT_HANDLE_HEADER = "receipt-handle"
"""Where a confirm carries the event's receipt handle (CONVENTIONS §11; the header name is
inferred from the platform's FastAPI ``receipt_handle: str = Header()`` parameter)."""
CONFIRM_CONCURRENCY = 8
"""Confirms of one round a consumer has in flight at once (threads or tasks)."""


def subscription_path(api: Any, subscription_id: str) -> str:
    return EVENTS_PATH.format(
        owner=path_id(api.owner, "owner"), subscription=path_id(subscription_id, "subscription_id")
    )


def poll_params(max_events: int, wait_time_seconds: int) -> dict:  # type: ignore[type-arg]
    return {"maxEvents": max_events, "waitTimeSeconds": wait_time_seconds}


def confirm_request(handle: str) -> dict:  # type: ignore[type-arg]
    """The arguments of one confirm: ``DELETE …/confirm`` with the handle in its header."""
    return {"cast_to": dict, "extra_headers": {RECEIPT_HANDLE_HEADER: handle}}


def is_gone(error: BaseException) -> bool:
    """A confirm answered 404: the handle is unknown or its event already confirmed (a retried
    confirm): the event is gone either way, so the confirm is settled."""
    return isinstance(error, APIStatusError) and error.status_code == 404


def failure_of(error: BaseException) -> Tuple[Optional[int], Optional[float]]:
    """(status or None, Retry-After) of a failed request."""
    if not isinstance(error, APIStatusError):
        return None, None
    retry_after = error.retry_after if isinstance(error, RateLimitError) else None
    return error.status_code, retry_after


def confirm_failed(
    state: ConsumerState, key: str, error: BaseException, now: float
) -> List[Dropped]:
    """Settle the confirm of ``key`` out (it raised ``error``): what was dropped, for the log."""
    status, retry_after = failure_of(error)
    return state.confirms.failed(key, now, status=status, retry_after=retry_after)


def _short(handle: str) -> str:
    """A receipt handle for a log line: long (~130+ characters) and opaque, so its head only."""
    return handle if len(handle) <= 24 else handle[:20] + "…"


def _name(event: Event) -> str:
    reference = event.reference_text
    return f"event {_short(event.id)} ({reference})" if reference else f"event {_short(event.id)}"


def log_handler_failure(event: Event, error: BaseException) -> None:
    logger.error(
        "%s: handler failed: %s: %s",
        _name(event),
        type(error).__name__,
        error,
        exc_info=(type(error), error, error.__traceback__),
    )


def log_overdue(events: Iterable[Event], window: float) -> None:
    for event in events:
        logger.warning(
            "%s: its handler is still running past the %.0f s visibility window; the platform "
            "may deliver it again",
            _name(event),
            window,
        )


def log_parked(parked: ParkedEvent) -> None:
    logger.error(
        "%s parked after %d deliveries: %s: %s",
        _name(parked.event),
        max(parked.event.receive_count, 1),
        type(parked.error).__name__,
        parked.error,
    )


def log_confirm_failure(error: BaseException, dropped: List[Dropped]) -> None:
    logger.warning("confirm of an event failed: %s", error)
    for drop in dropped:
        logger.warning(
            "%d event(s) not confirmed (%s), delivered again after the window: %s",
            len(drop.ids),
            drop.reason,
            ", ".join(_short(h) for h in drop.ids[:10]),
        )


def log_odd(records: List[Any]) -> None:
    if records:
        logger.warning(
            "%d polled record(s) are not events in any known shape (or have no id): skipped",
            len(records),
        )


def log_poll_failure(error: BaseException) -> None:
    logger.warning("poll failed: %s: %s", type(error).__name__, error)
