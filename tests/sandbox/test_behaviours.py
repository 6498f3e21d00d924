"""The sandbox organisation approves `test_sku` (CONVENTIONS §14) through the ordinary write
path."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from starlette.routing import BaseRoute

from thg_sandbox.app import Sandbox
from thg_sandbox.behaviours import BUILTIN
from thg_sandbox.clock import ManualClock
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_sandbox.store import Resource
from thg_spec import Entity, Product

from .conftest import FULFIL, SPECS, Org, doc, item

ITEMS = f"{FULFIL}/brandco/inventory"
Seen = list[tuple[str, str, str, str]]


@pytest.fixture(scope="module")
def seen() -> Seen:
    return []


@pytest.fixture(scope="module")
def sandbox(clock: ManualClock, products: list[Product], seen: Seen) -> Iterator[RunningSandbox]:
    def record(sandbox: Sandbox) -> Sequence[BaseRoute]:
        def hook(entity: Entity, action: str, resource: Resource, actor: str) -> None:
            seen.append((entity.type_string, action, resource.id, actor))

        sandbox.service.hooks.append(hook)
        return ()

    with running_sandbox(SPECS, clock=clock, products=products, extensions=(*BUILTIN, record)) as s:
        yield s


def test_test_sku_is_approved_straight_away(brandco: Org, seen: Seen) -> None:
    created = brandco.post(ITEMS, json=item("test_sku")).json()["data"]
    approval = brandco.get(f"{ITEMS}/{created['id']}/approval")
    assert approval.status_code == 200
    data = approval.json()["data"]
    assert data["attributes"]["state"] == "APPROVED"
    assert data["meta"]["creator"] == "sandbox"
    assert ("thg-fulfil:inventory", "CREATED", created["id"], "brandco") in seen
    assert ("thg-fulfil:inventory.approval", "CREATED", data["id"], "sandbox") in seen


def test_replacing_re_approves(brandco: Org, thg: Org, seen: Seen) -> None:
    for old in brandco.get(ITEMS, params={"filter": "sku = 'test_sku'"}).json()["data"]:
        assert brandco.delete(f"{ITEMS}/{old['id']}").status_code == 204  # sku is unique
    created = brandco.post(f"{FULFIL}/brandco/inventory", json=item("OTHER")).json()["data"]
    path = f"{ITEMS}/{created['id']}"
    assert brandco.get(f"{path}/approval").status_code == 404
    rejected = doc("thg-fulfil:inventory.approval", {"state": "NOT_APPROVED", "reason": "x"})
    assert thg.post(f"{path}/approval", json=rejected).status_code == 201
    assert brandco.put(path, json=item("test_sku")).status_code == 200
    approval = brandco.get(f"{path}/approval").json()["data"]
    assert approval["attributes"]["state"] == "APPROVED"
    assert approval["version"] == "2"
    assert ("thg-fulfil:inventory.approval", "UPDATED", approval["id"], "sandbox") in seen


def test_deletes_announce_every_child(brandco: Org, seen: Seen) -> None:
    created = brandco.post(ITEMS, json=item("test_sku", name="second")).json()
    assert created["errors"][0]["source"]["pointer"] == "/data/attributes/sku"  # sku is unique
    listing = brandco.get(ITEMS, params={"filter": "sku = 'test_sku'"}).json()["data"]
    item_id = listing[0]["id"]
    approval_id = brandco.get(f"{ITEMS}/{item_id}/approval").json()["data"]["id"]
    del seen[:]
    assert brandco.delete(f"{ITEMS}/{item_id}").status_code == 204
    deleted = [(t, i) for t, action, i, _ in seen if action == "DELETED"]
    assert deleted == [
        ("thg-fulfil:inventory.approval", approval_id),
        ("thg-fulfil:inventory", item_id),
    ]
