"""A write and its events commit together (issue 15): a failure after the events were queued
rolls both back, and a sandbox SIGKILLed mid-write never leaves a stored write without its
event."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.routing import BaseRoute

from thg_sandbox.app import Sandbox
from thg_sandbox.behaviours import BUILTIN
from thg_sandbox.clock import ManualClock
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_sandbox.store import Resource

from .conftest import FULFIL, ROOT, SPECS, Org, item
from .events_helpers import poll, subscribe

ITEMS = f"{FULFIL}/brandco/inventory"
EXPLODE = "fail after the events are queued"
SOAK_KILLS = int(os.environ.get("THG_EVENTS_CRASH_KILLS", "3"))


@pytest.fixture(scope="module")
def queued_in_transaction() -> list[int]:
    return []


@pytest.fixture(scope="module")
def sandbox(
    clock: ManualClock, products: Sequence[Any], queued_in_transaction: list[int]
) -> Iterator[RunningSandbox]:
    def install_after_events(sandbox: Sandbox) -> Sequence[BaseRoute]:
        # Runs after the events' transaction hook, inside the same write transaction.
        def after(
            conn: sqlite3.Connection, entity: Any, action: str, resource: Resource, actor: str
        ) -> None:
            if entity.type_string != "thg-fulfil:inventory":
                return
            count = conn.execute(
                "SELECT COUNT(*) FROM event_queue WHERE event LIKE ?", (f'%"{resource.id}"%',)
            ).fetchone()[0]
            queued_in_transaction.append(int(count))
            if resource.attributes.get("title") == EXPLODE:
                raise RuntimeError("a crash between the write and its commit")

        sandbox.service.transaction_hooks.append(after)
        return ()

    extensions = (*BUILTIN, install_after_events)
    with running_sandbox(SPECS, clock=clock, products=products, extensions=extensions) as s:
        yield s


def test_the_event_is_queued_inside_the_write_transaction(
    brandco: Org, queued_in_transaction: list[int]
) -> None:
    sub_id = subscribe(brandco, entityTypes=["thg-fulfil:inventory"])
    queued_in_transaction.clear()
    created = brandco.post(ITEMS, json=item(f"TX-{uuid.uuid4().hex[:6]}"))
    assert created.status_code == 200
    assert queued_in_transaction == [1]  # seen by a later hook before the commit
    assert [e["attributes"]["id"] for e in poll(brandco, sub_id)] == [created.json()["data"]["id"]]


def test_a_failure_after_queueing_rolls_back_the_write_and_its_event(brandco: Org) -> None:
    sub_id = subscribe(brandco, entityTypes=["thg-fulfil:inventory"])
    sku = f"TX-{uuid.uuid4().hex[:6]}"
    failed = brandco.post(ITEMS, json=item(sku, title=EXPLODE))
    assert failed.status_code == 500
    listed = brandco.get(ITEMS, params={"page[size]": "100"})
    assert listed.status_code == 200
    assert sku not in {r["attributes"]["consumerReference"] for r in listed.json()["data"]}
    assert poll(brandco, sub_id) == []


# -- SIGKILL mid-write ------------------------------------------------------------------------


def _start(db: Path) -> tuple[subprocess.Popen[str], str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.sandbox.serve_on_disk", str(db)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    base = f"http://127.0.0.1:{int(child.stdout.readline())}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/oauth/token", timeout=1.0)
            return child, base
        except httpx.TransportError:
            assert time.monotonic() < deadline and child.poll() is None, "sandbox did not start"
            time.sleep(0.05)


def _client(base: str) -> httpx.Client:
    token = httpx.post(
        base + "/oauth/token",
        json={
            "client_id": "brandco",
            "client_secret": "brandco-sandbox-secret",
            "grant_type": "client_credentials",
            "audience": base,
        },
    ).json()["access_token"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=5)


def _hammer(base: str, stop: threading.Event, tag: str) -> None:
    try:
        # The token request is inside too: on a loaded machine a writer may start only after
        # the kill, and a refused connection is then all it can see.
        with _client(base) as client:
            n = 0
            while not stop.is_set():
                n += 1
                client.post(ITEMS, json=item(f"{tag}-{n}"))
    except httpx.HTTPError:
        return  # the server was killed: whether each write committed is what the test checks


def test_a_killed_sandbox_never_commits_a_write_without_its_event(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    sub_id = f"crash-{uuid.uuid4().hex[:6]}"
    for kill in range(SOAK_KILLS):
        child, base = _start(db)
        try:
            if kill == 0:
                with _client(base) as client:
                    body = {
                        "data": {
                            "type": "events:subscription",
                            "id": sub_id,
                            "attributes": {"entityTypes": ["thg-fulfil:inventory"]},
                        }
                    }
                    assert (
                        client.post("/api/events/v1/brandco/subscription", json=body).status_code
                        == 201
                    )
            stop = threading.Event()
            writers = [
                threading.Thread(target=_hammer, args=(base, stop, f"K{kill}w{w}"))
                for w in range(4)
            ]
            for writer in writers:
                writer.start()
            time.sleep(0.5 + 0.3 * kill)
            os.kill(
                child.pid, signal.SIGKILL
            )  # mid-write, by construction: 4 writers at full speed
            child.wait(10)
        finally:
            assert child.stdout is not None
            child.stdout.close()
            stop.set()
            if child.poll() is None:
                os.kill(child.pid, signal.SIGKILL)
                child.wait(10)
        for writer in writers:
            writer.join(10)
    with sqlite3.connect(db) as conn:
        stored = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM resources "
                "WHERE entity = 'thg-fulfil:inventory' AND owner = 'brandco'"
            )
        }
        announced = {
            json.loads(r[0])["entity"]["id"]
            for r in conn.execute("SELECT event FROM event_queue WHERE subscription = ?", (sub_id,))
        }
    assert len(stored) > 20, "the writers barely ran: the test proves nothing"
    assert stored - announced == set(), f"{len(stored - announced)} write(s) without their event"
