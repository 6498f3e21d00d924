"""THG Fulfil's inbound chain through the generated client, over real HTTP against the sandbox:
pre-advice → approval → the delivery booking the sandbox makes → ASN → partial and final
goods-received notes (issue 14; recovered/operations.md §1.2 F6 and §2)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime, timezone

import pytest

from thg_connect import (
    AsyncClient,
    Client,
    PermissionDeniedError,
    Reference,
    Resource,
    UnprocessableEntityError,
)
from thg_connect.thg_fulfil import (
    INVENTORY,
    Asn,
    AsnApprovalApproved,
    AsnApprovalRejected,
    AsnGrnFilter,
    AsnProgressArrived,
    AsnProgressFinished,
    DeliveryBooking,
    DeliveryVehicle,
    DeliveryVehicleType,
    Grn,
    GrnIssue,
    GrnLine,
    LogisticsUnit,
    LogisticsUnitItem,
    LogisticsUnitReferenceType,
    LogisticsUnitType,
    PreAdvice,
    PreAdviceApprovalApproved,
    PreAdviceApprovalPending,
    PreAdviceApprovalRejected,
    PreAdviceProduct,
    StockCondition,
)

from .items import inventory_item

BOOKING = re.compile(r"BOOK-[0-9]{8}")


def tag() -> str:
    return uuid.uuid4().hex[:8].upper()


def an_item(brand: Client) -> Reference:
    """A new inventory item of brandco's, by reference (what pre-advices and ASNs name)."""
    item = brand.thg_fulfil.inventory.create(inventory_item(f"IN-{tag()}"))
    return INVENTORY.reference(brand.owner, item.id)


def a_pre_advice(item: Reference) -> PreAdvice:
    return PreAdvice(
        consumer_reference=f"PO-{tag()}",
        warehouse="MAN-02",
        delivery_date=date(2026, 3, 2),
        delivery_type=DeliveryVehicleType.CURTAIN,
        products=[PreAdviceProduct(inventory_item=item, quantity=24)],
    )


def an_asn(delivery_reference: str, item: Reference) -> Asn:
    carton = LogisticsUnit(
        reference=f"CTN-{tag()}",
        reference_type=LogisticsUnitReferenceType.OTHER,
        type=LogisticsUnitType.CARTON,
        logistics_units=[],
        inventory_items=[
            LogisticsUnitItem(
                inventory_item=item,
                quantity=24,
                condition=StockCondition.HELD,
                batch_number=None,
                batch_expiry=None,
            )
        ],
    )
    return Asn(
        consumer_reference=f"ASN-{tag()}",
        delivery_reference=delivery_reference,
        delivery_partners_reference="HAUL-1",
        contents=[
            LogisticsUnit(
                reference="001234560000000018",
                reference_type=LogisticsUnitReferenceType.SSCC,
                type=LogisticsUnitType.PALLET,
                logistics_units=[carton],
                inventory_items=[],
            )
        ],
        delivery_vehicle=DeliveryVehicle(
            type=DeliveryVehicleType.REAR, registration_number="MA26 XYZ", driver_name="Sam"
        ),
    )


def booked(brand: Client, thg: Client, item: Reference) -> Resource[DeliveryBooking]:
    """Pre-advise, let the provider approve, and return the booking the sandbox made."""
    pre_advice = brand.thg_fulfil.pre_advices.create(a_pre_advice(item))
    decision = thg.for_owner("brandco").thg_fulfil.pre_advices(pre_advice.id).approval
    decision.create(PreAdviceApprovalPending())
    assert list(brand.thg_fulfil.pre_advices(pre_advice.id).delivery_bookings.list()) == []
    decision.update(PreAdviceApprovalApproved())
    (booking,) = brand.thg_fulfil.pre_advices(pre_advice.id).delivery_bookings.list()
    return booking


