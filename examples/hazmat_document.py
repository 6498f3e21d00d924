"""Upload a safety data sheet (streamed from disk) and reference it from a hazmat item."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from thg_connect import Client
from thg_connect.thg_fulfil import Barcode, Dimensions, InventoryItem


def main() -> None:
    with Client.from_env() as client, tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / "sds.pdf"
        sheet.write_bytes(b"%PDF-1.7 example safety data sheet\n")
        reference = client.document.upload(sheet)
        print("uploaded", reference)
        item = client.thg_fulfil.inventory.create(
            InventoryItem(
                consumer_reference=f"HAZ-{uuid.uuid4().hex[:8]}",
                title="Perfume",
                description="Flammable liquid in a glass bottle",
                type="fragrance",
                barcodes=[Barcode(barcode="5056379512345", type="ean")],
                dimensions=Dimensions(depth=4, height=12, mass=0.245, width=6.5),
                batch_controlled=True,
                hazmat_code="1266",  # the UN number, without the UN prefix
                hazmat_documentation=reference,
            )
        )
        print("hazmat item", item.id, "documented by", item.attributes.hazmat_documentation)


if __name__ == "__main__":
    main()
