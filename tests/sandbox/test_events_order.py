"""Events follow the order writes committed in, even when their after-commit hooks run the other
way round: each write's events are queued in its own transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.routing import BaseRoute

from thg_sandbox.app import Sandbox
from thg_sandbox.behaviours import BUILTIN
from thg_sandbox.clock import ManualClock
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_sandbox.store import Resource
from thg_spec import Entity, Product

from .conftest import FULFIL, SPECS, Org, doc, item
from .events_helpers import poll, subscribe

ITEMS = f"{FULFIL}/brandco/inventory"
HELD = "hold this write's hooks"
APPROVAL = "thg-fulfil:inventory.approval"


@dataclass
class Gate:
    entered: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate()


@pytest.fixture(scope="module")
def sandbox(clock: ManualClock, products: list[Product], gate: Gate) -> Iterator[RunningSandbox]:
    def install_gate(sandbox: Sandbox) -> Sequence[BaseRoute]:
        # Installed first, so it runs before the events hook: it holds one committed write's
        # announcement back while a later write goes all the way through.
        def hold(entity: Entity, action: str, resource: Resource, actor: str) -> None:
            if resource.attributes.get("message") == HELD:
                gate.entered.set()
                gate.release.wait(10)

        sandbox.service.hooks.append(hold)
        return ()

    extensions = (install_gate, *BUILTIN)
    with running_sandbox(SPECS, clock=clock, products=products, extensions=extensions) as s:
        yield s


def approval_path(brandco: Org, thg: Org, sku: str) -> str:
    """A new item's approval, set to VALID by the provider: items are immutable, so the
    approval is what changes version after version."""
    created = brandco.post(ITEMS, json=item(sku)).json()["data"]
    path = f"{ITEMS}/{created['id']}/approval"
    assert thg.post(path, json=valid()).status_code == 201
    return path


def valid(message: str | None = None) -> dict[str, Any]:
    attributes = {"state": "VALID"} if message is None else {"state": "VALID", "message": message}
    return doc(APPROVAL, attributes)


def test_events_commit_with_their_write_so_a_held_announcement_holds_nothing_back(
    brandco: Org, thg: Org, gate: Gate
) -> None:
    sub_id = subscribe(brandco, entityTypes=[APPROVAL])
    path = approval_path(brandco, thg, "ORDERED-1")
    assert [e["attributes"]["version"] for e in poll(brandco, sub_id)] == ["1"]
    confirmed: dict[str, Any] = {}

    def slow_write() -> None:
        with Org(thg.running, "thg") as org:
            confirmed["held"] = org.put(path, json=valid(HELD)).status_code

    writer = threading.Thread(target=slow_write)
    writer.start()
    try:
        assert gate.entered.wait(10)  # version 2 is committed; its after-commit hooks are held
        later = thg.put(path, json=valid("later"))
        assert later.json()["data"]["version"] == "3"
        # Version 2's event committed with version 2 (issue 15), so both are there, in order.
        events = poll(brandco, sub_id)
    finally:
        gate.release.set()
        writer.join(10)
    assert confirmed["held"] == 200
    assert [e["attributes"]["version"] for e in events] == ["2", "3"]


def test_concurrent_replaces_arrive_in_version_order(brandco: Org, thg: Org) -> None:
    sub_id = subscribe(brandco, entityTypes=[APPROVAL])
    path = approval_path(brandco, thg, "RACE-1")
    writers, rounds = 4, 8
    statuses: list[int] = []

    def replace_repeatedly(n: int) -> None:
        with Org(thg.running, "thg") as org:
            for r in range(rounds):
                statuses.append(org.put(path, json=valid(f"w{n}r{r}")).status_code)

    threads = [threading.Thread(target=replace_repeatedly, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [200] * writers * rounds
    versions = [int(e["attributes"]["version"]) for e in poll(brandco, sub_id)]
    assert versions == list(range(1, writers * rounds + 2))
