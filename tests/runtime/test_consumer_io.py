"""The consumers' I/O behaviour over httpx.MockTransport (real threads and tasks, real time):
confirms never wait behind a long poll, a partial refusal never blocks the rest, handler
failures are logged with their evidence, and a generated poll's timeout covers its wait."""

from __future__ import annotations

import asyncio
import json
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
    ListDocument,
    SyncAPIClient,
)
from thg_connect_core._resources import SyncResource

from .client_harness import config

SETTINGS = ConsumerSettings(wait_time_seconds=20, max_events=10, max_in_flight=20)


def record(event_id: str) -> Dict[str, Any]:
    return {
        "id": event_id, "type": "events:event",
        "attributes": {"action": "CREATED", "entityType": "thg-fulfil:inventory-item",
                       "product": "thg-fulfil", "owner": "acme", "actor": "acme",
                       "entityId": f"item-{event_id}",
                       "reference": f"thg:thg-fulfil:inventory-item#acme@item-{event_id}"},
        "meta": {"subscriptionId": "sub", "receiveCount": 1},
    }  # fmt: skip


class Platform:
    """A fake subscription: hands out queued events, then holds each long poll until released;
    answers confirms (refusing ids in ``refuse`` with a pointer, as the platform would)."""

    def __init__(self, ids: List[str], refuse: Optional[List[str]] = None) -> None:
        self.queue = list(ids)
        self.refuse = set(refuse or [])
        self.confirms: List[List[str]] = []
        self.confirmed_at: Dict[str, float] = {}
        self.polls_waiting = threading.Event()
        self.release = threading.Event()
        self.timeouts: List[float] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        self.timeouts.append(request.extensions["timeout"]["read"])
        if request.url.path.endswith("/events"):
            with self.lock:
                batch, self.queue = self.queue[:10], self.queue[10:]
            if not batch:
                self.polls_waiting.set()
                self.release.wait(5)  # a long poll, held open
            return httpx.Response(200, json={"data": [record(i) for i in batch]})
        ids = json.loads(request.content)["data"]["attributes"]["eventIds"]
        with self.lock:
            self.confirms.append(ids)
        bad = [n for n, i in enumerate(ids) if i in self.refuse]
        if bad:
            errors = [{"status": "422", "detail": "gone",
                       "source": {"pointer": f"/data/attributes/eventIds/{n}"}} for n in bad]  # fmt: skip
            return httpx.Response(422, json={"errors": errors})
        now = time.monotonic()
        for event_id in ids:
            self.confirmed_at[event_id] = now
        attributes = {"confirmed": ids, "notFound": []}
        return httpx.Response(200, json={"data": {"id": "c", "type": "events:confirmation",
                                                  "attributes": attributes}})  # fmt: skip


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
        returned[event.id] = time.monotonic()

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
        flat = [i for ids in platform.confirms for i in ids]
        assert len(flat) == len(set(flat)) == 25  # no id listed twice, none confirmed twice
    finally:
        consumer.stop()
        platform.release.set()
        thread.join(10)


def test_a_partly_refused_confirm_never_blocks_the_other_ids(
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
    assert any("e3" in r.getMessage() for r in caplog.records)


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
        returned[event.id] = time.monotonic()

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
    resource._action("GET", "events", PAGE, params={"waitTimeSeconds": 5, "maxEvents": 1},
                     body=None, timeout=None, extra_headers=None, extra_query=None)  # fmt: skip
    resource._action("GET", "events", PAGE, params={"waitTimeSeconds": 5}, body=None,
                     timeout=3.0, extra_headers=None, extra_query=None)  # fmt: skip
    resource._action("GET", "events", PAGE, params={"waitTimeSeconds": None}, body=None,
                     timeout=None, extra_headers=None, extra_query=None)  # fmt: skip
    assert [round(t, 1) for t in platform.timeouts] == [7.0, 8.0, 2.0]
