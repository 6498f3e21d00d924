"""An advance shipping notice (ASN) and its receipt: the provider announces stock on its way to
the consumer, the consumer answers with what arrived.

ASNs flow provider → consumer: they live in the provider's path, the provider writes them and
the consumer writes each one's `receipt` status. It acts as both sides, so it needs two sets of
credentials: the consumer's (THG_CLIENT_ID, THG_CLIENT_SECRET, THG_OWNER: brandco in the sandbox)
and its provider's (THG_PROVIDER_CLIENT_ID, THG_PROVIDER_CLIENT_SECRET, THG_PROVIDER_OWNER: thg).
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone

from thg_connect import Client
from thg_connect.thg_fulfil import (
    Address,
    Asn,
    AsnFilter,
    AsnLine,
    AsnPurpose,
    ReceiptDiscrepancy,
    ReceiptReceived,
    ReceiptReceivedWithDiscrepancies,
    ReceiptRejected,
    StockCondition,
)


def provider_from_env() -> Client:
    return Client.from_env(
        client_id=os.environ["THG_PROVIDER_CLIENT_ID"],
        client_secret=os.environ["THG_PROVIDER_CLIENT_SECRET"],
        owner=os.environ["THG_PROVIDER_OWNER"],
    )


def main() -> None:
    with Client.from_env() as consumer, provider_from_env() as provider:
        # The provider announces a return to vendor, in its own path.
        now = datetime.now(timezone.utc).replace(microsecond=0)
        number = f"ASN-{uuid.uuid4().hex[:8].upper()}"
        asn = provider.thg_fulfil.asns.create(
            Asn(
                asn_number=number,
                purpose=AsnPurpose.RETURN_TO_VENDOR,
                ship_from_warehouse="MAN1",
                ship_to=Address(
                    name="BrandCo goods-in",
                    address_line1="2 Dock Road",
                    city="Leeds",
                    postal_code="LS1 4AP",
                    country_code="GB",
                ),
                shipped_at=now,
                expected_arrival=now + timedelta(days=2),
                lines=[
                    AsnLine(
                        line_id="1", sku="BRC-EDP-50", quantity=24, condition=StockCondition.GOOD
                    ),
                    AsnLine(
                        line_id="2", sku="BRC-EDP-100", quantity=6, condition=StockCondition.DAMAGED
                    ),
                ],
            )
        )
        print("announced", asn.reference)

        # The consumer finds it in its provider's path and books it in.
        asns = consumer.for_owner(provider.owner).thg_fulfil.asns
        for found in asns.list(filter=AsnFilter.asn_number == number):
            print("arriving", found.attributes.asn_number, "lines", len(found.attributes.lines))
            asns(found.id).receipt.create(
                ReceiptReceivedWithDiscrepancies(
                    received_at=datetime.now(timezone.utc).replace(microsecond=0),
                    discrepancies=[
                        ReceiptDiscrepancy(line_id="2", received_quantity=5, note="one missing")
                    ],
                )
            )

        # The provider reads the consumer's receipt.
        receipt = provider.thg_fulfil.asns(asn.id).receipt.get().attributes
        if isinstance(receipt, ReceiptReceived):
            print("received in full")
        elif isinstance(receipt, ReceiptReceivedWithDiscrepancies):
            for line in receipt.discrepancies:
                print("received with discrepancies: line", line.line_id, line.received_quantity)
        elif isinstance(receipt, ReceiptRejected):
            print("rejected:", receipt.reason)


if __name__ == "__main__":
    main()
