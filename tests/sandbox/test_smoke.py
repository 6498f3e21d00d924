from __future__ import annotations

from .conftest import FULFIL, Org, item


def test_create_and_get_inventory_item(brandco: Org) -> None:
    created = brandco.post(f"{FULFIL}/brandco/inventory", json=item("SMOKE-1"))
    assert created.status_code == 200, created.text
    body = created.json()["data"]
    assert body["type"] == "thg-fulfil:inventory"
    assert body["version"] == "1"
    got = brandco.get(f"{FULFIL}/brandco/inventory/{body['id']}")
    assert got.status_code == 200
    assert got.json()["data"] == body
    assert got.headers["x-request-id"]
