"""Upload a safety data sheet (streamed from disk) and reference it from a hazmat item."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from thg_connect import Client
from thg_connect.thg_fulfil import InventoryItem


def main() -> None:
    with Client.from_env() as client, tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / "sds.pdf"
        sheet.write_bytes(b"%PDF-1.7 example safety data sheet\n")
        reference = client.document.upload(sheet)
        print("uploaded", reference)
        item = client.thg_fulfil.inventory.create(
            InventoryItem(
                sku=f"HAZ-{uuid.uuid4().hex[:8]}",
                name="Perfume",
                hazmat=True,
                un_number="UN1266",
                hazmat_documentation=reference,
            )
        )
        print("hazmat item", item.id, "documented by", item.attributes.hazmat_documentation)


if __name__ == "__main__":
    main()
