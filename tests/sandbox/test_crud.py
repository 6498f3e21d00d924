"""Create, read, replace, delete, statuses, lookups and client-chosen ids, over HTTP."""

from __future__ import annotations

import httpx

from thg_connect_core import Reference
from thg_sandbox.server import RunningSandbox

from .conftest import FULFIL, Org, doc, errors, item, item_attributes
from .helpers import dispatched, fulfilment_request

ITEMS = f"{FULFIL}/brandco/inventory"
REQUESTS = f"{FULFIL}/brandco/fulfilment-request"
STOCK = f"{FULFIL}/brandco/stock-level"


def test_create_fills_meta(brandco: Org) -> None:
    response = brandco.post(ITEMS, json=item("CRUD-1", hazmatCode="1266"))
    assert response.status_code == 200  # the spec declares 200, as the platform answers
    data = response.json()["data"]
    meta = data["meta"]
    assert data["attributes"] == item_attributes("CRUD-1", hazmatCode="1266")
    assert meta["creator"] == meta["owner"] == "brandco"
    assert meta["parent"] == {}
    assert meta["product"] == "thg-fulfil"
    assert meta["reference"] == f"thg:thg-fulfil:inventory#brandco@{data['id']}"
    assert Reference.parse(meta["reference"]).id == data["id"]
    assert len(meta["createdAt"]) == len("2026-02-11T13:09:43.710356")
    assert "+" not in meta["createdAt"] and meta["createdAt"] == meta["updatedAt"]


def test_inventory_items_are_immutable(brandco: Org) -> None:
    created = brandco.post(ITEMS, json=item("CRUD-IMM")).json()["data"]
    body = item("CRUD-IMM", title="Renamed")
    body["data"]["id"] = created["id"]
    refused = brandco.put(f"{ITEMS}/{created['id']}", json=body)
    assert refused.status_code == 405, refused.text
    assert errors(refused)
    assert brandco.get(f"{ITEMS}/{created['id']}").json()["data"]["attributes"]["title"] == (
        "Item CRUD-IMM"
    )


def stock_level(reference: str, **extra: object) -> dict[str, object]:
    attributes = {
        "inventoryItem": reference,
        "warehouseReference": "MAN-02",
        "condition": "GOOD",
        "quantity": 10,
        **extra,
    }
    return doc("thg-fulfil:stock-level", attributes)


def test_put_replaces_everything_and_bumps_the_version(brandco: Org, thg: Org) -> None:
    reference = brandco.post(ITEMS, json=item("CRUD-2")).json()["data"]["meta"]["reference"]
    created = thg.post(STOCK, json=stock_level(reference, consumerReference="CRUD-2"))
    assert created.status_code == 200, created.text
    level = created.json()["data"]
    path = f"{STOCK}/{level['id']}"
    body = stock_level(reference, quantity=7)
    body["data"]["id"] = level["id"]
    replaced = thg.put(path, json=body)
    assert replaced.status_code == 200, replaced.text
    data = replaced.json()["data"]
    assert data["version"] == "2"
    assert "consumerReference" not in data["attributes"] and data["attributes"]["quantity"] == 7
    assert data["meta"]["createdAt"] == level["meta"]["createdAt"]
    assert data["meta"]["updatedAt"] >= level["meta"]["updatedAt"]
    assert data["meta"]["creator"] == "thg"
    assert thg.put(path, json=stock_level(reference)).json()["data"]["version"] == "3"
    assert brandco.get(path).json()["data"]["version"] == "3"
    assert brandco.put(path, json=stock_level(reference)).status_code == 403  # provider writes
    wrong = stock_level(reference)
    wrong["data"]["id"] = "someone-else"  # type: ignore[index]
    mismatch = thg.put(path, json=wrong)
    assert mismatch.status_code == 422 and errors(mismatch)[0]["source"]["pointer"] == "/data/id"


