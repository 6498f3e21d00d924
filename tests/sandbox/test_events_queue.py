"""The event queue on its own (no HTTP): a hypothesis state machine on a virtual clock.

Properties (issue 5): a polled event is hidden for exactly the window and visible after it,
every delivery carries a new receipt handle and any handle ever issued confirms the event whenever
it comes (then none does), a webhook delivery never removes or hides anything, and two pollers
never hold the same event at once. `THG_EVENTS_FUZZ_EXAMPLES` raises the example count
for a longer run by hand.
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime, timedelta, timezone

import httpx
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)

from thg_sandbox.events import EventQueue, SubscriptionKey, WebhookSettings
from thg_sandbox.events.queue import to_micros
from thg_sandbox.events.webhooks import WebhookSender
from thg_sandbox.store import Database

WINDOW = 30.0
WINDOW_US = 30_000_000
KEY = SubscriptionKey("brandco", "machine")
OTHER = SubscriptionKey("thg", "other")  # a second queue that must never be disturbed
POLLERS = ("a", "b")
EXAMPLES = int(os.environ.get("THG_EVENTS_FUZZ_EXAMPLES", "50"))


class VirtualClock:
    """Time that moves only when told (microsecond steps)."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 2, 11, 13, 9, 43, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.moment

    def advance_micros(self, micros: int) -> None:
        self.moment += timedelta(microseconds=micros)


