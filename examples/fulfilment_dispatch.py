"""A fulfilment request through dispatch: the consumer orders, the provider reports back.

It acts as both sides of the partnership, so it needs two sets of credentials: the consumer's
(THG_CLIENT_ID, THG_CLIENT_SECRET, THG_OWNER: brandco in the sandbox) and its provider's
(THG_PROVIDER_CLIENT_ID, THG_PROVIDER_CLIENT_SECRET, THG_PROVIDER_OWNER: thg). The request lives
in the consumer's path and the provider writes its approval there; the provider's dispatched
parcels live in the provider's own path, under the request's id, where the consumer reads them.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone

from thg_connect import Client
from thg_connect.thg_fulfil import (
    Address,
    CourierService,
    Dispatched,
    DispatchedLine,
    FulfilmentRequest,
    FulfilmentRequestApproved,
    FulfilmentRequestLine,
    StockCondition,
    Tracking,
)


def provider_from_env() -> Client:
    return Client.from_env(
        client_id=os.environ["THG_PROVIDER_CLIENT_ID"],
        client_secret=os.environ["THG_PROVIDER_CLIENT_SECRET"],
        owner=os.environ["THG_PROVIDER_OWNER"],
    )


def main() -> None:
    with Client.from_env() as consumer, provider_from_env() as provider:
        # The consumer hands over a customer order.
        order = consumer.thg_fulfil.fulfilment_requests.create(
            FulfilmentRequest(
                order_id=f"ORD-{uuid.uuid4().hex[:8]}",
                delivery_address=Address(
                    name="Ada Lovelace",
                    address_line1="1 Analytical Row",
                    city="London",
                    postal_code="N1 9GU",
                    country_code="GB",
                ),
                lines=[FulfilmentRequestLine(line_id="1", sku="BRC-EDP-50", quantity=2)],
            )
        )
        print("requested", order.reference)

        # The provider approves it in the consumer's path...
        request = provider.for_owner(consumer.owner).thg_fulfil.fulfilment_requests(order.id)
        request.approval.create(
            FulfilmentRequestApproved(provider_reference=f"PRV-{uuid.uuid4().hex[:6].upper()}")
        )
        # ...and reports the parcel in its own path, under the request's id.
        now = datetime.now(timezone.utc).replace(microsecond=0)
        parcel = provider.thg_fulfil.fulfilment_requests(order.id).dispatched.create(
            Dispatched(
                courier_service=CourierService(name="Evri", service="Next day"),
                dispatched_date=now,
                lines=[
                    DispatchedLine(
                        line_id="1",
                        expected_quantity=2,
                        dispatched_quantity=2,
                        condition=StockCondition.GOOD,
                    )
                ],
                tracking=Tracking(number=f"HZ{uuid.uuid4().hex[:10].upper()}"),
            )
        )
        print("dispatched", parcel.reference)

        # The consumer reads it back: the approval in its path, the parcels in the provider's.
        approval = consumer.thg_fulfil.fulfilment_requests(order.id).approval.get().attributes
        if isinstance(approval, FulfilmentRequestApproved):
            print("approved as", approval.provider_reference)
        at_provider = consumer.for_owner(provider.owner).thg_fulfil.fulfilment_requests(order.id)
        for found in at_provider.dispatched.list():
            print(
                "parcel", found.attributes.tracking.number, "sent", found.attributes.dispatched_date
            )


if __name__ == "__main__":
    main()
