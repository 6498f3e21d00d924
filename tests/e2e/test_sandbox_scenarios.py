"""The sandbox provider's documented inventory scenarios (S18, `test_sku`), end to end through
the generated client over real HTTP: what a brand's integration test sees."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from thg_connect import Client, NotFoundError
from thg_connect.thg_fulfil import (
    ApprovalApproved,
    ApprovalRejected,
    InventoryItem,
    StockLevel,
    StockLevelFilter,
)
from thg_connect_core import Resource
from thg_sandbox.behaviours.auto_approve import PLACEHOLDER_WAREHOUSE
from thg_sandbox.config import ApiClient, Partnership, default_config
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product

from .conftest import SPECS
from .items import inventory_item


@pytest.fixture(scope="module")
def sandbox(products: list[Product]) -> Iterator[RunningSandbox]:
    """The default organisations, plus plainco: a brand whose only provider is thg."""
    base = default_config()
    config = replace(
        base,
        organisations=(*base.organisations, "plainco"),
        clients=(*base.clients, ApiClient("plainco", "plainco-secret", "plainco")),
        partnerships=(*base.partnerships, Partnership("thg-fulfil", "plainco", ("thg",))),
    )
    with running_sandbox(SPECS, config, products=products) as running:
        yield running


def sku(ending: str) -> str:
    return f"E2E-{uuid.uuid4().hex[:8]}-{ending}"


def stock_of(brand: Client, item: Resource[InventoryItem]) -> list[Resource[StockLevel]]:
    reference = str(item.reference)
    return list(
        brand.thg_fulfil.stock_levels.list(filter=StockLevelFilter.inventory_item == reference)
    )


@pytest.mark.parametrize("value", ["test_sku", sku("010")])
def test_approved_with_the_sku_as_provider_reference(
    client: Callable[[str], Client], value: str
) -> None:
    brand = client("brandco")
    item = brand.thg_fulfil.inventory.create(inventory_item(value))
    approval = brand.thg_fulfil.inventory(item.id).approval.get()
    assert isinstance(approval.attributes, ApprovalApproved)
    assert approval.attributes.state == "APPROVED"
    assert approval.attributes.provider_reference == value
    assert approval.meta is not None and approval.meta.creator == "sandbox"
    assert stock_of(brand, item) == []
    brand.thg_fulfil.inventory(item.id).delete()  # test_sku is unique: leave it free


def test_a_sku_ending_200_is_rejected_with_reason_other(client: Callable[[str], Client]) -> None:
    brand = client("brandco")
    item = brand.thg_fulfil.inventory.create(inventory_item(sku("200")))
    approval = brand.thg_fulfil.inventory(item.id).approval.get()
    assert isinstance(approval.attributes, ApprovalRejected)
    assert approval.attributes.reason == "OTHER"
    assert approval.attributes.message


def test_a_sku_ending_011_is_approved_and_stocked(client: Callable[[str], Client]) -> None:
    brand = client("brandco")
    value = sku("011")
    item = brand.thg_fulfil.inventory.create(inventory_item(value))
    approval = brand.thg_fulfil.inventory(item.id).approval.get()
    assert isinstance(approval.attributes, ApprovalApproved)
    (level,) = stock_of(brand, item)
    assert level.attributes.consumer_reference == value
    assert level.attributes.warehouse_reference == PLACEHOLDER_WAREHOUSE
    assert level.attributes.condition == "GOOD" and level.attributes.quantity > 0
    assert level.meta is not None and level.meta.creator == "sandbox"
    assert brand.get(str(level.reference), StockLevel).id == level.id


def test_an_ordinary_sku_waits_for_a_person(client: Callable[[str], Client]) -> None:
    brand = client("brandco")
    item = brand.thg_fulfil.inventory.create(inventory_item(sku("012")))
    with pytest.raises(NotFoundError):
        brand.thg_fulfil.inventory(item.id).approval.get()


@pytest.mark.parametrize("ending", ["test_sku", "010", "011", "200"])
def test_nothing_happens_where_sandbox_is_not_a_provider(
    client: Callable[[str], Client], ending: str
) -> None:
    plain = client("plainco")
    value = "test_sku" if ending == "test_sku" else sku(ending)
    item = plain.thg_fulfil.inventory.create(inventory_item(value))
    with pytest.raises(NotFoundError):
        plain.thg_fulfil.inventory(item.id).approval.get()
    assert stock_of(plain, item) == []
