"""Create an inventory item, find it with a typed filter, read its approval and stock, delete it.

Inventory items are immutable on the platform: to change one, delete it and create it again.
Against the sandbox, a SKU ending `011` is approved by the `sandbox` provider and stocked.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from thg_connect import Client, NotFoundError
from thg_connect.thg_fulfil import (
    ApprovalApproved,
    ApprovalRejected,
    ApprovalValid,
    Barcode,
    Dimensions,
    InventoryItem,
    StockLevelFilter,
)
from thg_connect.thg_fulfil import (
    InventoryFilter as F,
)


def main() -> None:
    with Client.from_env() as client:
        items = client.thg_fulfil.inventory
        since = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=1)
        sku = f"BRC-EDP-{uuid.uuid4().hex[:6]}-011"
        item = items.create(
            InventoryItem(
                consumer_reference=sku,
                title="Amber Dusk eau de parfum 50 ml",
                description="Glass spray bottle in a rigid gift box",
                type="fragrance",
                barcodes=[Barcode(barcode="5056379512345", type="ean")],
                dimensions=Dimensions(depth=4, height=12, mass=0.245, width=6.5),
                batch_controlled=True,
            )
        )
        print("created", item.reference)
        for found in items.list(filter=(F.created_at >= since) & (F.consumer_reference == sku)):
            print("found", found.id, found.attributes.title)
        try:
            approval = items(item.id).approval.get().attributes
        except NotFoundError:
            print("not checked yet")
        else:
            if isinstance(approval, ApprovalApproved):
                print("approved, provider reference", approval.provider_reference)
            elif isinstance(approval, ApprovalRejected):
                print("rejected:", approval.reason, approval.message)
            elif isinstance(approval, ApprovalValid):
                print("valid, awaiting the provider")
        stocked = StockLevelFilter.inventory_item == str(item.reference)
        for level in client.thg_fulfil.stock_levels.list(filter=stocked):
            stock = level.attributes
            print("stock", stock.quantity, stock.condition, "at", stock.warehouse_reference)
        items(item.id).delete()
        print("deleted")


if __name__ == "__main__":
    main()
