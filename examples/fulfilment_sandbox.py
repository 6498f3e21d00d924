"""The sandbox provider's fulfilment-request scenarios: the delivery address's name decides.

With `sandbox` among the consumer's providers (it is, for brandco, in the local sandbox and in
the platform's sandbox organisation), a request addressed to `sandbox accept`, `sandbox reject`,
`sandbox dispatch` or `sandbox partial-dispatch` is answered at once: its approval is set and,
for the two dispatch scenarios, `sandbox` reports a parcel on its own path under the request's
id. Consumer credentials only (THG_CLIENT_ID, THG_CLIENT_SECRET, THG_OWNER: brandco).
"""

from __future__ import annotations

import uuid

from thg_connect import Client
from thg_connect.thg_fulfil import (
    Address,
    FulfilmentRequest,
    FulfilmentRequestApproved,
    FulfilmentRequestLine,
    FulfilmentRequestRejected,
)

SCENARIOS = ("sandbox accept", "sandbox reject", "sandbox dispatch", "sandbox partial-dispatch")


def main() -> None:
    with Client.from_env() as consumer:
        for scenario in SCENARIOS:
            order = consumer.thg_fulfil.fulfilment_requests.create(
                FulfilmentRequest(
                    order_id=f"ORD-{uuid.uuid4().hex[:8]}",
                    delivery_address=Address(
                        name=scenario,
                        address_line1="1 Test Street",
                        city="Leeds",
                        country_code="GB",
                    ),
                    lines=[
                        FulfilmentRequestLine(line_id="1", sku="BRC-EDP-50", quantity=1),
                        FulfilmentRequestLine(line_id="2", sku="BRC-EDP-100", quantity=2),
                    ],
                )
            )
            approval = consumer.thg_fulfil.fulfilment_requests(order.id).approval.get().attributes
            if isinstance(approval, FulfilmentRequestApproved):
                verdict = f"approved as {approval.provider_reference}"
            elif isinstance(approval, FulfilmentRequestRejected):
                verdict = f"rejected: {approval.message}"
            else:
                verdict = f"in state {approval.state}"
            # The parcels live on the provider's path: read them there as its consumer.
            at_sandbox = consumer.for_owner("sandbox").thg_fulfil.fulfilment_requests(order.id)
            sent = [
                (line.line_id, line.dispatched_quantity)
                for parcel in at_sandbox.dispatched.list()
                for line in parcel.attributes.lines
            ]
            print(f"{scenario}: {verdict}; dispatched lines {sent}")


if __name__ == "__main__":
    main()
