"""The consumers' I/O behaviour over httpx.MockTransport (real threads and tasks, real time):
confirms (one DELETE per event, by receipt handle) never wait behind a long poll, a refused
confirm never blocks the rest, a redelivery (a new handle) is not run twice, handler
failures are logged with their evidence, and a generated poll's timeout covers its wait."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any, Dict, List, Optional

import httpx
import pytest

from thg_connect_core import (
    AsyncAPIClient,
    AsyncEventConsumer,
    ConsumerSettings,
    Event,
    EventConsumer,
    EventDocument,
    ListDocument,
    SyncAPIClient,
)
from thg_connect_core._resources import SyncResource

from .client_harness import config

SETTINGS = ConsumerSettings(wait_time_seconds=20, max_events=10, max_in_flight=20)


def record(event_id: str, handle: str) -> Dict[str, Any]:
    """A delivery in the platform's shape: ``handle`` is this delivery's receipt handle."""
    return {
        "id": handle,
        "type": "DataChangedEvent",
        "attributes": {
            "id": f"item-{event_id}",
            "type": "thg-fulfil:inventory-item",
            "version": "1",
            "attributes": {"sku": event_id},
            "meta": {
                "product": "thg-fulfil",
                "owner": "acme",
                "creator": "acme",
                "reference": f"thg:thg-fulfil:inventory-item#acme@item-{event_id}",
                "createdAt": "2026-02-11T13:09:43.710356",
                "updatedAt": "2026-02-11T13:09:43.710356",
            },
        },
        "meta": {"receiptHandle": handle, "subscriptionId": "sub", "method": "create"},
    }


def name(event: Event) -> str:
    """The fake platform's name of the event (its handles change per delivery)."""
    return str((event.attributes or {})["sku"])


class Platform:
    """A fake subscription: hands out queued events (a new receipt handle per delivery), then
    holds each long poll until released; answers each ``DELETE …/confirm`` by its
    ``receipt-handle`` header: 422 for events in ``refuse``, 404 for a handle it does not know
    or whose event is confirmed already."""

    def __init__(self, ids: List[str], refuse: Optional[List[str]] = None) -> None:
        self.queue = list(ids)
        self.refuse = set(refuse or [])
        self.handles: Dict[str, str] = {}  # every handle issued -> its event
        self.confirms: List[str] = []  # the event of each confirm request, in order
        self.confirmed_at: Dict[str, float] = {}
        self.polls_waiting = threading.Event()
        self.release = threading.Event()
        self.timeouts: List[float] = []
        self.lock = threading.Lock()

    def deliver(self, event_id: str) -> Dict[str, Any]:
        handle = f"AQEB-{event_id}-{len(self.handles)}"
        self.handles[handle] = event_id
        return record(event_id, handle)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        self.timeouts.append(request.extensions["timeout"]["read"])
        if request.url.path.endswith("/events"):
            with self.lock:
                batch, self.queue = self.queue[:10], self.queue[10:]
                data = [self.deliver(i) for i in batch]
            if not batch:
                self.polls_waiting.set()
                self.release.wait(5)  # a long poll, held open
            return httpx.Response(200, json={"data": data})
        assert request.method == "DELETE" and request.url.path.endswith("/confirm")
        handle = request.headers.get("receipt-handle", "")
        with self.lock:
            event_id = self.handles.get(handle)
            if event_id is not None:
                self.confirms.append(event_id)
        if event_id is None or event_id in self.confirmed_at:
            return httpx.Response(404, json={"errors": [{"status": "404", "detail": "gone"}]})
        if event_id in self.refuse:
            return httpx.Response(422, json={"errors": [{"status": "422", "detail": "no"}]})
        self.confirmed_at[event_id] = time.monotonic()
        return httpx.Response(200, json={"data": record(event_id, handle), "meta": {}})


def sync_api(platform: Platform, **overrides: Any) -> SyncAPIClient:
    return SyncAPIClient(
        config(**overrides), http_client=httpx.Client(transport=httpx.MockTransport(platform))
    )


