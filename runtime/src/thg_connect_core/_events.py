"""DataChangedEvents as typed values, and every decision of consuming them, without I/O.

The platform's contract (specs/CONVENTIONS.md §11): a poll hides the events it returns from every
poller of the subscription for the visibility window (30 s) and delivers them again unless they
are confirmed; confirming works whenever it arrives; delivery is at least once. ``ConsumerState``
decides, for the sync and async consumers alike, how many events to ask for, whether an event may
still start within its window, what to confirm, when an event has failed too often and is parked
locally instead of looping forever, and which handlers overran their budget.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ._datetime import parse_utc_datetime
from ._references import Reference

__all__ = [
    "ConsumerSettings",
    "ConsumerState",
    "Event",
    "EventFormatError",
    "ParkedEvent",
    "event_from_resource",
]

EVENTS_PATH = "/api/events/v1/{owner}/subscription/{subscription}"
"""Where a subscription lives (CONVENTIONS §11); poll is ``/events``, confirm ``/confirm``."""


@dataclass(frozen=True)
class Event:
    """One DataChangedEvent as delivered on a subscription."""

    id: str
    """The event id: what is confirmed, and the idempotency key for handlers."""
    action: str
    """``CREATED``, ``UPDATED`` or ``DELETED``."""
    entity_type: str
    product: str
    owner: str
    actor: str
    entity_id: str
    reference: Reference
    path: str
    """The entity's URL path (for ``DELETED`` it no longer exists)."""
    parent: Dict[str, str]
    version: Optional[str]
    state: Optional[str]
    """Statuses only: the state after the change."""
    occurred_at: datetime
    receive_count: int
    """How many times the event has been delivered; above 1 it was not confirmed in time."""
    hidden_until: Optional[datetime]
    subscription_id: str
    raw: Mapping[str, Any] = field(repr=False, compare=False, hash=False)
    """The resource object as received, unknown members included."""


class EventFormatError(ValueError):
    """A delivered event does not have the shape of CONVENTIONS §11."""


def _text(values: Mapping[str, Any], key: str, where: str) -> str:
    value = values.get(key)
    if not isinstance(value, str) or not value:
        raise EventFormatError(f"{where}: {key} is missing or not a string")
    return value


def event_from_resource(resource: Mapping[str, Any]) -> Event:
    """The typed event of one resource object of a poll response or webhook notification."""
    if not isinstance(resource, Mapping):
        raise EventFormatError("an event must be a JSON object")
    event_id = _text(resource, "id", "event")
    where = f"event {event_id}"
    attributes = resource.get("attributes")
    meta = resource.get("meta") or {}
    if not isinstance(attributes, Mapping) or not isinstance(meta, Mapping):
        raise EventFormatError(f"{where}: attributes and meta must be objects")
    hidden = meta.get("hiddenUntil")
    parent = attributes.get("parent") or {}
    version = attributes.get("version")
    state = attributes.get("state")
    return Event(
        id=event_id,
        action=_text(attributes, "action", where),
        entity_type=_text(attributes, "entityType", where),
        product=_text(attributes, "product", where),
        owner=_text(attributes, "owner", where),
        actor=_text(attributes, "actor", where),
        entity_id=_text(attributes, "entityId", where),
        reference=Reference.parse(_text(attributes, "reference", where)),
        path=_text(attributes, "path", where),
        parent={str(k): str(v) for k, v in parent.items()} if isinstance(parent, Mapping) else {},
        version=str(version) if version is not None else None,
        state=str(state) if state is not None else None,
        occurred_at=parse_utc_datetime(_text(attributes, "occurredAt", where)),
        receive_count=int(meta.get("receiveCount") or 1),
        hidden_until=parse_utc_datetime(hidden) if isinstance(hidden, str) else None,
        subscription_id=str(meta.get("subscriptionId") or ""),
        raw=resource,
    )


