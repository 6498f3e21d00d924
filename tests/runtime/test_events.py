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
from thg_connect_core._confirm_queue import ConfirmQueue


def resource(
    handle: str = "e1#1", entity_id: str = "a1", method: str = "create", **attributes: Any
) -> Dict[str, Any]:
    """One delivery in the platform's shape (CONVENTIONS §11): the handle is per delivery."""
    return {
        "id": handle,
        "type": "DataChangedEvent",
        "attributes": {
            "id": entity_id,
            "type": "thg-fulfil:inventory-item.approval",
            "version": "1",
            "attributes": {"state": "APPROVED", **attributes},
            "links": None,
            "meta": {
                "product": "thg-fulfil",
                "owner": "brandco",
                "creator": "thg",
                "parent": {"thg-fulfil:inventory-item": "i1"},
                "reference": f"thg:thg-fulfil:inventory-item.approval#brandco@{entity_id}",
                "createdAt": "2026-02-11T13:09:43.710356",
                "updatedAt": "2026-02-11T13:09:43.710356",
            },
        },
        "meta": {"receiptHandle": handle, "subscriptionId": "sub", "method": method},
    }


def event(name: str = "e1", delivery: int = 1) -> Event:
    """Delivery ``delivery`` of the change of entity ``name``: a new handle each time."""
    return event_from_resource(resource(f"{name}#{delivery}", name))


def test_an_event_parses_into_typed_fields() -> None:
    e = event("a1")
    assert e.reference == Reference.parse("thg:thg-fulfil:inventory-item.approval#brandco@a1")
    assert (e.action, e.state, e.actor, e.receive_count) == ("CREATED", "APPROVED", "", 1)
    assert e.id == e.receipt_handle == "a1#1" and e.subscription_id == "sub"
    assert e.occurred_at is not None and e.occurred_at.utcoffset() is not None
    assert e.parent == {"thg-fulfil:inventory-item": "i1"} and e.parent_id == "i1"
    assert e.shape == "DataChangedEvent" and e.attributes == {"state": "APPROVED"}
    assert e.key == event("a1", 2).key != event("a2").key  # per change, not per delivery
    lenient = event_from_resource(resource(method="sideways", status="x"))
    assert lenient.action == "SIDEWAYS" and lenient.attributes == {
        "state": "APPROVED",
        "status": "x",
    }
    with pytest.raises(EventFormatError, match="id"):
        event_from_resource({"type": "DataChangedEvent", "attributes": {}, "meta": {}})
    with pytest.raises(AttributeError):
        e.id = "other"  # type: ignore[misc]


def test_state_bounds_polls_by_free_in_flight_slots() -> None:
    state = ConsumerState(ConsumerSettings(concurrency=2, max_in_flight=3, max_events=10))
    assert state.poll_size() == 3
    assert state.received([event("a"), event("b")], now=0.0) == [event("a"), event("b")]
    assert state.poll_size() == 1
    assert state.start(event("a"), now=0.5)
    state.finished(event("a"), None, now=1.0)
    assert state.poll_size() == 1 and state.handled == 1  # its confirm still takes a slot
    state.confirms.take(1.0)
    state.confirms.settled(event("a").key)
    assert state.poll_size() == 2


def test_a_redelivery_of_a_held_or_finished_event_is_not_run_again() -> None:
    state = ConsumerState(ConsumerSettings(visibility_window=30, safety_margin=5))
    a = event("a")
    assert state.received([a], now=0.0) == [a]
    assert state.start(a, now=1.0)
    a2 = event("a", 2)  # the same change delivered again: a new handle
    assert state.received([a2], now=31.0) == []  # still running: the new window applies
    assert state.in_flight == 1 and state.deadline(a) == 56.0 and state.redelivered == 1
    state.finished(a, None, now=40.0)
    assert state.next_confirm(40.0)[0] == [(a.key, "a#2")]  # the newest delivery's handle
    state.confirms.settled(a.key)
    state.received([a], now=30.0)
    state.start(a, now=30.0)
    state.finished(a, None, now=31.0)
    assert state.received([event("a", 3)], now=41.0) == []  # its confirm is pending: settles it
    assert state.in_flight == 0 and state.next_confirm(42.0) == ([(a.key, "a#3")], 0.0)


def test_events_past_their_budget_are_not_started_and_overruns_are_reported_once() -> None:
    settings = ConsumerSettings(visibility_window=30, safety_margin=5, confirm_linger=0)
    state = ConsumerState(settings)
    late, slow = event("late"), event("slow")
    state.received([late, slow], now=100.0)
    assert state.start(slow, now=110.0)
    assert not state.start(late, now=125.0)  # budget is 25 s: it will be delivered again
    assert state.in_flight == 1 and state.expired == 1
    assert state.overdue(124.0) == [] and state.overdue(126.0) == [slow]
    assert state.overdue(130.0) == []  # once
    state.finished(slow, None, now=131.0)
    assert state.next_confirm(131.0)[0] == [(slow.key, "slow#1")]


def test_in_flight_is_the_held_table_and_cannot_leak() -> None:
    state = ConsumerState(ConsumerSettings(concurrency=1, max_in_flight=5))
    events = [event(str(i)) for i in range(5)]
    state.received(events, now=0)
    state.start(events[0], now=0)
    state.finished(events[0], RuntimeError("x"), now=1)
    state.finished(events[0], None, now=1)  # a second report of one event changes nothing
    for e in events[1:]:
        state.release(e)  # stopping: never started
    assert state.in_flight == 0 and state.poll_size() == 4  # one confirm pending
    state.confirms.take(1)
    state.confirms.settled(events[0].key)
    assert state.poll_size() == 5


