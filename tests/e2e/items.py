"""A valid inventory item for end-to-end tests: every attribute the rendered reference
requires, keyed on its SKU (`consumerReference`), so a test names only what it is about."""

from __future__ import annotations

from typing import Any

from thg_connect.thg_fulfil import Barcode, Dimensions, InventoryItem


def inventory_item(sku: str, **extra: Any) -> InventoryItem:
    fields: dict[str, Any] = {
        "consumer_reference": sku,
        "title": f"Item {sku}",
        "description": f"Test item {sku}",
        "type": "test",
        "barcodes": [Barcode(barcode=f"BC-{sku}", type="ean")],
        "dimensions": Dimensions(depth=1.5, height=2, mass=0.25, width=3),
        "batch_controlled": False,
        **extra,
    }
    return InventoryItem(**fields)
