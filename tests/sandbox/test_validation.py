"""422 documents with one error per failing field, 400 for malformed bodies, never a traceback."""

from __future__ import annotations

from typing import Any

from .conftest import FULFIL, Org, doc, errors, item, item_attributes, pointers
from .helpers import fulfilment_request

ITEMS = f"{FULFIL}/brandco/inventory"
REQUESTS = f"{FULFIL}/brandco/fulfilment-request"


def test_one_error_per_failing_field(brandco: Org) -> None:
    attributes = item_attributes("VAL-1", title="", defaultCountryOfOrigin="gb", colour="red")
    del attributes["batchControlled"]
    attributes["dimensions"] = {"depth": -1, "height": "tall", "mass": 1, "width": 1}
    attributes["harmonizedSystemCode"] = "330300"  # the platform wants exactly 12 digits
    response = brandco.post(ITEMS, json=doc("thg-fulfil:inventory", attributes))
    assert response.status_code == 422
    found = {e["source"]["pointer"]: e for e in errors(response)}
    assert set(found) == {
        "/data/attributes/batchControlled",
        "/data/attributes/title",
        "/data/attributes/dimensions/depth",
        "/data/attributes/dimensions/height",
        "/data/attributes/defaultCountryOfOrigin",
        "/data/attributes/harmonizedSystemCode",
        "/data/attributes/colour",
    }
    assert found["/data/attributes/batchControlled"]["detail"] == "batchControlled is required"
    assert (
        found["/data/attributes/dimensions/depth"]["detail"]
        == "dimensions.depth must be greater than 0"
    )
    assert (
        found["/data/attributes/dimensions/height"]["detail"]
        == "dimensions.height must be a number"
    )
    assert "not a known attribute" in found["/data/attributes/colour"]["detail"]
    assert all(e["code"] == "RequestValidationError" for e in found.values())


def test_nested_pointers(brandco: Org) -> None:
    body = fulfilment_request("ORD-V1")
    body["data"]["attributes"]["lines"].append({"lineId": "2", "sku": "SKU-2", "quantity": 0})
    body["data"]["attributes"]["deliveryAddress"]["countryCode"] = "Great Britain"
    del body["data"]["attributes"]["deliveryAddress"]["city"]
    response = brandco.post(REQUESTS, json=body)
    assert response.status_code == 422
    assert pointers(response) == {
        "/data/attributes/lines/1/quantity",
        "/data/attributes/deliveryAddress/countryCode",
        "/data/attributes/deliveryAddress/city",
    }


def test_status_states(brandco: Org, thg: Org) -> None:
    item_id = brandco.post(ITEMS, json=item("VAL-ST")).json()["data"]["id"]
    path = f"{ITEMS}/{item_id}/approval"
    no_reason = thg.post(path, json=doc("thg-fulfil:inventory.approval", {"state": "REJECTED"}))
    assert no_reason.status_code == 422
    assert pointers(no_reason) == {"/data/attributes/reason"}
    unknown = thg.post(path, json=doc("thg-fulfil:inventory.approval", {"state": "MAYBE"}))
    assert unknown.status_code == 422
    assert pointers(unknown) == {"/data/attributes/state"}


def test_type_must_match(brandco: Org) -> None:
    body = item("VAL-T")
    body["data"]["type"] = "thg-fulfil:asn"
    response = brandco.post(ITEMS, json=body)
    assert response.status_code == 422
    assert pointers(response) == {"/data/type"}
    response = brandco.post(ITEMS, json={"data": "nope"})
    assert response.status_code == 422
    assert pointers(response) == {"/data"}


def test_unique_business_keys_are_422(brandco: Org) -> None:
    assert brandco.post(ITEMS, json=item("VAL-U")).status_code == 200
    again = brandco.post(ITEMS, json=item("VAL-U"))
    assert again.status_code == 422
    assert pointers(again) == {"/data/attributes/consumerReference"}
    # No SKU at all is allowed (the platform's consumerReference is optional), and is no key.
    for n in (1, 2):
        unkeyed = item_attributes(f"VAL-N{n}", consumerReference=None)
        created = brandco.post(ITEMS, json=doc("thg-fulfil:inventory", unkeyed))
        assert created.status_code == 200, created.text


def test_read_only_attributes_are_ignored(brandco: Org) -> None:
    created = brandco.post(
        "/api/document/v1/brandco/document",
        json=doc("document:document", {"filename": "x.pdf", "status": "AVAILABLE"}),
    )
    assert created.status_code == 201, created.text
    # The server sets the status (documents start AWAITING_UPLOAD); the client's is ignored.
    assert created.json()["data"]["attributes"]["status"] == "AWAITING_UPLOAD"


def test_malformed_json_is_400(brandco: Org) -> None:
    response = brandco.post(
        ITEMS, content=b'{"data": {', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert errors(response)[0]["code"] == "MalformedJson"
    assert brandco.post(ITEMS, content=b"").status_code == 400
    assert brandco.post(ITEMS, json=[1, 2]).status_code == 400


def test_garbage_never_yields_a_traceback(brandco: Org) -> None:
    for body in (b"\xff\xfe\x00garbage", b"null", b'{"data": {"attributes": [1]}}', b"9" * 5000):
        response = brandco.post(ITEMS, content=body)
        assert 400 <= response.status_code < 500, body
        assert "Traceback" not in response.text
        errors(response)
    deep: dict[str, Any] = {"data": {"type": "thg-fulfil:inventory", "attributes": {"title": "X"}}}
    node: Any = deep["data"]["attributes"]
    for _ in range(200):
        node["barcodes"] = [{"type": "ean", "barcode": "1"}]
        node = node["barcodes"][0]
    response = brandco.post(ITEMS, json=deep)
    assert response.status_code == 422
    too_big = brandco.post(ITEMS, content=b"[" + b" " * (2 * 1024 * 1024) + b"]")
    assert too_big.status_code == 413
    errors(too_big)