def test_the_whole_inbound_chain(client: Callable[[str], Client]) -> None:
    brand, thg = client("brandco"), client("thg")
    item = an_item(brand)
    booking = booked(brand, thg, item)
    assert BOOKING.fullmatch(booking.attributes.delivery_reference)
    pre_advice_id = (booking.meta.parent if booking.meta else {})["thg-fulfil:pre-advice"]
    approval = brand.thg_fulfil.pre_advices(pre_advice_id).approval.get().attributes
    assert isinstance(approval, PreAdviceApprovalApproved)  # returned with the approval (S10)
    assert approval.delivery_reference == booking.attributes.delivery_reference
    assert booking.attributes.delivery_date == date(2026, 3, 2)
    assert booking.meta is not None and booking.meta.creator == "thg"  # the approving provider
    assert booking.reference is not None and str(booking.reference).startswith(
        "thg:thg-fulfil:pre-advice.delivery-booking#brandco@"
    )

    asn = brand.thg_fulfil.asns.create(an_asn(booking.attributes.delivery_reference, item))
    assert asn.raw_response is not None and asn.raw_response.status_code == 200  # S2
    read = brand.thg_fulfil.asns(asn.id).get().attributes
    pallet = read.contents[0]
    assert pallet.type == LogisticsUnitType.PALLET
    line = pallet.logistics_units[0].inventory_items[0]
    assert (line.inventory_item, line.quantity, line.condition) == (item, 24, StockCondition.HELD)
    assert read.delivery_vehicle.driver_name == "Sam"

    inbound = thg.for_owner("brandco").thg_fulfil.asns(asn.id)
    inbound.approval.create(AsnApprovalApproved(warehouse_reference="GIA-1"))
    inbound.progress.create(AsnProgressArrived())
    now = datetime(2026, 3, 2, 10, 15, tzinfo=timezone.utc)
    partial = inbound.grns.create(
        Grn(
            receipt_reference=f"GRN-{tag()}",
            final_receipt=False,
            received_at=now,
            lines=[GrnLine(inventory_item=item, quantity=22, condition=StockCondition.GOOD)],
        )
    )
    final = inbound.grns.create(
        Grn(
            receipt_reference=f"GRN-{tag()}",
            final_receipt=True,
            received_at=now,
            lines=[],
            issues=[GrnIssue(description="2 crushed", inventory_item=item, quantity=2)],
            partial_receipts=[partial.attributes.receipt_reference],
        )
    )
    inbound.progress.update(AsnProgressFinished())

    mine = brand.thg_fulfil.asns(asn.id)
    assert isinstance(mine.approval.get().attributes, AsnApprovalApproved)
    assert isinstance(mine.progress.get().attributes, AsnProgressFinished)
    finals = list(mine.grns.list(filter=AsnGrnFilter.final_receipt == True))  # noqa: E712
    assert [r.id for r in finals] == [final.id]
    assert finals[0].attributes.partial_receipts == [partial.attributes.receipt_reference]
    assert brand.get(str(final.reference)).id == final.id  # the lookup path resolves it


def test_an_asn_needs_a_booking_of_its_own_and_only_one(client: Callable[[str], Client]) -> None:
    brand, thg = client("brandco"), client("thg")
    item = an_item(brand)
    with pytest.raises(UnprocessableEntityError) as missing:
        brand.thg_fulfil.asns.create(an_asn("BOOK-00000000", item))
    assert [e.pointer for e in missing.value.errors] == ["/data/attributes/deliveryReference"]

    booking = booked(brand, thg, item)
    brand.thg_fulfil.asns.create(an_asn(booking.attributes.delivery_reference, item))
    with pytest.raises(UnprocessableEntityError) as twice:
        brand.thg_fulfil.asns.create(an_asn(booking.attributes.delivery_reference, item))
    assert "one ASN per booking" in (twice.value.errors[0].detail or "")


def test_a_rejected_pre_advice_books_nothing(client: Callable[[str], Client]) -> None:
    brand, thg = client("brandco"), client("thg")
    pre_advice = brand.thg_fulfil.pre_advices.create(a_pre_advice(an_item(brand)))
    decision = thg.for_owner("brandco").thg_fulfil.pre_advices(pre_advice.id).approval
    decision.create(PreAdviceApprovalRejected(reason="no slot on 2 March"))
    got = brand.thg_fulfil.pre_advices(pre_advice.id).approval.get().attributes
    assert isinstance(got, PreAdviceApprovalRejected) and got.reason == "no slot on 2 March"
    assert list(brand.thg_fulfil.pre_advices(pre_advice.id).delivery_bookings.list()) == []
    with pytest.raises(PermissionDeniedError):  # the consumer cannot approve its own
        brand.thg_fulfil.pre_advices(pre_advice.id).approval.update(PreAdviceApprovalApproved())


async def test_the_chain_async(
    client: Callable[[str], Client], async_client: Callable[[str], AsyncClient]
) -> None:
    brand = client("brandco")
    item = an_item(brand)
    async with async_client("brandco") as abrand, async_client("thg") as athg:
        pre_advice = await abrand.thg_fulfil.pre_advices.create(a_pre_advice(item))
        at_provider = athg.for_owner("brandco").thg_fulfil
        await at_provider.pre_advices(pre_advice.id).approval.create(PreAdviceApprovalApproved())
        bookings = abrand.thg_fulfil.pre_advices(pre_advice.id).delivery_bookings
        (booking,) = [b async for b in bookings.list()]
        assert (await bookings(booking.id).get()).id == booking.id
        asn = await abrand.thg_fulfil.asns.create(
            an_asn(booking.attributes.delivery_reference, item)
        )
        await at_provider.asns(asn.id).approval.create(AsnApprovalRejected(reason="wrong SSCC"))
        got = (await abrand.thg_fulfil.asns(asn.id).approval.get()).attributes
        assert isinstance(got, AsnApprovalRejected) and got.reason == "wrong SSCC"
