"""Every kind of generated method, sync and async, against the sandbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from thg_connect import (
    AsyncClient,
    Client,
    ConflictError,
    NotFoundError,
    Reference,
    UnprocessableEntityError,
)
from thg_connect.events import Subscription
from thg_connect.thg_fulfil import ApprovalApproved, ApprovalRejected, Dimensions, InventoryItem
from thg_connect.thg_fulfil import InventoryFilter as F
from thg_connect_core import Event

from .items import inventory_item


def sku() -> str:
    return f"SKU-{uuid.uuid4().hex[:10]}"


def test_crud_of_an_entity_and_its_status(client: Callable[[str], Client]) -> None:
    brand, thg = client("brandco"), client("thg").for_owner("brandco")
    items = brand.thg_fulfil.inventory
    item = items.create(inventory_item(sku(), title="Amber Dusk", default_country_of_origin="GB"))
    assert item.id and item.version == "1" and item.meta is not None
    assert item.attributes.default_country_of_origin == "GB"
    assert item.reference == Reference("thg-fulfil", "inventory", "brandco", item.id)

    approval = thg.thg_fulfil.inventory(item.id).approval
    set_state = approval.create(ApprovalRejected(reason="OTHER", message="Barcode unknown"))
    assert isinstance(set_state.attributes, ApprovalRejected)
    with pytest.raises(ConflictError):
        approval.create(ApprovalApproved(provider_reference="PROV-1"))
    approval.update(ApprovalApproved(provider_reference="PROV-1"))
    read = brand.thg_fulfil.inventory(item.id).approval.get()
    assert isinstance(read.attributes, ApprovalApproved) and read.attributes.state == "APPROVED"

    assert read.attributes.provider_reference == "PROV-1"
    assert not hasattr(items(item.id), "update")  # inventory items are immutable (S8, S15)
    items(item.id).delete()
    with pytest.raises(NotFoundError):
        items(item.id).get()
    with pytest.raises(NotFoundError):
        brand.thg_fulfil.inventory(item.id).approval.get()


def test_references_resolve_to_typed_entities(client: Callable[[str], Client]) -> None:
    brand = client("brandco")
    item = brand.thg_fulfil.inventory.create(inventory_item(sku()))
    approval = (
        client("thg")
        .for_owner("brandco")
        .thg_fulfil.inventory(item.id)
        .approval.create(ApprovalRejected(reason="OTHER", message="Missing SDS"))
    )
    for resource in (item, approval):
        assert resource.reference is not None
        resolved = brand.get(str(resource.reference))
        assert resolved.attributes == resource.attributes and resolved.id == resource.id
    with pytest.raises(ValueError):
        brand.get("thg:nope:thing#brandco@x")
    assert item.reference is not None
    typed = brand.get(item.reference, InventoryItem)  # Resource[InventoryItem] for mypy
    assert typed.attributes.consumer_reference == item.attributes.consumer_reference
    with pytest.raises(TypeError):
        brand.get(item.reference, Subscription)


def test_list_pages_lazily_with_a_typed_filter(client: Callable[[str], Client]) -> None:
    brand = client("brandco")
    tag = uuid.uuid4().hex[:8]
    start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=1)
    made = [
        brand.thg_fulfil.inventory.create(
            inventory_item(
                f"F-{tag}-{i}", dimensions=Dimensions(depth=1, height=1, mass=i + 10, width=1)
            )
        )
        for i in range(7)
    ]
    listing = brand.thg_fulfil.inventory.list(
        filter=(F.created_at >= start)
        & (
            ((F.dimensions_mass >= 10) & (F.dimensions_mass <= 12))
            | (F.consumer_reference == f"F-{tag}-6")
        ),
        page_size=2,
    )
    got = [r.attributes.consumer_reference for r in listing]
    assert got == [f"F-{tag}-{i}" for i in (0, 1, 2, 6)]
    assert [p.number for p in listing.pages()] == [1, 2]
    capped = brand.thg_fulfil.inventory.list(filter=F.consumer_reference >= f"F-{tag}", max_items=3)
    assert len(list(capped)) == 3
    assert {m.id for m in made} >= {r.id for r in listing}


def test_validation_errors_name_every_field_and_bad_input_is_refused_early(
    client: Callable[[str], Client],
) -> None:
    items = client("brandco").thg_fulfil.inventory
    with pytest.raises(UnprocessableEntityError) as caught:
        items.create(
            InventoryItem.model_construct(
                consumer_reference="",
                title="",
                description="d",
                type="t",
                barcodes=[],
                dimensions=Dimensions.model_construct(depth=-1, height=0, mass=1, width=1),
                batch_controlled=False,
            )
        )
    message = str(caught.value)
    for field in ("consumerReference", "title", "depth", "height"):
        assert field in message
    with pytest.raises(ValueError):
        items("")
    with pytest.raises(ValueError):
        inventory_item("ok", default_country_of_origin="gb")  # pattern from the spec


def test_client_chosen_ids_and_actions(client: Callable[[str], Client]) -> None:
    subscriptions = client("brandco").events.subscriptions
    name = f"sub-{uuid.uuid4().hex[:8]}"
    created = subscriptions.create(name, Subscription())
    assert created.id == name
    with pytest.raises(ConflictError):
        subscriptions.create(name, Subscription())
    with pytest.raises(ValueError):
        subscriptions.create("", Subscription())
    assert name in {s.id for s in subscriptions.list(page_size=100)}
    events = subscriptions(name).poll(wait_time_seconds=0, max_events=5)
    assert isinstance(events, list) and all(isinstance(e, Event) for e in events)
    for event in events:  # the generated confirm: one event, its handle in a header
        confirmed = subscriptions(name).confirm(receipt_handle=event.id)
        assert confirmed is not None and confirmed.key == event.key
        with pytest.raises(NotFoundError):  # already gone: a retried confirm is harmless
            subscriptions(name).confirm(receipt_handle=event.id)
    with pytest.raises(ValueError):
        subscriptions(name).confirm(receipt_handle="")
    subscriptions(name).delete()


async def test_the_async_client_mirrors_the_sync_one(
    async_client: Callable[[str], AsyncClient],
) -> None:
    async with async_client("brandco") as brand:
        items = brand.thg_fulfil.inventory
        item = await items.create(inventory_item(sku(), title="Async"))
        got = await items(item.id).get()
        assert got.attributes.title == "Async"
        seen = [r.id async for r in items.list(filter=F.id == item.id)]
        assert seen == [item.id]
        resolved = await brand.get(str(item.reference))
        assert resolved.id == item.id
        typed = await brand.get(str(item.reference), InventoryItem)
        assert typed.attributes.title == "Async"
        await items(item.id).delete()


def test_raw_response_and_options_on_the_generated_client(
    client: Callable[[str], Client],
) -> None:
    """Issue 17: the request id and status on success, a derived client with other options,
    per-request ``max_retries``, and misspelt or null fields refused before sending."""
    brand = client("brandco")
    item = brand.thg_fulfil.inventory.create(inventory_item(sku()))
    assert item.raw_response is not None and item.raw_response.status_code in (200, 201)
    assert item.request_id and item.request_id == item.raw_response.headers["x-request-id"]
    read = brand.thg_fulfil.inventory(item.id).get(max_retries=0)
    assert read.request_id and read.request_id != item.request_id
    listed = next(
        iter(
            brand.thg_fulfil.inventory.list(
                filter=F.consumer_reference == item.attributes.consumer_reference
            )
        )
    )
    assert listed.request_id
    quick = brand.with_options(timeout=5.0, max_retries=0)
    assert (quick.api.config.timeout, quick.api.config.max_retries) == (5.0, 0)
    assert quick.owner == "brandco" and quick.thg_fulfil.inventory(item.id).get().id == item.id
    sent_before = item.attributes.consumer_reference
    with pytest.raises(ValidationError):
        inventory_item(sku(), nmae="x")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        inventory_item(sku(), serial_number_controlled=None)
    assert brand.thg_fulfil.inventory(item.id).get().attributes.consumer_reference == sent_before
