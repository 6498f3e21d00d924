"""Events by long polling: subscribe, change items, poll, handle each event, confirm it.

Delivery is at least once: an event not confirmed within 30 s comes back with a new receipt
handle, so a handler dedupes on ``event.key`` (the change), never on the handle.
"""

from __future__ import annotations

import time
import uuid

from thg_connect import Client
from thg_connect.events import Subscription
from thg_connect.thg_fulfil import Barcode, Dimensions, InventoryItem


def candle(sku: str, title: str) -> InventoryItem:
    return InventoryItem(
        consumer_reference=sku,
        title=title,
        description="A soy wax candle in a glass jar",
        type="home",
        barcodes=[Barcode(barcode=sku, type="ean")],
        dimensions=Dimensions(depth=8, height=10, mass=0.4, width=8),
        batch_controlled=False,
    )


def main() -> None:
    with Client.from_env() as client:
        name = f"poller-{uuid.uuid4().hex[:8]}"
        subscription = client.events.subscriptions.create(
            name, Subscription(entity_types=["thg-fulfil:inventory"])
        )
        print("subscribed", subscription.id)

        # Cause three changes: two creates and a delete (inventory items are immutable).
        items = client.thg_fulfil.inventory
        tag = uuid.uuid4().hex[:8]
        item = items.create(candle(f"EV-{tag}-1", "Candle"))
        items.create(candle(f"EV-{tag}-2", "Scented candle"))
        items(item.id).delete()

        seen: set[str] = set()
        deadline = time.monotonic() + 60
        events = client.events.subscriptions(name)
        while len(seen) < 3 and time.monotonic() < deadline:
            for event in events.poll(wait_time_seconds=5, max_events=10):
                if event.key not in seen:  # a redelivery of a handled change: just confirm it
                    seen.add(event.key)
                    handled = event.entity_as(InventoryItem)
                    print(event.action, event.reference, handled.consumer_reference, handled.title)
                events.confirm(receipt_handle=event.receipt_handle)
        print("handled", len(seen), "events")
        events.delete()


if __name__ == "__main__":
    main()
