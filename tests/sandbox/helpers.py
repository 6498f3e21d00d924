"""Request bodies for the thg-fulfil entities the tests create."""

from __future__ import annotations

from typing import Any

from .conftest import doc


def fulfilment_request(order_id: str, **extra: Any) -> dict[str, Any]:
    return doc(
        "thg-fulfil:fulfilment-request",
        {
            "orderId": order_id,
            "deliveryAddress": {
                "name": "Amelia Hart",
                "addressLine1": "14 Albion St",
                "city": "Leeds",
                "countryCode": "GB",
            },
            "lines": [{"lineId": "1", "sku": "SKU-1", "quantity": 2}],
            **extra,
        },
    )


def dispatched(**extra: Any) -> dict[str, Any]:
    return doc(
        "thg-fulfil:fulfilment-request.dispatched",
        {
            "courierService": {"name": "Evri", "service": "Packet"},
            "dispatchedDate": "2026-02-11T00:00:00+00:00",
            "lines": [
                {"lineId": "1", "expectedQuantity": 2, "dispatchedQuantity": 2, "condition": "GOOD"}
            ],
            "tracking": {"number": "HZ1"},
            **extra,
        },
    )
