"""THG Fulfil's inbound chain: goods the consumer sends into its provider's warehouse.

pre-advice (consumer) → approval (provider) → delivery booking (made by the platform on
approval) → advance shipping notice quoting the booking (consumer) → the ASN's approval and
progress, then goods-received notes: partial receipts and one final (provider).

Everything lives in the consumer's path; the provider writes the statuses and the receipts there.
It acts as both sides, so it needs two sets of credentials: the consumer's (THG_CLIENT_ID,
THG_CLIENT_SECRET, THG_OWNER: brandco in the sandbox) and its provider's
(THG_PROVIDER_CLIENT_ID, THG_PROVIDER_CLIENT_SECRET, THG_PROVIDER_OWNER: thg).
"""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime, timedelta, timezone

from thg_connect import Client
from thg_connect.thg_fulfil import (
    INVENTORY,
    Asn,
    AsnApprovalApproved,
    AsnProgressArrived,
    AsnProgressFinished,
    Barcode,
    DeliveryVehicle,
    DeliveryVehicleType,
    Dimensions,
    Grn,
    GrnIssue,
    GrnLine,
    InventoryItem,
    LogisticsUnit,
    LogisticsUnitItem,
    LogisticsUnitReferenceType,
    LogisticsUnitType,
    PreAdvice,
    PreAdviceApprovalApproved,
    PreAdviceApprovalPending,
    PreAdviceProduct,
    StockCondition,
)


def provider_from_env() -> Client:
    return Client.from_env(
        client_id=os.environ["THG_PROVIDER_CLIENT_ID"],
        client_secret=os.environ["THG_PROVIDER_CLIENT_SECRET"],
        owner=os.environ["THG_PROVIDER_OWNER"],
    )


def main() -> None:
    tag = uuid.uuid4().hex[:8].upper()
    with Client.from_env() as consumer, provider_from_env() as provider:
        fulfil = consumer.thg_fulfil
        item = fulfil.inventory.create(
            InventoryItem(
                consumer_reference=f"BRC-EDP-{tag}",
                title="Eau de parfum",
                description="Eau de parfum, 50 ml",
                type="fragrance",
                barcodes=[Barcode(barcode=f"50{tag}", type="ean")],
                dimensions=Dimensions(depth=4, height=12, mass=0.3, width=6),
                batch_controlled=True,
            )
        )
        item_reference = INVENTORY.reference(consumer.owner, item.id)

        # 1. The consumer pre-advises what it will deliver, where and when.
        pre_advice = fulfil.pre_advices.create(
            PreAdvice(
                consumer_reference=f"PO-{tag}",
                warehouse="MAN-02",
                delivery_date=date.today() + timedelta(days=7),
                delivery_type=DeliveryVehicleType.VAN,
                products=[PreAdviceProduct(inventory_item=item_reference, quantity=24)],
            )
        )
        print("pre-advised", pre_advice.reference)

        # 2. The provider checks it, then approves it; the approval books the delivery.
        at_provider = provider.for_owner(consumer.owner).thg_fulfil
        decision = at_provider.pre_advices(pre_advice.id).approval
        decision.create(PreAdviceApprovalPending())
        decision.update(PreAdviceApprovalApproved(message="slot at 09:00"))

        # 3. The approval returns the booking's reference: it goes on the ASN and the pallets.
        approval = fulfil.pre_advices(pre_advice.id).approval.get().attributes
        if not isinstance(approval, PreAdviceApprovalApproved) or not approval.delivery_reference:
            raise SystemExit(f"pre-advice not approved: {approval}")
        delivery_reference = approval.delivery_reference
        booking = next(iter(fulfil.pre_advices(pre_advice.id).delivery_bookings.list()))
        print("booked", delivery_reference, "for", booking.attributes.delivery_date)

        # 4. The consumer announces the delivery: one pallet holding one carton.
        carton = LogisticsUnit(
            reference=f"CTN-{tag}",
            reference_type=LogisticsUnitReferenceType.OTHER,
            type=LogisticsUnitType.CARTON,
            logistics_units=[],
            inventory_items=[
                LogisticsUnitItem(
                    consumer_reference=item.attributes.consumer_reference,
                    inventory_item=item_reference,
                    quantity=24,
                    condition=StockCondition.GOOD,
                    batch_number="L2407A",
                    batch_expiry="2028-07-31",
                )
            ],
        )
        asn = fulfil.asns.create(
            Asn(
                consumer_reference=f"ASN-{tag}",
                delivery_reference=delivery_reference,
                delivery_partners_reference=f"HAUL-{tag}",
                contents=[
                    LogisticsUnit(
                        reference=f"PAL-{tag}",
                        reference_type=LogisticsUnitReferenceType.DELIVERY_REFERENCE,
                        type=LogisticsUnitType.PALLET,
                        logistics_units=[carton],
                        inventory_items=[],
                    )
                ],
                delivery_vehicle=DeliveryVehicle(
                    type=DeliveryVehicleType.VAN, registration_number="MA26 XYZ"
                ),
            )
        )
        print("announced", asn.reference)

        # 5. The warehouse accepts the ASN, receives the goods and writes its receipts.
        inbound = at_provider.asns(asn.id)
        inbound.approval.create(AsnApprovalApproved())
        inbound.progress.create(AsnProgressArrived())
        now = datetime.now(timezone.utc).replace(microsecond=0)
        line = GrnLine(inventory_item=item_reference, quantity=22, condition=StockCondition.GOOD)
        partial = inbound.grns.create(
            Grn(
                receipt_reference=f"GRN-{tag}-1",
                final_receipt=False,
                received_at=now,
                lines=[line],
            )
        )
        inbound.grns.create(
            Grn(
                receipt_reference=f"GRN-{tag}-F",
                final_receipt=True,
                received_at=now,
                lines=[],
                issues=[
                    GrnIssue(
                        description="2 units arrived damaged",
                        inventory_item=item_reference,
                        quantity=2,
                    )
                ],
                partial_receipts=[partial.attributes.receipt_reference],
            )
        )
        inbound.progress.update(AsnProgressFinished())

        # 6. The consumer reads what arrived.
        mine = fulfil.asns(asn.id)
        print("progress", mine.progress.get().attributes.state)
        for receipt in mine.grns.list():
            kind = "final" if receipt.attributes.final_receipt else "partial"
            received = sum(line.quantity for line in receipt.attributes.lines)
            print(kind, "receipt", receipt.attributes.receipt_reference, "received", received)
            issues = receipt.attributes.issues  # NOT_GIVEN on a partial receipt
            for issue in issues if isinstance(issues, list) else []:
                print("  issue:", issue.description)


if __name__ == "__main__":
    main()
