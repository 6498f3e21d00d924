"""What the sync and async consumers share at their I/O edge: the subscription's paths, the
confirm request and its answer, how a failed request is read, and every log line they write.

Logs never carry a header, a token or a body: an event is named by its id and reference string.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable, List, Optional, Tuple

from ._confirm_queue import Dropped
from ._consumer_state import ConsumerState, ParkedEvent
from ._errors import APIStatusError, RateLimitError, _pointer
from ._events import EVENTS_PATH, Event
from ._jsonapi import encode_resource
from ._resources import path_id

__all__: List[str] = []  # internal to the consumers; nothing here is public API

logger = logging.getLogger("thg_connect")

FINAL_CONFIRM_SECONDS = 10.0
"""How long a stopping consumer keeps trying to confirm what it finished."""
POLL_BACKOFF = (0.5, 1.0, 2.0, 5.0)
"""Waits after consecutive failed polls (the client has already retried each)."""

ConfirmAnswer = Tuple[List[str], List[str]]
"""(confirmed, not found) ids of one confirm request."""


def subscription_path(api: Any, subscription_id: str) -> str:
    return EVENTS_PATH.format(
        owner=path_id(api.owner, "owner"), subscription=path_id(subscription_id, "subscription_id")
    )


def poll_params(max_events: int, wait_time_seconds: int) -> dict:  # type: ignore[type-arg]
    return {"maxEvents": max_events, "waitTimeSeconds": wait_time_seconds}


def confirm_body(ids: List[str]) -> bytes:
    return encode_resource("events:confirmation", {"eventIds": ids})


def confirm_answer(document: Any, ids: List[str]) -> ConfirmAnswer:
    """The ids confirmed and not found; a 2xx without that detail settles every id sent."""
    data = document.get("data") if isinstance(document, dict) else None
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attributes, dict):
        return list(ids), []
    confirmed = attributes.get("confirmed")
    missing = attributes.get("notFound")
    return (
        [str(i) for i in confirmed] if isinstance(confirmed, list) else list(ids),
        [str(i) for i in missing] if isinstance(missing, list) else [],
    )


def failure_of(error: BaseException) -> Tuple[Optional[int], List[str], Optional[float]]:
    """(status or None, the error objects' source pointers, Retry-After) of a failed request."""
    if not isinstance(error, APIStatusError):
        return None, [], None
    pointers = [p for p in map(_pointer, error.errors) if p is not None]
    retry_after = error.retry_after if isinstance(error, RateLimitError) else None
    return error.status_code, pointers, retry_after


def confirm_failed(state: ConsumerState, error: BaseException, now: float) -> List[Dropped]:
    """Settle the confirm request out (it raised ``error``): what was dropped, for the log."""
    status, pointers, retry_after = failure_of(error)
    return state.confirms.failed(now, status=status, pointers=pointers, retry_after=retry_after)


def _name(event: Event) -> str:
    reference = event.reference_text
    return f"event {event.id} ({reference})" if reference else f"event {event.id}"


def log_handler_failure(event: Event, error: BaseException) -> None:
    logger.error(
        "%s: handler failed: %s: %s", _name(event), type(error).__name__, error,
        exc_info=(type(error), error, error.__traceback__),
    )  # fmt: skip


def log_overdue(events: Iterable[Event], window: float) -> None:
    for event in events:
        logger.warning(
            "%s: its handler is still running past the %.0f s visibility window; the platform "
            "may deliver it again", _name(event), window,
        )  # fmt: skip


def log_parked(parked: ParkedEvent) -> None:
    logger.error(
        "%s parked after %d deliveries: %s: %s", _name(parked.event),
        max(parked.event.receive_count, 1), type(parked.error).__name__, parked.error,
    )  # fmt: skip


def log_confirm_failure(count: int, error: BaseException, dropped: List[Dropped]) -> None:
    logger.warning("confirm of %d event(s) failed: %s", count, error)
    for drop in dropped:
        logger.warning(
            "%d event(s) not confirmed (%s), delivered again after the window: %s",
            len(drop.ids), drop.reason, ", ".join(drop.ids[:10]),
        )  # fmt: skip


def log_odd(records: List[Any]) -> None:
    if records:
        logger.warning(
            "%d polled record(s) are not events in any known shape (or have no id): skipped",
            len(records),
        )


def log_poll_failure(error: BaseException) -> None:
    logger.warning("poll failed: %s: %s", type(error).__name__, error)
