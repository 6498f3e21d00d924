"""A fulfilment request through dispatch: the consumer orders, the provider reports back.

It acts as both sides of the partnership, so it needs two sets of credentials: the consumer's
(THG_CLIENT_ID, THG_CLIENT_SECRET, THG_OWNER: brandco in the sandbox) and its provider's
(THG_PROVIDER_CLIENT_ID, THG_PROVIDER_CLIENT_SECRET, THG_PROVIDER_OWNER: thg). The request lives
in the consumer's path; the provider writes its status, its dispatched parcels and their
delivery status there.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone

from thg_connect import Client
from thg_connect.thg_fulfil import (
    Address,
    CourierService,
    DeliveryDelivered,
    DeliveryInTransit,
    Dispatched,
    DispatchedLine,
    FulfilmentRequest,
    FulfilmentRequestLine,
    FulfilmentStatusDispatched,
    FulfilmentStatusPicking,
    FulfilmentStatusReceived,
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
                ship_to=Address(
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

        # The provider works on it, in the consumer's path.
        request = provider.for_owner(consumer.owner).thg_fulfil.fulfilment_requests(order.id)
        request.fulfilment_status.create(FulfilmentStatusReceived(warehouse="MAN1"))
        request.fulfilment_status.update(FulfilmentStatusPicking())
        now = datetime.now(timezone.utc).replace(microsecond=0)
        parcel = request.dispatched.create(
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
        request.fulfilment_status.update(FulfilmentStatusDispatched(dispatched_at=now))
        delivery = request.dispatched(parcel.id).delivery
        delivery.create(DeliveryInTransit(last_known_location="Manchester hub"))
        delivery.update(DeliveryDelivered(delivered_at=now, signed_by="A. Lovelace"))
        print("dispatched", parcel.reference)

        # The consumer reads it back: the request's status, each parcel and its delivery.
        mine = consumer.thg_fulfil.fulfilment_requests(order.id)
        status = mine.fulfilment_status.get().attributes
        if isinstance(status, FulfilmentStatusDispatched):
            print("status DISPATCHED at", status.dispatched_at)
        for found in mine.dispatched.list():
            tracking = found.attributes.tracking.number
            state = mine.dispatched(found.id).delivery.get().attributes
            if isinstance(state, DeliveryDelivered):
                print("parcel", tracking, "delivered, signed by", state.signed_by)
            else:
                print("parcel", tracking, "not delivered yet:", state.state)


if __name__ == "__main__":
    main()
