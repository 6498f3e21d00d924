"""Event parsing, the consumer's decisions (pure, on a virtual clock), and webhook signatures."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, Dict, List

import pytest
from thg_connect_core import (
    ConsumerSettings,
    ConsumerState,
    Event,
    EventFormatError,
    Reference,
    WebhookSignatureError,
    event_from_resource,
    handle_notification,
    handle_notification_sync,
    parse_notification,
    verify_signature,
)


def resource(event_id: str = "e1", receive_count: int = 1, **attributes: Any) -> Dict[str, Any]:
    attrs = {
        "eventType": "DataChangedEvent", "action": "CREATED",
        "entityType": "thg-fulfil:inventory-item.approval", "product": "thg-fulfil",
        "owner": "brandco", "actor": "thg", "entityId": "a1",
        "reference": "thg:thg-fulfil:inventory-item.approval#brandco@a1",
        "path": "/api/thg-fulfil/v1/brandco/inventory-item/i1/approval",
        "parent": {"thg-fulfil:inventory-item": "i1"}, "version": "1", "state": "APPROVED",
        "occurredAt": "2026-02-11T13:09:43+00:00",
    }  # fmt: skip
    attrs.update(attributes)
    return {
        "id": event_id,
        "type": "events:event",
        "attributes": attrs,
        "meta": {"subscriptionId": "sub", "receiveCount": receive_count, "hiddenUntil": None},
    }


def event(event_id: str = "e1", receive_count: int = 1) -> Event:
    return event_from_resource(resource(event_id, receive_count))


def test_an_event_parses_into_typed_fields() -> None:
    e = event()
    assert e.reference == Reference.parse("thg:thg-fulfil:inventory-item.approval#brandco@a1")
    assert (e.action, e.state, e.actor, e.receive_count) == ("CREATED", "APPROVED", "thg", 1)
    assert e.occurred_at.utcoffset() is not None and e.parent == {"thg-fulfil:inventory-item": "i1"}
    with pytest.raises(EventFormatError, match="action"):
        event_from_resource(resource(action=None))


def test_state_bounds_polls_by_free_in_flight_slots() -> None:
    state = ConsumerState(ConsumerSettings(concurrency=2, max_in_flight=3, max_events=10))
    assert state.poll_size() == 3
    state.received([event("a"), event("b")], now=0.0)
    assert state.poll_size() == 1
    state.finished(event("a"), None, now=1.0)
    assert state.poll_size() == 2 and state.handled == 1


def test_events_past_their_budget_are_not_started_and_overruns_are_reported() -> None:
    settings = ConsumerSettings(visibility_window=30, safety_margin=5)
    state = ConsumerState(settings)
    late, slow = event("late"), event("slow")
    state.received([late, slow], now=100.0)
    assert state.may_start(slow, now=110.0)
    assert not state.may_start(late, now=125.0)  # budget is 25 s: it will be delivered again
    assert state.in_flight == 1
    state.finished(slow, None, now=131.0)
    assert state.overruns == [("slow", 6.0)]
    assert state.confirm_now(final=True) == ["slow"]


def test_failures_are_redelivered_until_parked() -> None:
    state = ConsumerState(ConsumerSettings(max_deliveries=3))
    first = event("x", receive_count=1)
    state.received([first], now=0)
    assert state.finished(first, RuntimeError("boom"), now=1) is None
    assert state.confirm_now(final=True) == []  # left for redelivery
    third = event("x", receive_count=3)
    state.received([third], now=40)
    parked = state.finished(third, RuntimeError("boom"), now=41)
    assert parked is not None and parked.event.id == "x" and state.parked == [parked]
    assert state.confirm_now(final=True) == ["x"]  # parked: confirmed so it stops looping


def test_confirms_go_in_batches_of_at_most_a_hundred() -> None:
    state = ConsumerState(ConsumerSettings(confirm_batch=50))
    events = [event(str(i)) for i in range(130)]
    state.received(events, now=0)
    for e in events[:49]:
        state.finished(e, None, now=1)
    assert state.confirm_now() == []
    for e in events[49:]:
        state.finished(e, None, now=1)
    assert len(state.confirm_now()) == 100
    state.requeue(["again"])
    assert state.confirm_now(final=True)[0] == "again"


def sign(body: bytes, secret: str, t: int) -> str:
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def test_signatures_are_checked_with_the_secret_and_a_tolerance() -> None:
    body = b'{"data": []}'
    verify_signature(body, sign(body, "s3cret", 1000), "s3cret", now=1010)
    for header, now in ((sign(body, "other", 1000), 1000.0), (sign(body, "s3cret", 1000), 5000.0),
                        ("v1=abc", 1000.0), (None, 1000.0)):  # fmt: skip
        with pytest.raises(WebhookSignatureError) as caught:
            verify_signature(body, header, "s3cret", now=now)
        assert "s3cret" not in str(caught.value)


def notification(*resources: Dict[str, Any]) -> bytes:
    meta = {"subscriptionId": "sub", "deliveryId": "d1", "attempt": 1}
    return json.dumps({"data": list(resources), "meta": meta}).encode()


def test_a_notification_handles_each_event_and_confirms_only_the_handled() -> None:
    body = notification(resource("ok"), resource("bad"))
    assert parse_notification(body).delivery_id == "d1"
    confirmed: List[Any] = []

    def handler(e: Event) -> None:
        if e.id == "bad":
            raise ValueError("nope")

    status = handle_notification_sync(
        body, sign(body, "k", 50), "k", handler, lambda s, ids: confirmed.append((s, ids)), now=50
    )
    assert status == 204 and confirmed == [("sub", ["ok"])]
    assert handle_notification_sync(body, "t=50,v1=00", "k", handler, print, now=50) == 401
    bad = b"[1]"
    assert handle_notification_sync(bad, sign(bad, "k", 50), "k", handler, print, now=50) == 400


async def test_the_async_notification_handler_awaits_and_confirms() -> None:
    body = notification(resource("a"), resource("b"))
    seen: List[str] = []
    confirmed: List[List[str]] = []

    async def handler(e: Event) -> None:
        seen.append(e.id)

    async def confirm(subscription: str, ids: List[str]) -> None:
        confirmed.append(ids)

    assert await handle_notification(body, sign(body, "k", 7), "k", handler, confirm, now=7) == 204
    assert seen == ["a", "b"] and confirmed == [["a", "b"]]