def test_the_handler_pace_bounds_the_backlog_to_what_can_start_in_the_window() -> None:
    state = ConsumerState(
        ConsumerSettings(
            concurrency=4, max_in_flight=40, max_events=40, visibility_window=30, safety_margin=3
        )
    )
    first = event("first")
    state.received([first], now=0)
    state.start(first, now=0)
    state.finished(first, None, now=7.5)  # a quarter of the window per event
    assert state.poll_size() == 14  # 4 slots x 27 s / 7.5 s


def test_failures_are_redelivered_until_parked() -> None:
    state = ConsumerState(ConsumerSettings(max_deliveries=3, confirm_linger=0))
    for delivery in (1, 2):  # the platform counts no deliveries: the consumer does, by key
        failing = event("x", delivery)
        state.received([failing], now=40.0 * delivery)
        state.start(failing, now=40.0 * delivery)
        assert state.finished(failing, RuntimeError("boom"), now=40.0 * delivery + 1) is None
        assert state.next_confirm(40.0 * delivery + 1)[0] == []  # left for redelivery
    third = event("x", 3)
    state.received([third], now=120)
    state.start(third, now=120)
    parked = state.finished(third, RuntimeError("boom"), now=121)
    assert parked is not None and parked.event.id == "x#3" and state.parked == [parked]
    assert state.next_confirm(121)[0] == [(third.key, "x#3")]  # parked: confirmed, stops looping


def test_confirms_linger_briefly_while_more_handlers_are_about_to_finish() -> None:
    state = ConsumerState(ConsumerSettings(confirm_linger=0.02, max_in_flight=130, max_events=100))
    events = [event(str(i)) for i in range(130)]
    state.received(events, now=0)
    for e in events[:10]:
        state.start(e, now=0)
        state.finished(e, None, now=1)
    ids, wait = state.next_confirm(1.0)
    assert ids == [] and wait == pytest.approx(0.02)
    assert len(state.next_confirm(1.03)[0]) == 10
    for e in events[10:]:
        state.start(e, now=1)
        state.finished(e, None, now=2)
    assert state.next_confirm(2.0)[0] == []  # one round at a time
    for e in events[:10]:
        state.confirms.settled(e.key)
    full = state.next_confirm(2.0)[0]
    assert len(full) == 100  # a full round goes at once
    for key, _ in full:
        state.confirms.settled(key)
    assert len(state.next_confirm(2.0)[0]) == 20  # nothing left running: no linger


def sign(body: bytes, secret: str, t: int) -> str:
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def test_signatures_are_checked_with_the_secret_and_a_tolerance() -> None:
    body = b'{"data": []}'
    verify_signature(body, sign(body, "s3cret", 1000), "s3cret", now=1010)
    for header, now in (
        (sign(body, "other", 1000), 1000.0),
        (sign(body, "s3cret", 1000), 5000.0),
        ("v1=abc", 1000.0),
        (None, 1000.0),
    ):
        with pytest.raises(WebhookSignatureError) as caught:
            verify_signature(body, header, "s3cret", now=now)
        assert "s3cret" not in str(caught.value)


def notification(*resources: Dict[str, Any]) -> bytes:
    meta = {"subscriptionId": "sub", "deliveryId": "d1", "attempt": 1}
    return json.dumps({"data": list(resources), "meta": meta}).encode()


def test_a_notification_handles_each_event_and_confirms_only_the_handled() -> None:
    body = notification(resource("ok", "e1"), resource("bad", "e2"))
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
    body = notification(resource("a", "e1"), resource("b", "e2"))
    seen: List[str] = []
    confirmed: List[List[str]] = []

    async def handler(e: Event) -> None:
        seen.append(e.id)

    async def confirm(subscription: str, ids: List[str]) -> None:
        confirmed.append(ids)

    assert await handle_notification(body, sign(body, "k", 7), "k", handler, confirm, now=7) == 204
    assert seen == ["a", "b"] and confirmed == [["a", "b"]]


def test_a_delivery_that_crossed_its_confirm_is_confirmed_again_never_run() -> None:
    """A poll the platform answered just before the confirm landed brings the event back after
    its confirm settled: its handle is confirmed too and the handler does not run again, for one
    visibility window (a slow-handler backlog test once saw that duplicate)."""
    state = ConsumerState(ConsumerSettings(visibility_window=30, safety_margin=5, confirm_linger=0))
    a = event("a")
    state.received([a], now=0.0)
    state.start(a, now=0.0)
    state.finished(a, None, now=1.0)
    assert state.next_confirm(1.0)[0] == [(a.key, "a#1")]
    state.confirm_settled(a.key, True, now=2.0)
    assert state.received([event("a", 2)], now=3.0) == []  # crossed the confirm: not run
    assert state.redelivered == 1 and state.next_confirm(3.0)[0] == [(a.key, "a#2")]
    state.confirm_settled(a.key, False, now=3.5)  # already gone: 404 settles it
    assert state.received([event("a", 3)], now=40.0) == [event("a", 3)]  # a window later: new


def test_a_delivery_during_its_confirm_sends_the_newer_handle_after_it() -> None:
    queue = ConfirmQueue()
    queue.add("a", "h1")
    assert queue.take(0) == [("a", "h1")]
    queue.renew("a", "h2")  # delivered again while the first confirm is out
    queue.settled("a")
    assert queue.take(0) == [("a", "h2")]
    queue.renew("a", "h3")
    assert queue.failed("a", 0, status=404) == [] and queue.take(0) == [("a", "h3")]
    queue.renew("a", "h4")
    assert queue.failed("a", 0, status=422) == [] and queue.take(0) == [("a", "h4")]
    assert [d.ids for d in queue.failed("a", 0, status=422)] == [("h4",)]
