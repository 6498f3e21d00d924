"""The events consumer under the loads of issue 15, against the sandbox over real HTTP.

Sized for CI by ``THG_EVENTS_SCALE`` (default 0.1): the sandbox's visibility window is 30 s x
scale, and every duration and interval shrinks with it, so the ratios of the issue hold (one
write per 0.7/30 of a window: a stream that never ends in an empty poll). Run by hand at full
size with ``THG_EVENTS_SCALE=1 THG_EVENTS_BACKLOG=500 THG_EVENTS_SOAK=2000``.

* steady trickle: one write every 0.7 s (scaled) for 60 s (scaled), the consumer at its
  defaults (told the window): 0 duplicate handler calls, 0 refused confirms, all confirmed.
* slow handler: a quarter of the window per event, a backlog: every event handled, once.
* kill soak: two consumer processes SIGKILLed every 2-5 s (scaled, at least 1 s) and restarted
  while events arrive: none lost, re-runs at most kills x batch size.
"""

from __future__ import annotations

import collections
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Dict, List

import pytest

from thg_connect import Client
from thg_connect.events import Subscription
from thg_connect_core import ConsumerSettings, Event, EventConsumer
from thg_sandbox.server import RunningSandbox, running_sandbox

from .conftest import SPECS
from .items import inventory_item

REPO = Path(__file__).resolve().parents[2]
SCALE = float(os.environ.get("THG_EVENTS_SCALE", "0.1"))
WINDOW = 30.0 * SCALE
BACKLOG = int(os.environ.get("THG_EVENTS_BACKLOG", "40"))
SOAK_EVENTS = int(os.environ.get("THG_EVENTS_SOAK", "300"))
SOAK_BATCH = 20
DEFAULTS = ConsumerSettings(
    visibility_window=WINDOW, safety_margin=WINDOW / 10, wait_time_seconds=max(1, int(20 * SCALE))
)  # the defaults, told the sandbox's window (and its long poll scaled with it)


@pytest.fixture(scope="module")
def sandbox(products: Any) -> Iterator[RunningSandbox]:
    with running_sandbox(SPECS, products=products, event_visibility=WINDOW) as running:
        yield running


def subscribe(client: Client) -> str:
    name = f"load-{uuid.uuid4().hex[:10]}"
    client.events.subscriptions.create(name, Subscription(entity_types=["thg-fulfil:inventory"]))
    return name


def create_items(client: Client, count: int, interval: float = 0.0) -> List[str]:
    tag = uuid.uuid4().hex[:6]
    made = []
    for n in range(count):
        made.append(client.thg_fulfil.inventory.create(inventory_item(f"L-{tag}-{n}")).id)
        if interval:
            time.sleep(interval)
    return made


class Calls:
    """Handler calls per entity id (one event per created item)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.counts: Dict[str, int] = collections.Counter()
        self.lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.counts[event.entity_id] += 1

    def seen(self, ids: List[str]) -> bool:
        with self.lock:
            return all(self.counts[i] for i in ids)


def consume_until(consumer: EventConsumer, done: Callable[[], bool], timeout: float) -> None:
    thread = threading.Thread(target=consumer.run, kwargs={"handle_signals": False})
    thread.start()
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)
    consumer.stop()
    thread.join(30)
    assert not thread.is_alive()


def assert_nothing_left(client: Client, subscription: str) -> None:
    time.sleep(WINDOW + 0.5)  # anything claimed and not confirmed is visible again by now
    assert client.events.subscriptions(subscription).poll(wait_time_seconds=0) == []


def test_a_steady_trickle_is_handled_once_and_confirmed_without_a_refusal(
    client: Callable[[str], Client], caplog: pytest.LogCaptureFixture
) -> None:
    brand = client("brandco")
    sub = subscribe(brand)
    calls = Calls()
    consumer = brand.consumer(sub, calls, settings=DEFAULTS)
    created: List[str] = []
    writer = threading.Thread(
        target=lambda: created.extend(
            create_items(brand, int(60 * SCALE / (0.7 * SCALE)), interval=0.7 * SCALE)
        )
    )
    with caplog.at_level(logging.WARNING, logger="thg_connect"):
        writer.start()
        consume_until(
            consumer, lambda: not writer.is_alive() and calls.seen(created), 60 * SCALE + 60
        )
        writer.join()
    state = consumer.state
    assert sorted(calls.counts) == sorted(created) and len(created) >= 80
    assert max(calls.counts.values()) == 1, "duplicate handler calls"
    assert (state.confirms.refused, state.confirms.failed_requests, state.redelivered) == (0, 0, 0)
    assert not [r for r in caplog.records if "confirm" in r.getMessage()]
    assert_nothing_left(brand, sub)


def test_a_slow_handler_works_through_a_backlog_once(client: Callable[[str], Client]) -> None:
    brand = client("brandco")
    sub = subscribe(brand)
    created = create_items(brand, BACKLOG)
    calls = Calls(delay=WINDOW / 4)
    consumer = brand.consumer(sub, calls, settings=DEFAULTS)
    expected = BACKLOG * (WINDOW / 4) / DEFAULTS.concurrency
    consume_until(consumer, lambda: calls.seen(created), expected * 3 + 30)
    assert sorted(calls.counts) == sorted(created)
    assert max(calls.counts.values()) == 1, "duplicate handler calls"
    assert consumer.state.confirms.refused == 0
    assert_nothing_left(brand, sub)


def _start_consumer(sandbox: RunningSandbox, sub: str, out: Path) -> "subprocess.Popen[str]":
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.e2e.consumer_process",
            sandbox.base_url,
            "brandco",
            sub,
            str(out),
            str(WINDOW),
            str(SOAK_BATCH),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_consumers_killed_and_restarted_lose_nothing(
    sandbox: RunningSandbox, client: Callable[[str], Client], tmp_path: Path
) -> None:
    brand = client("brandco")
    sub = subscribe(brand)
    soak = max(8.0, 60 * SCALE)
    outputs = [tmp_path / f"consumer-{n}.txt" for n in range(2)]
    processes = [_start_consumer(sandbox, sub, out) for out in outputs]
    created: List[str] = []
    writer = threading.Thread(
        target=lambda: created.extend(create_items(brand, SOAK_EVENTS, soak / SOAK_EVENTS / 2))
    )
    writer.start()
    kills = 0
    rng = random.Random(15)
    ends = time.monotonic() + soak
    try:
        while time.monotonic() < ends:
            time.sleep(max(1.0, rng.uniform(2, 5) * SCALE * 2))
            victim = rng.randrange(2)
            processes[victim].send_signal(signal.SIGKILL)
            processes[victim].wait(10)
            kills += 1
            processes[victim] = _start_consumer(sandbox, sub, outputs[victim])
        writer.join(120)
        deadline = time.monotonic() + WINDOW * 3 + 60
        while time.monotonic() < deadline:
            seen = {key for out in outputs if out.exists() for key in out.read_text().split()}
            if seen >= set(created):
                break
            time.sleep(0.2)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(60)
    handled = [key for out in outputs if out.exists() for key in out.read_text().split()]
    lost = set(created) - set(handled)
    reruns = len(handled) - len(set(handled))
    print(f"kill soak: {len(created)} events, {kills} kills, {reruns} re-runs, {len(lost)} lost")
    assert len(created) == SOAK_EVENTS and kills >= 2
    assert not lost, f"{len(lost)} events never handled"
    assert reruns <= kills * SOAK_BATCH, (reruns, kills)