def test_delete_takes_children_along(brandco: Org, thg: Org) -> None:
    """The request's statuses on its own path, and its parcels on the provider's path."""
    request_id = brandco.post(REQUESTS, json=fulfilment_request("ORD-DEL")).json()["data"]["id"]
    parcels = f"{FULFIL}/thg/fulfilment-request/{request_id}/dispatched"
    parcel = thg.post(parcels, json=dispatched())
    assert parcel.status_code == 200, parcel.text
    parcel_id = parcel.json()["data"]["id"]
    meta = parcel.json()["data"]["meta"]
    assert meta["parent"] == {"thg-fulfil:fulfilment-request": request_id}
    assert meta["owner"] == meta["creator"] == "thg"
    assert meta["reference"] == f"thg:thg-fulfil:fulfilment-request.dispatched#thg@{parcel_id}"
    cancel = doc(
        "thg-fulfil:fulfilment-request.cancellation", {"state": "REQUESTED", "reason": "x"}
    )
    status = brandco.post(f"{REQUESTS}/{request_id}/cancellation", json=cancel)
    assert status.status_code == 200, status.text
    status_id = status.json()["data"]["id"]
    assert brandco.delete(f"{REQUESTS}/{request_id}").status_code == 204
    assert brandco.get(f"{REQUESTS}/{request_id}").status_code == 404
    assert thg.get(f"{FULFIL}/thg/fulfilment-request.dispatched/{parcel_id}").status_code == 404
    lookup = f"{FULFIL}/brandco/fulfilment-request.cancellation/{status_id}"
    assert brandco.get(lookup).status_code == 404
    assert brandco.delete(f"{REQUESTS}/{request_id}").status_code == 404


def test_child_paths_check_their_parents(brandco: Org, thg: Org, sandbox: RunningSandbox) -> None:
    """A parcel lives on its provider's path under the id of a request of that provider's
    consumer: another request's id, an unknown id, or the consumer's own path is a 404."""
    first = brandco.post(REQUESTS, json=fulfilment_request("ORD-P1")).json()["data"]["id"]
    second = brandco.post(REQUESTS, json=fulfilment_request("ORD-P2")).json()["data"]["id"]
    on_thg = f"{FULFIL}/thg/fulfilment-request"
    parcel = thg.post(f"{on_thg}/{first}/dispatched", json=dispatched()).json()["data"]["id"]
    assert brandco.get(f"{on_thg}/{first}/dispatched/{parcel}").status_code == 200
    assert brandco.get(f"{on_thg}/{second}/dispatched/{parcel}").status_code == 404
    assert thg.post(f"{on_thg}/missing/dispatched", json=dispatched()).status_code == 404
    listed = brandco.get(f"{on_thg}/{first}/dispatched").json()["data"]
    assert [p["id"] for p in listed] == [parcel]
    assert brandco.get(f"{on_thg}/{second}/dispatched").json()["data"] == []
    # Another provider's path holds none of thg's parcels.
    with Org(sandbox, "sandbox") as sandbox_org:
        on_sandbox = f"{FULFIL}/sandbox/fulfilment-request/{first}/dispatched"
        assert sandbox_org.get(on_sandbox).json()["data"] == []
    # The consumer writes no parcel, on the provider's path nor its own.
    assert brandco.post(f"{on_thg}/{first}/dispatched", json=dispatched()).status_code == 403
    # On its own path the direction rule answers first: a pure consumer's path holds no parcels.
    own = brandco.post(f"{REQUESTS}/{first}/dispatched", json=dispatched())
    assert own.status_code == 403, own.text
    assert "written by the provider" in own.json()["errors"][0]["detail"]
    # The provider corrects and deletes its parcel where it lives; the consumer may not.
    item_path = f"{on_thg}/{first}/dispatched/{parcel}"
    relabelled = dispatched(tracking={"number": "HZ2"})
    relabelled["data"]["id"] = parcel
    assert brandco.put(item_path, json=relabelled).status_code == 403
    replaced = thg.put(item_path, json=relabelled)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["data"]["attributes"]["tracking"] == {"number": "HZ2"}
    assert brandco.get(f"{FULFIL}/thg/fulfilment-request.dispatched/{parcel}").status_code == 200
    assert brandco.delete(item_path).status_code == 403
    assert thg.delete(item_path).status_code == 204
    assert brandco.get(item_path).status_code == 404


