"""Webhook notifications to a real receiver on 127.0.0.1: signed, retried, never removing events."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from thg_sandbox.behaviours import BUILTIN
from thg_sandbox.clock import ManualClock
from thg_sandbox.events import WebhookSettings, events_extension, install_events
from thg_sandbox.server import RunningSandbox, running_sandbox, sandbox_server
from thg_spec import Product

from .conftest import FULFIL, SPECS, Org, doc, item
from .events_helpers import EVENTS, change, confirm, drain, poll, subscription_path

ITEMS = f"{FULFIL}/brandco/inventory"
DEADLINE = 10.0
ATTEMPTS = 3
FAST = WebhookSettings(attempts=ATTEMPTS, backoff_seconds=0.05)


@pytest.fixture(scope="module")
def sandbox(clock: ManualClock, products: list[Product]) -> Iterator[RunningSandbox]:
    """The built-in extensions, with quicker and fewer webhook retries."""
    extensions = tuple(events_extension(FAST) if e is install_events else e for e in BUILTIN)
    assert len(extensions) == len(BUILTIN) and install_events not in extensions
    with running_sandbox(SPECS, clock=clock, products=products, extensions=extensions) as running:
        yield running


@dataclass
class Receiver:
    """Answers 500 to the first `failures` notifications, then 204; records every one."""

    failures: int = 1
    delay: float = 0.0
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, count: int) -> list[tuple[dict[str, str], bytes]]:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.02)
        raise AssertionError(f"{count} notifications expected, {len(self.received)} arrived")


@pytest.fixture()
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            time.sleep(state.delay)
            with state.lock:
                state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                failing = len(state.received) <= state.failures
            self.send_response(500 if failing else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def verified(secret: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The notification, after checking its THG-Signature the way a receiver must."""
    parts = dict(p.split("=", 1) for p in headers["thg-signature"].split(","))
    assert set(parts) == {"t", "v1"}
    assert abs(int(parts["t"]) - time.time()) < 3600  # a manual clock may run ahead a little
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256)
    assert hmac.compare_digest(parts["v1"], expected.hexdigest())
    found: dict[str, Any] = json.loads(body)
    return found


def hook_subscription(org: Org, url: str, sub_id: str) -> str:
    body = doc(
        "events:subscription",
        {"webhookUrl": url, "entityTypes": ["thg-fulfil:inventory"]},
        id=sub_id,
    )
    response = org.post(f"{EVENTS}/{org.slug}/subscription", json=body)
    assert response.status_code == 201, response.text
    secret: str = response.json()["data"]["attributes"]["webhookSecret"]
    return secret


