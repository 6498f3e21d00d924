"""The `sandbox` provider answers new inventory items by their SKU (S18 and `test_sku`,
CONVENTIONS §14), through the ordinary write path, and only where it is a provider."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.routing import BaseRoute

from thg_sandbox.app import Sandbox
from thg_sandbox.behaviours import BUILTIN
from thg_sandbox.behaviours.auto_approve import PLACEHOLDER_WAREHOUSE, answer_for
from thg_sandbox.clock import ManualClock
from thg_sandbox.config import ApiClient, Partnership, default_config
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_sandbox.store import Resource
from thg_spec import Entity, Product

from .conftest import FULFIL, SPECS, Org, doc, item

ITEMS = f"{FULFIL}/brandco/inventory"
STOCK = f"{FULFIL}/brandco/stock-level"
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

    base = default_config()
    # plainco works with thg only: the sandbox provider must never answer its items.
    config = replace(
        base,
        organisations=(*base.organisations, "plainco"),
        clients=(*base.clients, ApiClient("plainco", "plainco-secret", "plainco")),
        partnerships=(*base.partnerships, Partnership("thg-fulfil", "plainco", ("thg",))),
    )
    extensions = (*BUILTIN, record)
    with running_sandbox(SPECS, config, clock=clock, products=products, extensions=extensions) as s:
        yield s


@pytest.fixture(scope="module")
def plainco(sandbox: RunningSandbox) -> Iterator[Org]:
    org = Org(sandbox, "plainco")
    yield org
    org.close()


def create(org: Org, sku: str, owner: str = "brandco") -> dict[str, Any]:
    response = org.post(f"{FULFIL}/{owner}/inventory", json=item(sku))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["data"]
    return found


def approval_of(org: Org, item_id: str, owner: str = "brandco") -> dict[str, Any] | None:
    response = org.get(f"{FULFIL}/{owner}/inventory/{item_id}/approval")
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["data"]
    return found


def stock_of(org: Org, item: dict[str, Any], owner: str = "brandco") -> list[dict[str, Any]]:
    reference = item["meta"]["reference"]
    response = org.get(
        f"{FULFIL}/{owner}/stock-level", params={"filter": f"inventoryItem = '{reference}'"}
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


def test_test_sku_is_approved_straight_away(brandco: Org, seen: Seen) -> None:
    created = create(brandco, "test_sku")
    data = approval_of(brandco, created["id"])
    assert data is not None
    assert data["attributes"] == {"state": "APPROVED", "providerReference": "test_sku"}
    assert data["meta"]["creator"] == "sandbox"
    assert ("thg-fulfil:inventory", "CREATED", created["id"], "brandco") in seen
    assert ("thg-fulfil:inventory.approval", "CREATED", data["id"], "sandbox") in seen


def test_a_sku_ending_010_is_approved_with_the_sku_as_provider_reference(brandco: Org) -> None:
    created = create(brandco, "BEH-SKU-010")
    data = approval_of(brandco, created["id"])
    assert data is not None
    assert data["attributes"] == {"state": "APPROVED", "providerReference": "BEH-SKU-010"}
    assert stock_of(brandco, created) == []


def test_a_sku_ending_200_is_rejected_with_reason_other(brandco: Org) -> None:
    created = create(brandco, "BEH-SKU-200")
    data = approval_of(brandco, created["id"])
    assert data is not None
    attributes = data["attributes"]
    assert (attributes["state"], attributes["reason"]) == ("REJECTED", "OTHER")
    assert "sandbox" in attributes["message"]


def test_a_sku_ending_011_is_approved_and_stocked_at_a_placeholder(brandco: Org) -> None:
    created = create(brandco, "BEH-SKU-011")
    data = approval_of(brandco, created["id"])
    assert data is not None and data["attributes"]["state"] == "APPROVED"
    levels = stock_of(brandco, created)
    assert len(levels) == 1
    level = levels[0]
    assert level["meta"]["creator"] == "sandbox"
    assert level["attributes"]["warehouseReference"] == PLACEHOLDER_WAREHOUSE
    assert level["attributes"]["consumerReference"] == "BEH-SKU-011"
    assert level["attributes"]["condition"] == "GOOD" and level["attributes"]["quantity"] > 0


def test_a_sku_ending_011_is_stocked_at_the_last_updated_warehouse(
    brandco: Org, thg: Org, clock: ManualClock
) -> None:
    """S18: "the last updated warehouse in the platform": the newest stock record's warehouse."""
    first = create(brandco, "BEH-WH-1")
    for warehouse in ("MAN-01", "LEE-07"):
        clock.advance(60)
        level = {
            "inventoryItem": first["meta"]["reference"],
            "warehouseReference": warehouse,
            "condition": "GOOD",
            "quantity": 5,
        }
        posted = thg.post(STOCK, json=doc("thg-fulfil:stock-level", level))
        assert posted.status_code == 200, posted.text
    clock.advance(60)
    stocked = create(brandco, "BEH-WH-011")
    (level,) = stock_of(brandco, stocked)
    assert level["attributes"]["warehouseReference"] == "LEE-07"


def test_an_ordinary_sku_is_left_for_a_person(brandco: Org) -> None:
    created = create(brandco, "BEH-SKU-012")
    assert approval_of(brandco, created["id"]) is None
    assert stock_of(brandco, created) == []


@pytest.mark.parametrize("sku", ["test_sku", "NS-010", "NS-011", "NS-200"])
def test_nothing_happens_where_sandbox_is_not_a_provider(plainco: Org, sku: str) -> None:
    created = create(plainco, sku, owner="plainco")
    assert approval_of(plainco, created["id"], owner="plainco") is None
    assert stock_of(plainco, created, owner="plainco") == []


def test_deletes_announce_every_child(brandco: Org, seen: Seen) -> None:
    second = brandco.post(ITEMS, json=item("test_sku", title="second")).json()
    pointer = second["errors"][0]["source"]["pointer"]
    assert pointer == "/data/attributes/consumerReference"  # the SKU is unique
    listing = brandco.get(ITEMS, params={"filter": "consumerReference = 'test_sku'"}).json()
    item_id = listing["data"][0]["id"]
    approval_id = brandco.get(f"{ITEMS}/{item_id}/approval").json()["data"]["id"]
    del seen[:]
    assert brandco.delete(f"{ITEMS}/{item_id}").status_code == 204
    deleted = [(t, i) for t, action, i, _ in seen if action == "DELETED"]
    assert deleted == [
        ("thg-fulfil:inventory.approval", approval_id),
        ("thg-fulfil:inventory", item_id),
    ]


@given(st.text(max_size=12), st.sampled_from(["", "010", "011", "200", "0100", "2000"]))
def test_the_answer_depends_on_the_sku_ending_alone(prefix: str, ending: str) -> None:
    sku = prefix + ending
    found = answer_for(sku)
    if sku == "test_sku" or sku.endswith(("010", "011")):
        assert found is not None and found.approval["state"] == "APPROVED"
        assert found.approval["providerReference"] == sku
        assert found.stock == sku.endswith("011")
    elif sku.endswith("200"):
        assert found is not None and found.approval["state"] == "REJECTED"
        assert found.approval["reason"] == "OTHER" and not found.stock
    else:
        assert found is None


@pytest.mark.parametrize("sku", [None, "", 10, ["010"]])
def test_no_sku_no_answer(sku: object) -> None:
    assert answer_for(sku) is None