def test_statuses(brandco: Org, thg: Org) -> None:
    item_id = brandco.post(ITEMS, json=item("CRUD-ST")).json()["data"]["id"]
    path = f"{ITEMS}/{item_id}/approval"
    assert brandco.get(path).status_code == 404
    rejected = doc(
        "thg-fulfil:inventory.approval",
        {"state": "REJECTED", "reason": "OTHER", "message": "No barcode"},
    )
    assert thg.put(path, json=rejected).status_code == 404  # PUT before set
    created = thg.post(path, json=rejected)
    assert created.status_code == 201
    status = created.json()["data"]
    assert status["type"] == "thg-fulfil:inventory.approval"
    again = thg.post(path, json=rejected)
    assert again.status_code == 409
    assert errors(again)[0]["code"] == "Conflict"
    approved = doc(
        "thg-fulfil:inventory.approval",
        {"state": "APPROVED", "providerReference": "PROV-1"},
        id=status["id"],
    )
    changed = thg.put(path, json=approved)
    assert changed.status_code == 200
    assert changed.json()["data"]["attributes"] == {
        "state": "APPROVED",
        "providerReference": "PROV-1",
    }
    assert changed.json()["data"]["version"] == "2"
    assert changed.json()["data"]["id"] == status["id"]
    lookup = brandco.get(f"{FULFIL}/brandco/inventory.approval/{status['id']}")
    assert lookup.status_code == 200
    assert lookup.json()["data"]["meta"]["reference"] == (
        f"thg:thg-fulfil:inventory.approval#brandco@{status['id']}"
    )
    assert thg.delete(path).status_code == 204
    assert brandco.get(path).status_code == 404
    assert thg.post(path, json=rejected).status_code == 201  # settable again


def test_client_chosen_ids(brandco: Org, thg: Org) -> None:
    path = "/api/events/v1/brandco/subscription"
    body = doc("events:subscription", {"entityTypes": ["thg-fulfil:inventory"]}, id="mysub")
    created = brandco.post(path, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["data"]["id"] == "mysub"
    taken = brandco.post(path, json=body)
    assert taken.status_code == 409
    # Ids are per owner: another organisation may use the same one on its own path.
    other = doc("events:subscription", {}, id="mysub")
    assert thg.post("/api/events/v1/thg/subscription", json=other).status_code == 201
    missing = brandco.post(path, json=doc("events:subscription", {}))
    assert missing.status_code == 422
    assert errors(missing)[0]["source"]["pointer"] == "/data/id"
    assert brandco.get(f"{path}/mysub").json()["data"]["id"] == "mysub"


def test_document_references_use_the_short_form(brandco: Org) -> None:
    created = brandco.post(
        "/api/document/v1/brandco/document", json=doc("document:document", {"filename": "a.pdf"})
    ).json()["data"]
    assert created["meta"]["reference"] == f"thg:document:brandco@{created['id']}"
    upload = created["attributes"]["upload"]  # only uploaded documents may be referenced
    files = {"file": ("a.pdf", b"%PDF")}
    assert httpx.post(upload["url"], data=upload["fields"], files=files).status_code == 204
    hazmat = item("CRUD-HZ", hazmatCode="1266", hazmat_documentation=created["meta"]["reference"])
    assert brandco.post(ITEMS, json=hazmat).status_code == 200
    dangling = item("CRUD-HZ2", hazmat_documentation="thg:document:brandco@does-not-exist")
    response = brandco.post(ITEMS, json=dangling)
    assert response.status_code == 422
    assert errors(response)[0]["source"]["pointer"] == "/data/attributes/hazmat_documentation"