def run_in_thread(consumer: EventConsumer) -> threading.Thread:
    thread = threading.Thread(target=consumer.run, kwargs={"handle_signals": False})
    thread.start()
    return thread


def test_handled_events_are_confirmed_at_once_while_a_long_poll_is_open() -> None:
    platform = Platform([f"e{n}" for n in range(25)])
    returned: Dict[str, float] = {}

    def handler(event: Event) -> None:
        returned[name(event)] = time.monotonic()

    consumer = EventConsumer(sync_api(platform), "sub", handler, settings=SETTINGS)
    thread = run_in_thread(consumer)
    try:
        assert platform.polls_waiting.wait(5)
        deadline = time.monotonic() + 5
        while len(platform.confirmed_at) < 25 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sorted(platform.confirmed_at) == sorted(returned)
        lag = max(platform.confirmed_at[i] - returned[i] for i in returned)
        assert lag < 1.0, f"a confirm waited {lag:.2f} s"
        assert len(platform.confirms) == len(set(platform.confirms)) == 25  # none twice
    finally:
        consumer.stop()
        platform.release.set()
        thread.join(10)


def test_a_refused_confirm_never_blocks_the_other_events(
    caplog: pytest.LogCaptureFixture,
) -> None:
    platform = Platform([f"e{n}" for n in range(30)], refuse=["e3", "e17"])
    consumer = EventConsumer(sync_api(platform), "sub", lambda e: None, settings=SETTINGS)
    with caplog.at_level(logging.WARNING, logger="thg_connect"):
        thread = run_in_thread(consumer)
        try:
            deadline = time.monotonic() + 5
            while len(platform.confirmed_at) < 28 and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            consumer.stop()
            platform.release.set()
            thread.join(10)
    assert sorted(platform.confirmed_at) == sorted(f"e{n}" for n in range(30) if n not in (3, 17))
    assert consumer.state.confirms.refused == 2 and len(consumer.state.confirms) == 0
    assert any("AQEB-e3" in r.getMessage() for r in caplog.records)


def test_confirm_sends_one_delete_per_handle_and_reads_404_as_already_gone() -> None:
    platform = Platform(["e1", "e2"])
    platform.release.set()
    consumer = EventConsumer(sync_api(platform), "sub", lambda e: None, settings=SETTINGS)
    first, second = consumer.poll(10, 0)
    assert consumer.confirm([first.id, first.id, second.id]) == ([first.id, second.id], [])
    assert consumer.confirm([first.id, "AQEB-never-issued"]) == (
        [],
        [first.id, "AQEB-never-issued"],
    )
    assert consumer.confirm_one(second.id) is False  # a retried confirm is harmless


def test_a_redelivery_while_running_is_not_run_again_and_its_newest_handle_confirms() -> None:
    platform = Platform([])
    started, finish = threading.Event(), threading.Event()
    runs: List[str] = []

    def handler(event: Event) -> None:
        runs.append(event.id)
        started.set()
        finish.wait(5)

    consumer = EventConsumer(sync_api(platform), "sub", handler, settings=SETTINGS)
    with platform.lock:
        platform.queue.append("e1")
    thread = run_in_thread(consumer)
    try:
        assert started.wait(5)
        with platform.lock:
            platform.queue.append("e1")  # the window ran out: delivered again, a new handle
        platform.release.set()
        deadline = time.monotonic() + 5
        while consumer.state.redelivered == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        finish.set()
        while "e1" not in platform.confirmed_at and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        consumer.stop()
        platform.release.set()
        finish.set()
        thread.join(10)
    assert runs == ["AQEB-e1-0"] and consumer.state.redelivered == 1
    assert platform.confirms == ["e1"] and consumer.state.confirms.confirmed == 1