class QueueMachine(RuleBasedStateMachine):
    """The model: for each queued event, when it becomes visible (`0`: now) and who holds it."""

    pushed = Bundle("pushed")

    def __init__(self) -> None:
        super().__init__()
        self.clock = VirtualClock()
        self.db = Database(None)
        self.queue = EventQueue(self.db, self.clock, WINDOW)
        self.order: list[str] = []  # queued ids, oldest first
        self.hidden_until: dict[str, int] = {}
        self.holder: dict[str, str] = {}
        self.receives: dict[str, int] = {}
        self.handles: dict[str, list[str]] = {}  # every handle issued for each queued event
        self.issued: set[str] = set()
        self.count = 0
        self.webhook_status = 204

    def now(self) -> int:
        return to_micros(self.clock.now())

    def visible(self) -> list[str]:
        return [i for i in self.order if self.hidden_until[i] <= self.now()]

    @initialize()
    def other_queue(self) -> None:
        self.queue.push([OTHER], "other-1", {"n": -1})
        self.queue.deliver(OTHER, ["other-1"])  # handles of another queue confirm nothing here

    @rule(target=pushed, n=st.integers(1, 4))
    def push(self, n: int) -> object:
        ids = []
        for _ in range(n):
            self.count += 1
            event_id = f"e{self.count}"
            self.queue.push([KEY], event_id, {"n": self.count})
            self.order.append(event_id)
            self.hidden_until[event_id] = 0
            self.receives[event_id] = 0
            self.handles[event_id] = []
            ids.append(event_id)
        return multiple(*ids)

    @rule(poller=st.sampled_from(POLLERS), most=st.integers(1, 5))
    def poll(self, poller: str, most: int) -> None:
        expected = self.visible()[:most]
        held = {i: p for i, p in self.holder.items() if self.hidden_until[i] > self.now()}
        claimed = self.queue.claim(KEY, most)
        assert [e.id for e in claimed] == expected  # oldest first, only visible ones
        for event in claimed:
            assert event.id not in held  # nobody, this poller or the other, holds it now
            # Hidden for exactly the window from now.
            assert event.hidden_until is not None
            assert to_micros(event.hidden_until) == self.now() + WINDOW_US
            self.hidden_until[event.id] = self.now() + WINDOW_US
            self.holder[event.id] = poller
            self.receives[event.id] += 1
            assert event.receive_count == self.receives[event.id]
            assert event.body == {"n": int(event.id[1:])}
            assert event.handle.startswith("AQEB") and event.handle not in self.issued
            self.issued.add(event.handle)
            self.handles[event.id].append(event.handle)

    @rule(micros=st.sampled_from([1, 1_000_000, WINDOW_US - 1, WINDOW_US, WINDOW_US + 1]))
    def advance(self, micros: int) -> None:
        self.clock.advance_micros(micros)

    @precondition(lambda self: any(t > self.now() for t in self.hidden_until.values()))
    @rule(data=st.data(), before=st.booleans())
    def advance_to_the_edge(self, data: st.DataObject, before: bool) -> None:
        """To the very end of a window, or one microsecond short of it."""
        hidden = sorted(t for t in self.hidden_until.values() if t > self.now())
        edge = data.draw(st.sampled_from(hidden))
        self.clock.advance_micros(edge - self.now() - (1 if before else 0))

    @rule(event_id=consumes(pushed), data=st.data())
    def confirm(self, event_id: str, data: st.DataObject) -> None:
        if not self.handles[event_id]:  # never polled: a notification's handle will do
            [delivered] = self.queue.deliver(KEY, [event_id])
            self.handles[event_id].append(delivered.handle)
        assert self.queue.confirm(KEY, "AQEB-never-issued") is None
        assert self.queue.confirm(OTHER, self.handles[event_id][0]) is None  # not its queue
        handle = data.draw(st.sampled_from(self.handles[event_id]))  # any handle ever issued
        confirmed = self.queue.confirm(KEY, handle)
        assert confirmed is not None and confirmed.id == event_id  # whenever it arrives
        assert confirmed.handle == handle
        self.order.remove(event_id)
        for table in (self.hidden_until, self.holder, self.receives):
            table.pop(event_id, None)
        for again in self.handles.pop(event_id):  # a retry is harmless: gone (a 404)
            assert self.queue.confirm(KEY, again) is None

    @rule(status=st.sampled_from([204, 500]))
    def webhook_delivery(self, status: int) -> None:
        """The real sender, against an in-process transport: it reads, it never takes."""
        sender = WebhookSender(
            self.queue, self.clock, WebhookSettings(attempts=2, backoff_seconds=0)
        )
        self.queue.set_secret(KEY, "whsec_machine")
        seen: list[int] = []

        def answer(request: httpx.Request) -> httpx.Response:
            seen.append(len(request.content))
            return httpx.Response(status)

        async def deliver() -> None:
            transport = httpx.MockTransport(answer)
            async with httpx.AsyncClient(transport=transport) as client:
                await sender._deliver(client, KEY, "http://receiver.invalid/hook", self.order)

        asyncio.run(deliver())
        assert len(seen) == (0 if not self.order else 1 if status == 204 else 2)

    @invariant()
    def queue_matches_the_model(self) -> None:
        stored = self.queue.peek(KEY)
        assert [e.id for e in stored] == self.order
        for event in stored:
            expected = self.hidden_until[event.id]
            if expected > self.now():
                assert event.hidden_until is not None
                assert to_micros(event.hidden_until) == expected
            else:
                assert event.hidden_until is None
            assert event.receive_count == self.receives[event.id]
        assert [e.id for e in self.queue.peek(OTHER)] == ["other-1"]

    def teardown(self) -> None:
        self.db.close()


QueueMachine.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=30, deadline=None
)
TestQueueMachine = QueueMachine.TestCase


def test_a_window_must_be_positive() -> None:
    db = Database(None)
    try:
        for bad in (0, -1):
            try:
                EventQueue(db, VirtualClock(), bad)
            except ValueError:
                continue
            raise AssertionError(f"window {bad} accepted")
    finally:
        db.close()


def test_a_write_never_announced_holds_no_later_event_back() -> None:
    # Events are queued in their write's own transaction (issue 15): a committed write whose
    # after-commit hooks never come has nothing left to hold later events back with.
    db = Database(None)
    try:
        queue = EventQueue(db, VirtualClock(), WINDOW)
        with db.transaction() as conn:
            conn.execute(
                "INSERT INTO resources (product, entity, owner, id, parent_id, parents, "
                "attributes, creator, version, created_at, updated_at) "
                "VALUES ('p', 'p:e', 'brandco', 'x', '', '{}', '{}', 'brandco', 1, '', '')"
            )
            EventQueue.push_in(conn, [(KEY.owner, KEY.id, "later", "{}")])
        assert [e.id for e in queue.claim(KEY, 10)] == ["later"]
    finally:
        db.close()