@dataclass(frozen=True)
class ConsumerSettings:
    """How an event consumer behaves; every number has a default that fits the platform."""

    concurrency: int = 4
    """Handlers running at once."""
    max_in_flight: int = 20
    """Events received but not yet finished (running or waiting for a handler slot)."""
    wait_time_seconds: int = 20
    """Long-poll wait (0–20)."""
    max_events: int = 10
    """Events per poll (1–100)."""
    visibility_window: float = 30.0
    """The platform's window; an event not confirmed within it is delivered again."""
    safety_margin: float = 3.0
    """Time kept back from the window for the confirm itself."""
    max_deliveries: int = 5
    """A failing event delivered this many times is parked instead of redelivered forever."""
    confirm_batch: int = 50
    """Confirm as soon as this many events are done (and after every poll in any case)."""

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.max_in_flight < self.concurrency:
            raise ValueError("need concurrency >= 1 and max_in_flight >= concurrency")
        if not 0 <= self.wait_time_seconds <= 20 or not 1 <= self.max_events <= 100:
            raise ValueError("wait_time_seconds must be 0-20 and max_events 1-100")
        if self.safety_margin >= self.visibility_window or self.max_deliveries < 1:
            raise ValueError("safety_margin must be below the window; max_deliveries >= 1")
        if not 1 <= self.confirm_batch <= 100:
            raise ValueError("confirm_batch must be 1-100 (the platform confirms 100 at most)")


@dataclass(frozen=True)
class ParkedEvent:
    """An event taken out of circulation after failing ``max_deliveries`` times."""

    event: Event
    error: BaseException


@dataclass
class ConsumerState:
    """The bookkeeping of one consumer; the sync and async shells only poll, run and sleep."""

    settings: ConsumerSettings = dataclasses.field(default_factory=ConsumerSettings)
    in_flight: int = 0
    to_confirm: List[str] = dataclasses.field(default_factory=list)
    handled: int = 0
    failed: int = 0
    overruns: List[Tuple[str, float]] = dataclasses.field(default_factory=list)
    parked: List[ParkedEvent] = dataclasses.field(default_factory=list)
    _deadlines: Dict[str, float] = dataclasses.field(default_factory=dict)

    def poll_size(self) -> int:
        """How many events to ask for: never more than free in-flight slots."""
        return max(0, min(self.settings.max_events, self.settings.max_in_flight - self.in_flight))

    def received(self, events: List[Event], now: float) -> None:
        """A poll returned ``events`` at ``now`` (monotonic): each has the window from now."""
        budget = self.settings.visibility_window - self.settings.safety_margin
        for event in events:
            self._deadlines[event.id] = now + budget
        self.in_flight += len(events)

    def may_start(self, event: Event, now: float) -> bool:
        """An event whose window has (nearly) run out is not started: it will be delivered
        again, and starting it now would only race the redelivery."""
        if now < self._deadlines.get(event.id, now + 1):
            return True
        self._forget(event)
        return False

    def deadline(self, event: Event) -> float:
        return self._deadlines[event.id]

    def finished(
        self, event: Event, error: Optional[BaseException], now: float
    ) -> Optional[ParkedEvent]:
        """Record a handler's outcome. Success (or parking) queues a confirm; a failure below
        ``max_deliveries`` leaves the event unconfirmed so the platform delivers it again."""
        deadline = self._deadlines.get(event.id)
        if deadline is not None and now > deadline:
            self.overruns.append((event.id, now - deadline))
        self._forget(event)
        if error is None:
            self.handled += 1
            self.to_confirm.append(event.id)
            return None
        self.failed += 1
        if event.receive_count >= self.settings.max_deliveries:
            parked = ParkedEvent(event, error)
            self.parked.append(parked)
            self.to_confirm.append(event.id)
            return parked
        return None

    def confirm_now(self, *, final: bool = False) -> List[str]:
        """The ids to confirm now (up to 100), removed from the queue: when a batch is full,
        when ``final`` (a poll cycle ended or the consumer stops)."""
        if not self.to_confirm or (
            len(self.to_confirm) < self.settings.confirm_batch and not final
        ):
            return []
        batch, self.to_confirm = self.to_confirm[:100], self.to_confirm[100:]
        return batch

    def requeue(self, ids: List[str]) -> None:
        """A confirm failed: try these again with the next one (confirming twice is harmless)."""
        self.to_confirm[:0] = ids

    def _forget(self, event: Event) -> None:
        if self._deadlines.pop(event.id, None) is not None:
            self.in_flight -= 1