def test_a_handler_failure_is_logged_with_message_traceback_id_and_reference(
    caplog: pytest.LogCaptureFixture,
) -> None:
    platform = Platform(["e1"])

    def handler(event: Event) -> None:
        raise KeyError("sku-missing")

    consumer = EventConsumer(sync_api(platform), "sub", handler, settings=SETTINGS)
    with caplog.at_level(logging.ERROR, logger="thg_connect"):
        thread = run_in_thread(consumer)
        assert platform.polls_waiting.wait(5)
        deadline = time.monotonic() + 5
        while consumer.state.failed == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        consumer.stop()
        platform.release.set()
        thread.join(10)
    (failure,) = [r for r in caplog.records if "handler failed" in r.getMessage()]
    message = failure.getMessage()
    assert "e1" in message and "thg:thg-fulfil:inventory-item#acme@item-e1" in message
    assert "KeyError" in message and "sku-missing" in message
    assert failure.exc_info is not None and failure.exc_info[2] is not None  # the traceback
    assert "e1" not in platform.confirmed_at


async def test_the_async_consumer_confirms_while_its_poll_is_open() -> None:
    platform = Platform([f"e{n}" for n in range(15)])

    async def transport_handler(request: httpx.Request) -> httpx.Response:
        return await asyncio.get_running_loop().run_in_executor(None, platform, request)

    api = AsyncAPIClient(
        config(), http_client=httpx.AsyncClient(transport=httpx.MockTransport(transport_handler))
    )
    returned: Dict[str, float] = {}

    async def handler(event: Event) -> None:
        returned[name(event)] = time.monotonic()

    consumer = AsyncEventConsumer(api, "sub", handler, settings=SETTINGS)
    running = asyncio.ensure_future(consumer.run(handle_signals=False))
    try:
        deadline = time.monotonic() + 5
        while len(platform.confirmed_at) < 15 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert sorted(platform.confirmed_at) == sorted(returned)
        assert max(platform.confirmed_at[i] - returned[i] for i in returned) < 1.0
    finally:
        consumer.stop()
        platform.release.set()
        await asyncio.wait_for(running, 10)
    assert consumer.state.handled == 15


PAGE = ListDocument[Dict[str, Any]]


def test_a_long_poll_gets_its_wait_added_to_the_timeout() -> None:
    platform = Platform(["e1"])
    platform.release.set()  # polls of an empty queue answer at once
    resource = SyncResource(sync_api(platform, timeout=2.0), "/api/events/v1/acme/subscription/s")
    resource._action(
        "GET",
        "events",
        PAGE,
        params={"waitTimeSeconds": 5, "maxEvents": 1},
        body=None,
        timeout=None,
        extra_headers=None,
        extra_query=None,
    )
    resource._action(
        "GET",
        "events",
        PAGE,
        params={"waitTimeSeconds": 5},
        body=None,
        timeout=3.0,
        extra_headers=None,
        extra_query=None,
    )
    resource._action(
        "GET",
        "events",
        PAGE,
        params={"waitTimeSeconds": None},
        body=None,
        timeout=None,
        extra_headers=None,
        extra_query=None,
    )
    assert [round(t, 1) for t in platform.timeouts] == [7.0, 8.0, 2.0]


def test_a_required_header_parameter_is_sent_and_refused_when_empty() -> None:
    platform = Platform(["e1"])
    platform.release.set()
    api = sync_api(platform)
    (polled,) = EventConsumer(api, "sub", lambda e: None).poll(1, 0)
    resource = SyncResource(api, "/api/events/v1/acme/subscription/sub")
    answer = resource._action(
        "DELETE",
        "confirm",
        EventDocument,
        params={},
        body=None,
        headers={"receipt-handle": polled.id},
        timeout=None,
        extra_headers=None,
        extra_query=None,
    )
    assert isinstance(answer, Event) and answer.key == polled.key
    with pytest.raises(ValueError, match="receipt_handle"):
        resource._action(
            "DELETE",
            "confirm",
            EventDocument,
            params={},
            body=None,
            headers={"receipt-handle": ""},
            timeout=None,
            extra_headers=None,
            extra_query=None,
        )
