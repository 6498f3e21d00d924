"""The sandbox's fulfilment-request scenarios (S19) through the generated client over real HTTP:
the delivery address's name picks what the `sandbox` provider does with a new request."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from typing import List, Optional

import pytest

from thg_connect import AsyncClient, Client
from thg_connect.thg_fulfil import (
    Address,
    Dispatched,
    FulfilmentRequest,
    FulfilmentRequestApproved,
    FulfilmentRequestLine,
    FulfilmentRequestRejected,
)
from thg_connect_core import NotFoundError, Resource
from thg_sandbox.config import ALL_PRODUCTS, ApiClient, Partnership, SandboxConfig
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product

from .conftest import SPECS, config_for


def order(name: str, lines: int = 2) -> FulfilmentRequest:
    return FulfilmentRequest(
        order_id=f"SC-{uuid.uuid4().hex[:10]}",
        delivery_address=Address(
            name=name, address_line1="1 Test Street", city="Manchester", country_code="GB"
        ),
        lines=[
            FulfilmentRequestLine(line_id=str(n), sku=f"SKU-{n}", quantity=n)
            for n in range(1, lines + 1)
        ],
    )


def parcels(consumer: Client, request_id: str) -> List[Resource[Dispatched]]:
    """The parcels `sandbox` reported, read on its path as its consumer."""
    at_sandbox = consumer.for_owner("sandbox").thg_fulfil.fulfilment_requests(request_id)
    return list(at_sandbox.dispatched.list())


def test_sandbox_accept(client: Callable[[str], Client]) -> None:
    brandco = client("brandco")
    created = brandco.thg_fulfil.fulfilment_requests.create(order("sandbox accept"))
    approval = brandco.thg_fulfil.fulfilment_requests(created.id).approval.get()
    assert isinstance(approval.attributes, FulfilmentRequestApproved)
    assert approval.attributes.provider_reference == "PROVIDER12345"
    assert approval.meta is not None and approval.meta.creator == "sandbox"
    assert parcels(brandco, created.id) == []


def test_sandbox_reject(client: Callable[[str], Client]) -> None:
    brandco = client("brandco")
    created = brandco.thg_fulfil.fulfilment_requests.create(order("sandbox reject"))
    approval = brandco.thg_fulfil.fulfilment_requests(created.id).approval.get().attributes
    assert isinstance(approval, FulfilmentRequestRejected)
    assert approval.message == "rejected fulfilment request via sandbox"
    assert parcels(brandco, created.id) == []


def test_sandbox_dispatch_sends_every_line(client: Callable[[str], Client]) -> None:
    brandco = client("brandco")
    created = brandco.thg_fulfil.fulfilment_requests.create(order("sandbox dispatch", lines=3))
    approval = brandco.thg_fulfil.fulfilment_requests(created.id).approval.get().attributes
    assert isinstance(approval, FulfilmentRequestApproved)
    assert approval.provider_reference == "PROVIDER12345"
    [parcel] = parcels(brandco, created.id)
    sent = parcel.attributes
    assert (sent.courier_service.name, sent.courier_service.service) == (
        "UPS",
        "Express International Shipping",
    )
    assert sent.tracking.number == "30492343"
    assert [(line.line_id, line.dispatched_quantity) for line in sent.lines] == [
        ("1", 1),
        ("2", 2),
        ("3", 3),
    ]
    reference = parcel.reference
    assert reference is not None and reference.owner == "sandbox"
    assert reference.entity_type == "thg-fulfil:fulfilment-request.dispatched"
    assert parcel.meta is not None and parcel.meta.parent == {
        "thg-fulfil:fulfilment-request": created.id
    }


def test_sandbox_partial_dispatch_sends_the_first_line(client: Callable[[str], Client]) -> None:
    brandco = client("brandco")
    created = brandco.thg_fulfil.fulfilment_requests.create(
        order("sandbox partial-dispatch", lines=3)
    )
    approval = brandco.thg_fulfil.fulfilment_requests(created.id).approval.get().attributes
    assert isinstance(approval, FulfilmentRequestApproved)
    [parcel] = parcels(brandco, created.id)
    assert [(line.line_id, line.expected_quantity) for line in parcel.attributes.lines] == [
        ("1", 1)
    ]


def test_sandbox_partial_dispatch_without_lines_is_rejected(
    client: Callable[[str], Client],
) -> None:
    brandco = client("brandco")
    created = brandco.thg_fulfil.fulfilment_requests.create(
        order("sandbox partial-dispatch", lines=0)
    )
    approval = brandco.thg_fulfil.fulfilment_requests(created.id).approval.get().attributes
    assert isinstance(approval, FulfilmentRequestRejected)
    assert approval.message == f"Fulfilment request ({created.id}) has 0 lines in it"
    assert parcels(brandco, created.id) == []


def test_a_scenario_with_the_async_client(async_client: Callable[[str], AsyncClient]) -> None:
    async def run() -> Optional[str]:
        async with async_client("brandco") as brandco:
            requests = brandco.thg_fulfil.fulfilment_requests
            created = await requests.create(order("sandbox dispatch", lines=1))
            approval = (await requests(created.id).approval.get()).attributes
            assert isinstance(approval, FulfilmentRequestApproved)
            at_sandbox = brandco.for_owner("sandbox").thg_fulfil.fulfilment_requests(created.id)
            found = [p async for p in at_sandbox.dispatched.list()]
            return found[0].attributes.tracking.number if found else None

    assert asyncio.run(run()) == "30492343"


@pytest.fixture(scope="module")
def thg_only(products: List[Product]) -> Iterator[RunningSandbox]:
    """brandco's only thg-fulfil provider is thg: the `sandbox` organisation is a stranger."""
    orgs = ("brandco", "thg", "sandbox")
    config = SandboxConfig(
        organisations=orgs,
        clients=tuple(ApiClient(org, f"{org}-sandbox-secret", org) for org in orgs),
        partnerships=(Partnership(ALL_PRODUCTS, "brandco", ("thg",)),),
    )
    with running_sandbox(SPECS, config, products=products) as running:
        yield running


@pytest.mark.parametrize(
    "name", ["sandbox accept", "sandbox reject", "sandbox dispatch", "sandbox partial-dispatch"]
)
def test_no_scenario_where_sandbox_is_not_a_provider(thg_only: RunningSandbox, name: str) -> None:
    with Client(config_for(thg_only, "brandco")) as brandco:
        created = brandco.thg_fulfil.fulfilment_requests.create(order(name))
        with pytest.raises(NotFoundError):
            brandco.thg_fulfil.fulfilment_requests(created.id).approval.get()
    with Client(config_for(thg_only, "sandbox")) as stranger:
        # sandbox wrote nothing on its own path: there are no fulfilment requests it serves.
        mine = stranger.thg_fulfil.fulfilment_requests(created.id).dispatched
        with pytest.raises(NotFoundError):
            list(mine.list())