def test_a_notification_is_signed_retried_and_removes_nothing(
    brandco: Org, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    secret = hook_subscription(brandco, url, "hooked")
    state.delay = 0.5  # a slow receiver must not slow the write down
    started = time.monotonic()
    created = brandco.post(ITEMS, json=item("HOOK-1")).json()["data"]
    assert time.monotonic() - started < 0.5
    first, second = state.wait_for(2)[:2]
    notes = [verified(secret, headers, body) for headers, body in (first, second)]
    assert [n["meta"]["attempt"] for n in notes] == [1, 2]
    assert notes[0]["meta"]["deliveryId"] == notes[1]["meta"]["deliveryId"]
    assert {n["meta"]["subscriptionId"] for n in notes} == {"hooked"}
    for note in notes:
        [event] = note["data"]
        assert event["type"] == "DataChangedEvent"
        assert event["attributes"]["id"] == created["id"]
        assert event["meta"]["method"] == "create"
        assert event["meta"]["subscriptionId"] == "hooked"
        assert event["meta"]["receiptHandle"] == event["id"]
    assert first[0]["content-type"] == "application/json"
    handles = [n["data"][0]["id"] for n in notes]
    assert handles[0] != handles[1]  # every delivery, a notification too, has its own handle
    # Notified twice, yet still queued and visible: the receiver confirms as a poller would.
    [polled] = poll(brandco, "hooked")
    assert change(polled) == change(notes[0]["data"][0]) and polled["id"] not in handles
    assert polled["attributes"] == notes[0]["data"][0]["attributes"]
    # A notification's handle confirms the event as well as the poll's would.
    assert confirm(brandco, "hooked", [handles[1]])["confirmed"] == [handles[1]]
    assert confirm(brandco, "hooked", [polled["id"]])["notFound"] == [polled["id"]]
    assert brandco.delete(subscription_path(brandco, "hooked")).status_code == 204


def test_a_tampered_body_fails_the_signature(brandco: Org, receiver: tuple[Receiver, str]) -> None:
    state, url = receiver
    state.failures = 0
    secret = hook_subscription(brandco, url, "tamper")
    brandco.post(ITEMS, json=item("HOOK-2"))
    [(headers, body)] = state.wait_for(1)
    verified(secret, headers, body)
    with pytest.raises(AssertionError):
        verified(secret, headers, body.replace(b"HOOK", b"HACK") + b" ")
    with pytest.raises(AssertionError):
        verified("whsec_not-the-secret", headers, body)
    drain(brandco, "tamper")
    assert brandco.delete(subscription_path(brandco, "tamper")).status_code == 204


def test_a_failing_receiver_gets_a_bounded_number_of_attempts(
    brandco: Org, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    state.failures = 1000  # always 500
    secret = hook_subscription(brandco, url, "failing")
    brandco.post(ITEMS, json=item("HOOK-4"))
    notes = [verified(secret, h, b) for h, b in state.wait_for(ATTEMPTS)]
    time.sleep(FAST.backoff_seconds * 2**ATTEMPTS + 0.3)  # longer than another retry would take
    assert len(state.received) == ATTEMPTS
    assert [n["meta"]["attempt"] for n in notes] == list(range(1, ATTEMPTS + 1))
    assert len({n["meta"]["deliveryId"] for n in notes}) == 1
    assert len(drain(brandco, "failing")) == 1  # still queued: polling is the safety net
    assert brandco.delete(subscription_path(brandco, "failing")).status_code == 204


def test_a_dead_receiver_does_not_stop_polling(brandco: Org) -> None:
    # Port 9 on loopback: nothing listens, every attempt is a connection error.
    hook_subscription(brandco, "http://127.0.0.1:9/hook", "dead")
    created = brandco.post(ITEMS, json=item("HOOK-3")).json()["data"]
    [event] = poll(brandco, "dead")
    assert event["attributes"]["id"] == created["id"]
    assert confirm(brandco, "dead", [event["id"]])["confirmed"] == [event["id"]]
    assert brandco.delete(subscription_path(brandco, "dead")).status_code == 204


def test_deliveries_of_a_closed_sandbox_stop_quietly(
    products: list[Product], caplog: pytest.LogCaptureFixture
) -> None:
    """Found by the stateful schemathesis run, which resets the sandbox per scenario: a delivery
    still retrying when its sandbox was closed logged "Cannot operate on a closed database"
    tracebacks until its attempts ran out. The events went with the sandbox: it stops."""
    caplog.set_level(logging.INFO, logger="thg_sandbox.events")
    with sandbox_server(SPECS, products=products, clock=ManualClock()) as server:
        with Org(server.running, "brandco") as brandco:
            hook_subscription(brandco, "http://127.0.0.1:9/hook", "closing")
            assert brandco.post(ITEMS, json=item("HOOK-CLOSED")).status_code in (200, 201)
            deadline = time.monotonic() + DEADLINE
            while "attempt 1" not in caplog.text:  # under way: its first attempt failed
                assert time.monotonic() < deadline, caplog.text
                time.sleep(0.02)
        server.reset()
        server.reset()  # closes the first sandbox, the one delivering
        time.sleep(WebhookSettings().backoff_seconds * 4)  # attempts 2 and 3 were due by now
    assert "attempt 3" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
