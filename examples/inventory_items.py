"""Create an inventory item, find it with a typed filter, read its approval, replace, delete."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from thg_connect import Client, NotFoundError
from thg_connect.thg_fulfil import (
    ApprovalApproved,
    ApprovalNotApproved,
    InventoryItem,
)
from thg_connect.thg_fulfil import (
    InventoryFilter as F,
)


def main() -> None:
    with Client.from_env() as client:
        items = client.thg_fulfil.inventory
        since = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=1)
        item = items.create(
            InventoryItem(sku="test_sku", name="Amber Dusk eau de parfum 50 ml", mass_g=245)
        )
        print("created", item.reference)
        for found in items.list(filter=(F.created_at >= since) & (F.sku == "test_sku")):
            print("found", found.id, found.attributes.name)
        try:
            approval = items(item.id).approval.get().attributes
        except NotFoundError:
            print("not reviewed yet")
        else:
            if isinstance(approval, ApprovalApproved):
                print("approved")
            elif isinstance(approval, ApprovalNotApproved):
                print("not approved:", approval.reason)
        renamed = items(item.id).update(
            InventoryItem(sku=item.attributes.sku, name=f"Amber Dusk {uuid.uuid4().hex[:4]}")
        )
        print("version", renamed.version)
        items(item.id).delete()
        print("deleted")


if __name__ == "__main__":
    main()
