"""The documented workflows of issue 6 that need no event consumer: the generated client against
the sandbox over loopback."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from thg_connect import Client, Reference, UnprocessableEntityError
from thg_connect.product import Product, ProductModel, ProductVariant, VInventory
from thg_connect.thg_fulfil import (
    Address,
    ApprovalApproved,
    CourierService,
    Dimensions,
    Dispatched,
    DispatchedLine,
    FulfilmentRequest,
    FulfilmentRequestLine,
    StockCondition,
    Tracking,
)
from thg_connect.thg_fulfil import InventoryFilter as F
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product as SpecProduct

from .conftest import SPECS, config_for
from .items import inventory_item


def test_test_sku_is_approved_by_the_sandbox_organisation(client: Callable[[str], Client]) -> None:
    """Workflow 2."""
    brand = client("brandco")
    item = brand.thg_fulfil.inventory.create(inventory_item("test_sku", title="Test"))
    approval = brand.thg_fulfil.inventory(item.id).approval.get()
    assert isinstance(approval.attributes, ApprovalApproved)
    assert approval.meta is not None and approval.meta.creator == "sandbox"
    brand.thg_fulfil.inventory(item.id).delete()


def test_fulfilment_request_to_dispatch_and_back_through_its_reference(
    client: Callable[[str], Client],
) -> None:
    """Workflow 3: the parcel lives on the provider's own path under the request's id (S17);
    the consumer resolves it through its reference and reads it there as the partner."""
    brand = client("brandco")
    thg = client("thg")
    order = brand.thg_fulfil.fulfilment_requests.create(
        FulfilmentRequest(
            order_id=f"ORD-{uuid.uuid4().hex[:8]}",
            delivery_address=Address(
                name="Ada Lovelace",
                address_line1="1 Analytical Row",
                city="London",
                country_code="GB",
                postal_code="N1 9GU",
            ),
            lines=[FulfilmentRequestLine(line_id="1", sku="BRC-EDP-50", quantity=2)],
        )
    )
    dispatched_at = datetime(2026, 2, 11, 13, 9, 43, tzinfo=timezone.utc)
    dispatch = thg.thg_fulfil.fulfilment_requests(order.id).dispatched.create(
        Dispatched(
            courier_service=CourierService(name="Evri", service="Next day"),
            dispatched_date=dispatched_at,
            lines=[
                DispatchedLine(
                    line_id="1",
                    expected_quantity=2,
                    dispatched_quantity=2,
                    condition=StockCondition.GOOD,
                    batch_number="B-17",
                )
            ],
            tracking=Tracking(number="HZYEJA12345", url="https://track.example/HZYEJA12345"),
        )
    )
    assert dispatch.reference is not None
    assert dispatch.reference.entity_type == "thg-fulfil:fulfilment-request.dispatched"
    assert dispatch.reference.owner == "thg" and dispatch.reference.id == dispatch.id
    resolved = brand.get(str(dispatch.reference))
    assert isinstance(resolved.attributes, Dispatched)
    assert resolved.attributes == dispatch.attributes
    assert resolved.attributes.dispatched_date == dispatched_at
    assert resolved.attributes.lines[0].condition is StockCondition.GOOD
    at_thg = brand.for_owner("thg").thg_fulfil.fulfilment_requests(order.id)
    nested = at_thg.dispatched(dispatch.id).get()
    assert nested.attributes == resolved.attributes
    assert resolved.meta is not None and resolved.meta.parent == {
        "thg-fulfil:fulfilment-request": order.id
    }
    assert resolved.meta.owner == resolved.meta.creator == "thg"


def _leaf(sku: str, size: str, **changes: object) -> VInventory:
    values: dict[str, object] = dict(
        sku=sku,
        barcode={"EAN": "93849384398493"},
        prices={"DE": {"EUR": 30.99, "GBP": 27.99}},
        mass_g=45,
        height_mm=32,
        width_mm=24,
        length_mm=13,
        country_of_origin="GB",
        harmonized_system_code="839402943859",
        variant_type={"size": size},
    )
    values.update(changes)
    return VInventory.model_construct(**values)  # type: ignore[arg-type]


def test_product_model_then_product_with_colour_and_size_variants(
    client: Callable[[str], Client],
) -> None:
    """Workflow 4: a good product, then a bad one whose 422 names every failing field."""
    brand = client("brandco")
    name = f"dress_{uuid.uuid4().hex[:6]}"
    coloured = f"coloured_{name}"
    title = {"attributeType": "string", "required": True, "constraints": {"minLength": 1}}
    for model, splits_by in ((name, "colour"), (coloured, "size")):
        brand.product.product_models.create(
            ProductModel.model_validate(
                {
                    "name": model,
                    "version": "0.1",
                    "availableAttributes": {"title": title},
                    "variantTypes": [splits_by],
                }
            )
        )
    good = brand.product.products.create(
        Product(
            name="summer dress",
            model_name=name,
            model_version="0.1",
            attributes={"title": "Summer dress"},
            variants=[
                ProductVariant(
                    name="purple summer dress",
                    model_name=coloured,
                    model_version="0.1",
                    attributes={"title": "Purple summer dress"},
                    variant_type={"colour": "purple"},
                    variants=[_leaf(f"S{uuid.uuid4().hex[:12]}", size) for size in ("38", "40")],
                )
            ],
        )
    )
    variant = good.attributes.variants[0]  # type: ignore[index]
    assert isinstance(variant, ProductVariant)
    assert [leaf.variant_type for leaf in variant.variants] == [{"size": "38"}, {"size": "40"}]
    bad = Product.model_construct(
        name="bad dress",
        model_name=name,
        model_version="0.1",
        attributes={"title": "", "colourway": "teal"},
        variants=[_leaf("S-BAD", "38", mass_g=-1, country_of_origin="Britain")],
    )
    with pytest.raises(UnprocessableEntityError) as caught:
        brand.product.products.create(bad)
    fields = {e.pointer for e in caught.value.errors}
    message = str(caught.value)
    assert len(fields) >= 4, fields
    for field in fields:
        assert str(field) in message


def test_a_thousand_entities_filtered_with_grouping_and_paged_by_seven(
    client: Callable[[str], Client],
) -> None:
    """Workflow 7: exactly the matching set, in order."""
    brand = client("brandco")
    tag = uuid.uuid4().hex[:6]
    start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=1)
    items = brand.thg_fulfil.inventory
    made = []
    for i in range(1000):
        made.append(
            items.create(
                inventory_item(
                    f"W7-{tag}-{i:04d}",
                    type=("red" if i % 3 else "blue"),
                    dimensions=Dimensions(depth=1, height=1, mass=float(i % 50) + 1, width=1),
                )
            )
        )
    low, high = f"W7-{tag}-0100", f"W7-{tag}-0700"
    expression = (F.created_at >= start) & (
        ((F.consumer_reference >= low) & (F.consumer_reference < high) & (F.type == "blue"))
        | ((F.dimensions_mass <= 2) & (F.type == "red"))
    )
    expected = [
        m.id
        for m in made
        if isinstance(m.attributes.consumer_reference, str)
        and (
            (low <= m.attributes.consumer_reference < high and m.attributes.type == "blue")
            or (m.attributes.dimensions.mass <= 2 and m.attributes.type == "red")
        )
    ]
    listing = items.list(filter=expression, page_size=7)
    got = [r.id for r in listing]
    assert got == expected and len(expected) > 100
    assert all(len(p.items) <= 7 for p in listing.pages())


@pytest.fixture(scope="module")
def short_token_sandbox(products: list[SpecProduct]) -> Iterator[RunningSandbox]:
    with running_sandbox(SPECS, products=products, token_ttl=2) as running:
        yield running


def test_tokens_expiring_mid_run_never_fail_a_call(short_token_sandbox: RunningSandbox) -> None:
    """Workflow 8: sandbox tokens live 2 s; calls go on for several windows."""
    with Client(config_for(short_token_sandbox, "brandco")) as brand:
        items = brand.thg_fulfil.inventory
        deadline = time.monotonic() + 6.5
        calls = 0
        while time.monotonic() < deadline:
            created = items.create(inventory_item(f"T-{uuid.uuid4().hex[:10]}"))
            items(created.id).get()
            calls += 2
            time.sleep(0.05)
        assert calls > 20


def test_upload_a_document_and_reference_it_as_hazmat_documentation(
    client: Callable[[str], Client], tmp_path: Path
) -> None:
    """Workflow 5: upload, reference it, and an unknown document reference is refused."""
    brand = client("brandco")
    sds = tmp_path / "amber-dusk-sds.pdf"
    sds.write_bytes(b"%PDF-1.7 safety data sheet\n" * 1000)
    reference = brand.document.upload(sds)
    assert reference.entity_type == "document:document" and reference.owner == "brandco"
    document = brand.get(str(reference))
    assert document.attributes.filename == "amber-dusk-sds.pdf"
    assert str(document.attributes.status) == "AVAILABLE"
    from_bytes = brand.document.upload(b"second sheet", filename="sds-2.txt")
    assert from_bytes != reference
    item = brand.thg_fulfil.inventory.create(
        inventory_item(
            f"HZ-{uuid.uuid4().hex[:8]}",
            hazmat_code="1266",
            hazmat_documentation=reference,
        )
    )
    assert item.attributes.hazmat_documentation == reference
    unknown = Reference("document", "document", "brandco", str(uuid.uuid4()))
    with pytest.raises(UnprocessableEntityError) as caught:
        brand.thg_fulfil.inventory.create(
            inventory_item(
                f"HZ-{uuid.uuid4().hex[:8]}", hazmat_code="1266", hazmat_documentation=unknown
            )
        )
    assert "hazmat_documentation" in str(caught.value)
