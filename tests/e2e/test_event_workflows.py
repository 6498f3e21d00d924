"""Event-driven workflows of issue 6: consumers and webhooks against the sandbox."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from thg_connect import AsyncClient, Client
from thg_connect.events import Subscription
from thg_connect.thg_fulfil import (
    ApprovalApproved,
    ApprovalRejected,
    InventoryItem,
)
from thg_connect_core import ConsumerSettings, Event
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product as SpecProduct

from .conftest import SPECS, config_for
from .items import inventory_item

REPO = Path(__file__).resolve().parents[2]
WINDOW = 5.0  # this module's sandbox hides polled events for 5 s, so "confirmed" can be checked
QUICK = ConsumerSettings(
    wait_time_seconds=1, max_events=10, visibility_window=WINDOW, safety_margin=1.0
)


@pytest.fixture(scope="module")
def sandbox(products: list[SpecProduct]) -> Iterator[RunningSandbox]:
    with running_sandbox(SPECS, products=products, event_visibility=WINDOW) as running:
        yield running


def assert_all_confirmed(*subscriptions: tuple[Client, str]) -> None:
    """Claimed but unconfirmed events would be visible again once the window has passed."""
    time.sleep(WINDOW + 0.5)
    for client, subscription in subscriptions:
        assert client.events.subscriptions(subscription).poll(wait_time_seconds=0) == []


def subscribe(client: Client, **attributes: Any) -> str:
    name = f"sub-{uuid.uuid4().hex[:10]}"
    client.events.subscriptions.create(name, Subscription(**attributes))
    return name


def run_until(consumer: Any, done: threading.Event, timeout: float = 30.0) -> None:
    thread = threading.Thread(target=consumer.run, kwargs={"handle_signals": False})
    thread.start()
    finished = done.wait(timeout)
    consumer.stop()
    thread.join(timeout)
    assert finished, "the consumer did not see what it waited for"
    assert not thread.is_alive()


@pytest.mark.parametrize("verdict", ["approve", "reject"])
def test_provider_reacts_to_an_item_and_the_consumer_reads_the_verdict(
    client: Callable[[str], Client], verdict: str
) -> None:
    """Workflow 1."""
    brand, thg = client("brandco"), client("thg")
    brand_sub = subscribe(brand, entity_types=["thg-fulfil:inventory.approval"])
    thg_sub = subscribe(thg, entity_types=["thg-fulfil:inventory"])
    item = brand.thg_fulfil.inventory.create(
        inventory_item(f"W1-{uuid.uuid4().hex[:8]}", title="Amber Dusk")
    )
    reviewed = threading.Event()

    def review(event: Event) -> None:
        if event.action != "CREATED" or event.entity_id != item.id:
            return
        # The changed entity came with the event, as its generated model.
        assert isinstance(event.data, InventoryItem) and event.data.title == "Amber Dusk"
        assert (
            event.entity_as(InventoryItem).consumer_reference == item.attributes.consumer_reference
        )
        seen = thg.get(event.reference)  # the typed entity behind the event, read again
        assert isinstance(seen.attributes, InventoryItem) and seen.attributes.title == "Amber Dusk"
        approval = thg.for_owner(event.owner).thg_fulfil.inventory(event.entity_id).approval
        approval.create(
            ApprovalApproved(provider_reference="PROV-W1")
            if verdict == "approve"
            else ApprovalRejected(reason="OTHER", message="No SDS")
        )
        reviewed.set()

    run_until(thg.consumer(thg_sub, review, settings=QUICK), reviewed)
    verdicts: list[Any] = []
    received = threading.Event()

    def read_verdict(event: Event) -> None:
        if event.parent.get("thg-fulfil:inventory") == item.id:
            verdicts.append((event.state, brand.get(event.reference).attributes))
            assert type(event.data) is type(verdicts[-1][1])  # the status's state model
            received.set()

    run_until(brand.consumer(brand_sub, read_verdict, settings=QUICK), received)
    state, attributes = verdicts[0]
    if verdict == "approve":
        assert state == "APPROVED" and isinstance(attributes, ApprovalApproved)
    else:
        assert state == "REJECTED" and isinstance(attributes, ApprovalRejected)
        assert (attributes.reason, attributes.message) == ("OTHER", "No SDS")
    assert_all_confirmed((brand, brand_sub), (thg, thg_sub))


def test_two_consumer_processes_split_a_thousand_events(
    sandbox: RunningSandbox, client: Callable[[str], Client], tmp_path: Path
) -> None:
    """Workflow 6: none lost, none handled twice (no faults injected)."""
    brand = client("brandco")
    sub = subscribe(brand, entity_types=["thg-fulfil:inventory"])
    tag = uuid.uuid4().hex[:6]
    outputs = [tmp_path / f"consumer-{n}.txt" for n in (1, 2)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.e2e.consumer_process",
                sandbox.base_url,
                "brandco",
                sub,
                str(out),
                str(WINDOW),
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outputs
    ]
    try:
        for process in processes:  # both poll before the first event exists, so both get work
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        with ThreadPoolExecutor(8) as pool:
            created = list(
                pool.map(
                    lambda i: brand.thg_fulfil.inventory.create(inventory_item(f"W6-{tag}-{i}")).id,
                    range(1000),
                )
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            seen = [key for out in outputs if out.exists() for key in out.read_text().split()]
            if len(set(seen)) >= 1000:
                break
            time.sleep(0.5)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)  # graceful: finish, confirm, exit
        results = [process.communicate(timeout=60) for process in processes]
    assert [p.returncode for p in processes] == [0, 0], results
    handled = [out.read_text().split() for out in outputs]
    both = handled[0] + handled[1]
    assert sorted(both) == sorted(created), "every event handled exactly once"
    assert all(len(h) > 0 for h in handled), [len(h) for h in handled]  # the work was split
    assert_all_confirmed((brand, sub))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def webhook_receiver(
    sandbox: RunningSandbox,
) -> Iterator[tuple[str, list[Event], threading.Event, Callable[[str], None]]]:
    """A WebhookApp under uvicorn on 127.0.0.1; the secret is set once the subscription exists."""
    received: list[Event] = []
    arrived = threading.Event()
    secret: dict[str, str] = {}
    async_client = AsyncClient(config_for(sandbox, "brandco"))

    async def handler(event: Event) -> None:
        received.append(event)

    loops: list[asyncio.AbstractEventLoop] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        loops[:] = [asyncio.get_running_loop()]
        await async_client.webhook_app(secret["value"], handler)(scope, receive, send)
        if received:
            arrived.set()  # handled, confirmed and answered

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/hook", received, arrived, lambda s: secret.update(value=s)
    finally:
        if loops:  # the client's connections live on the server's loop: close them there
            asyncio.run_coroutine_threadsafe(async_client.close(), loops[0]).result(10)
        server.should_exit = True
        thread.join(10)


def test_a_webhook_notification_is_verified_handled_and_confirmed(
    client: Callable[[str], Client],
    webhook_receiver: tuple[str, list[Event], threading.Event, Callable[[str], None]],
) -> None:
    url, received, arrived, set_secret = webhook_receiver
    brand = client("brandco")
    name = f"hook-{uuid.uuid4().hex[:8]}"
    created = brand.events.subscriptions.create(
        name, Subscription(webhook_url=url, entity_types=["thg-fulfil:inventory"])
    )
    assert created.attributes.webhook_secret
    set_secret(created.attributes.webhook_secret)
    item = brand.thg_fulfil.inventory.create(inventory_item(f"WH-{uuid.uuid4().hex[:8]}"))
    assert arrived.wait(20), "no notification was handled"
    assert [e.entity_id for e in received] == [item.id]
    assert brand.events.subscriptions(name).poll(wait_time_seconds=0) == []


def test_a_failing_event_is_redelivered_then_parked_and_stops_looping(
    client: Callable[[str], Client],
) -> None:
    brand = client("brandco")
    sub = subscribe(brand, entity_types=["thg-fulfil:inventory"])
    item = brand.thg_fulfil.inventory.create(inventory_item(f"P-{uuid.uuid4().hex[:8]}"))
    attempts: list[str] = []  # the receipt handle of each delivery the handler saw
    parked = threading.Event()

    def always_fails(event: Event) -> None:
        attempts.append(event.id)
        raise RuntimeError("downstream is down")

    settings = dataclasses.replace(QUICK, max_deliveries=2)
    consumer = brand.consumer(
        sub, always_fails, settings=settings, on_parked=lambda p: parked.set()
    )
    run_until(consumer, parked, timeout=30)
    # Two deliveries, two handles: the platform counts nothing, the consumer counts by key.
    assert len(attempts) == len(set(attempts)) == 2
    assert [p.event.entity_id for p in consumer.state.parked] == [item.id]
    assert_all_confirmed((brand, sub))


async def test_the_async_consumer_stops_gracefully(
    async_client: Callable[[str], AsyncClient], client: Callable[[str], Client]
) -> None:
    brand = client("brandco")
    sub = subscribe(brand, entity_types=["thg-fulfil:inventory"])
    for _ in range(3):
        brand.thg_fulfil.inventory.create(inventory_item(f"A-{uuid.uuid4().hex[:8]}"))
    handled: list[str] = []
    async with async_client("brandco") as aclient:
        settings = dataclasses.replace(QUICK, concurrency=1, max_in_flight=3)

        async def slow(event: Event) -> None:
            if not handled:
                consumer.stop()  # stop while this handler runs: it finishes and is confirmed
            await asyncio.sleep(0.2)
            handled.append(event.entity_id)

        consumer = aclient.consumer(sub, slow, settings=settings)
        state = await asyncio.wait_for(consumer.run(handle_signals=False), 30)
    assert len(handled) == 1 and state.handled == 1
    time.sleep(WINDOW + 0.5)  # the two not started come back; the handled one does not
    again = brand.events.subscriptions(sub).poll(wait_time_seconds=0)
    assert len(again) == 2 and handled[0] not in {e.entity_id for e in again}


def test_a_subscription_per_consumer_gives_each_every_event(
    client: Callable[[str], Client],
) -> None:
    brand = client("brandco")
    subs = [subscribe(brand, entity_types=["thg-fulfil:inventory"]) for _ in range(2)]
    created = {
        brand.thg_fulfil.inventory.create(inventory_item(f"E-{uuid.uuid4().hex[:8]}")).id
        for _ in range(20)
    }
    seen: list[set[str]] = [set(), set()]
    done = [threading.Event(), threading.Event()]

    def handler(n: int) -> Callable[[Event], None]:
        def handle(event: Event) -> None:
            seen[n].add(event.entity_id)
            if seen[n] >= created:
                done[n].set()

        return handle

    consumers = [brand.consumer(sub, handler(n), settings=QUICK) for n, sub in enumerate(subs)]
    threads = [threading.Thread(target=c.run, kwargs={"handle_signals": False}) for c in consumers]
    for thread in threads:
        thread.start()
    finished = [d.wait(30) for d in done]
    for consumer in consumers:
        consumer.stop()
    for thread in threads:
        thread.join(30)
    assert finished == [True, True] and seen[0] == seen[1] == created
