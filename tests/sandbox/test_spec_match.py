"""Issue 16, "a sandbox that matches its specs": what Schemathesis found, one test per finding.

Each test sends what a generic OpenAPI tool sends and checks the answer is the one the spec
documents: a 422 with a pointer at the failing field for a bad body (never a 500, never a 201),
an `Allow` header naming every method of the path on a 405.
"""

from __future__ import annotations

from typing import Any

import pytest

from thg_sandbox.behaviours.unique_keys import unique_keys
from thg_sandbox.validation import SchemaSet, check_attributes
from thg_spec import Product

from .conftest import FULFIL, Org, doc, errors, item, item_attributes, pointers
from .helpers import fulfilment_request

ITEMS = f"{FULFIL}/brandco/inventory"
EVENTS = "/api/events/v1"
DOCUMENTS = "/api/document/v1"


def _statuses(products: list[Product]) -> list[tuple[Product, Any]]:
    return [(p, e) for p in products for e in p.entities if e.kind == "status"]


@pytest.mark.parametrize("state", [{}, [], {"a": 1}, ["APPROVED"]], ids=["{}", "[]", "obj", "list"])
def test_unhashable_state_is_a_422_on_state_for_every_status(
    products: list[Product], state: Any
) -> None:
    """Was a 500: the discriminator's mapping was looked up with an unhashable value."""
    found = _statuses(products)
    assert len(found) == 6
    for product, entity in found:
        result = check_attributes(SchemaSet(product.document), entity.schema, {"state": state})
        assert [e.pointer for e in result.errors] == ["/data/attributes/state"], entity.name
        assert "must be one of" in result.errors[0].detail


@pytest.mark.parametrize("state", [{}, []], ids=["{}", "[]"])
def test_unhashable_state_over_http_post_and_put(brandco: Org, thg: Org, state: Any) -> None:
    item_id = brandco.post(ITEMS, json=item(f"SM-ST-{type(state).__name__}")).json()["data"]["id"]
    path = f"{ITEMS}/{item_id}/approval"
    posted = thg.post(path, json=doc("thg-fulfil:inventory.approval", {"state": state}))
    assert posted.status_code == 422, posted.text
    assert pointers(posted) == {"/data/attributes/state"}
    set_ = thg.post(
        path,
        json=doc(
            "thg-fulfil:inventory.approval", {"state": "APPROVED", "providerReference": "PROV-1"}
        ),
    )
    assert set_.status_code == 201, set_.text
    put = thg.put(path, json=doc("thg-fulfil:inventory.approval", {"state": state}))
    assert put.status_code == 422, put.text
    assert pointers(put) == {"/data/attributes/state"}


def test_subscription_without_attributes_is_a_422(brandco: Org) -> None:
    """Was a 201: missing `data.attributes` was read as `{}`, yet every request schema requires
    it."""
    body = {"data": {"type": "events:subscription", "id": "sm-no-attributes"}}
    response = brandco.post(f"{EVENTS}/brandco/subscription", json=body)
    assert response.status_code == 422, response.text
    assert pointers(response) == {"/data/attributes"}
    assert errors(response)[0]["detail"] == "attributes is required"
    body = {"data": {"type": "thg-fulfil:inventory"}}
    response = brandco.post(ITEMS, json=body)
    assert response.status_code == 422, response.text
    assert pointers(response) == {"/data/attributes"}


@pytest.mark.parametrize(
    "path",
    [
        f"{EVENTS}/brandco/subscription",
        f"{DOCUMENTS}/brandco/document",
        f"{FULFIL}/brandco/inventory",
    ],
)
def test_405_allows_every_method_of_the_path(brandco: Org, path: str) -> None:
    """Was `Allow: POST`: an extension's POST route shadowed the generic GET of the same path."""
    response = brandco.request("PATCH", path)
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "POST"} <= allowed, allowed
    assert errors(response)[0]["code"] == "MethodNotAllowed"


def _money_schemas() -> SchemaSet:
    return SchemaSet(
        {
            "components": {
                "schemas": {
                    "Money": {
                        "type": "object",
                        "required": ["amount"],
                        "properties": {"amount": {"type": "number", "multipleOf": 0.01}},
                    },
                    "Priced": {
                        "type": "object",
                        "properties": {
                            "price": {
                                "anyOf": [{"$ref": "#/components/schemas/Money"}, {"type": "null"}]
                            },
                            "listPrice": {
                                "oneOf": [{"$ref": "#/components/schemas/Money"}, {"type": "null"}]
                            },
                            "netPrice": {
                                "type": ["object", "null"],
                                "properties": {"amount": {"type": "number", "minimum": 0}},
                            },
                        },
                    },
                }
            }
        }
    )


def test_multiple_of_is_exact_decimal_arithmetic() -> None:
    """Was 1,363 of the 9,999 prices 0.01-99.99 refused (0.29 / 0.01 = 28.999999999999996)."""
    schemas = _money_schemas()
    refused = [
        cents
        for cents in range(1, 10_000)
        if check_attributes(schemas, "/components/schemas/Money", {"amount": cents / 100}).errors
    ]
    assert refused == []
    for good in (0, 1, 12.5, -3.07, 1e20):
        assert not check_attributes(schemas, "/components/schemas/Money", {"amount": good}).errors
    bad = check_attributes(schemas, "/components/schemas/Money", {"amount": 0.295})
    assert [(e.pointer, e.detail) for e in bad.errors] == [
        ("/data/attributes/amount", "amount must be a multiple of 0.01")
    ]


@pytest.mark.parametrize("field", ["price", "listPrice", "netPrice"])
def test_nullable_object_errors_point_at_the_failing_field(field: str) -> None:
    """Was `<field> must be null` on the object: the null branch's complaint, not the field's."""
    schemas = _money_schemas()
    value = {"amount": "ten"} if field != "netPrice" else {"amount": -1}
    result = check_attributes(schemas, "/components/schemas/Priced", {field: value})
    assert [e.pointer for e in result.errors] == [f"/data/attributes/{field}/amount"]
    assert "null" not in result.errors[0].detail
    missing = check_attributes(schemas, "/components/schemas/Priced", {"price": {}})
    assert [(e.pointer, e.detail) for e in missing.errors] == [
        ("/data/attributes/price/amount", "price.amount is required")
    ]
    assert not check_attributes(schemas, "/components/schemas/Priced", {field: None}).errors
    wrong = check_attributes(schemas, "/components/schemas/Priced", {field: 3})
    assert [e.pointer for e in wrong.errors] == [f"/data/attributes/{field}"]


@pytest.mark.parametrize(
    "body",
    [
        {"client_id": "x", "client_secret": "y", "grant_type": "password", "audience": "a"},
        {"grant_type": "client_credentials"},
        ["not", "an", "object"],
    ],
    ids=["unsupported_grant_type", "invalid_request", "not-an-object"],
)
def test_token_400_is_documented_in_every_spec(
    brandco: Org, products: list[Product], body: Any
) -> None:
    """Was in no spec: a generic tool saw an undocumented status on the token endpoint."""
    response = brandco.http.post("/oauth/token", json=body)
    assert response.status_code == 400
    for product in products:
        documented = product.document["paths"]["/oauth/token"]["post"]["responses"]["400"]
        schema = documented["content"]["application/json"]["schema"]
        validator = SchemaSet(product.document).validator(schema["$ref"][1:])
        assert not list(validator.iter_errors(response.json())), product.name
    assert response.json()["error"] in ("invalid_request", "unsupported_grant_type")


def _open_objects(schemas: SchemaSet, raw: Any, where: str, seen: set[str]) -> list[str]:
    """Object schemas a request's attributes reach that declare members yet admit others."""
    key = raw["$ref"] if isinstance(raw, dict) and "$ref" in raw else where
    schema = schemas.deref(raw)
    if key in seen or not isinstance(schema, dict) or schema.get("readOnly"):
        return []
    seen.add(key)
    closed = schema.get("additionalProperties") is not None or (
        schema.get("unevaluatedProperties") is False
    )
    found = [key] if "properties" in schema and not closed else []
    subs = [(f"{key}/properties/{k}", s) for k, s in (schema.get("properties") or {}).items()]
    for name in ("items", "additionalProperties"):
        if isinstance(schema.get(name), dict):
            subs.append((f"{key}/{name}", schema[name]))
    for name in ("oneOf", "anyOf", "allOf"):
        subs.extend((f"{key}/{name}/{i}", s) for i, s in enumerate(schema.get(name) or []))
    for sub_where, sub in subs:
        found.extend(_open_objects(schemas, sub, sub_where, seen))
    return found


def test_request_attribute_objects_are_closed_in_the_schemas(products: list[Product]) -> None:
    """CONVENTIONS §6 ("unknown attributes are a 422") said in the schemas, so a third-party
    validator refuses what the sandbox refuses."""
    for product in products:
        schemas = SchemaSet(product.document)
        written = [
            e
            for e in product.entities
            if any(op.role in ("create", "replace") for op in e.operations)
        ]
        for entity in written:
            assert _open_objects(schemas, {"$ref": "#" + entity.schema}, "", set()) == [], entity
    fulfil = next(p for p in products if p.name == "thg-fulfil")
    schemas = SchemaSet(fulfil.document)
    attributes = item_attributes("X", barcodes=[{"barcode": "1", "type": "ean", "x": 1}])
    found = list(schemas.validator("/components/schemas/InventoryItem").iter_errors(attributes))
    assert [e.validator for e in found] == ["additionalProperties"]


def test_unique_keys_come_from_the_specs(products: list[Product]) -> None:
    """Was hard-coded (sku, orderId): now whatever `x-thg-unique: true` marks (THG028)."""
    found = {}
    for product in products:
        found.update(unique_keys(product, SchemaSet(product.document)))
    assert found == {
        "thg-fulfil:inventory": ["consumerReference"],
        "thg-fulfil:fulfilment-request": ["orderId"],
        "product:product": ["sku"],  # each vInventory leaf's, nested in the variant tree
        "thg-fulfil:pre-advice": ["consumerReference"],
        "thg-fulfil:pre-advice.delivery-booking": ["deliveryReference"],
        "thg-fulfil:asn.grn": ["receiptReference"],
    }


def test_a_repeated_order_id_is_a_422_on_it(brandco: Org) -> None:
    requests = f"{FULFIL}/brandco/fulfilment-request"
    assert brandco.post(requests, json=fulfilment_request("SM-ORD-1")).status_code == 200
    again = brandco.post(requests, json=fulfilment_request("SM-ORD-1"))
    assert again.status_code == 422, again.text
    assert pointers(again) == {"/data/attributes/orderId"}


def test_links_let_a_generic_tool_walk_the_hierarchy(products: list[Product]) -> None:
    """Was none: Schemathesis's stateful phase reached 0 nested operations. Each create's
    success response (201, or 200 where the platform answers so) links every operation below
    what it created (and its lookup) on the same owner path, with every path parameter taken
    from the request's path or the created `data.id`."""
    counts = {}
    for product in products:
        by_id = {
            op.operation_id: op for e in product.entities for op in e.operations if op.operation_id
        }
        paths = product.document["paths"]
        counts[product.name] = 0
        for entity in product.entities:
            for op in entity.operations:
                if op.role != "create":
                    continue
                source = paths[op.path][op.method.lower()]
                links = source["responses"][str(op.success_status)].get("links", {})
                counts[product.name] += len(links)
                params = {p.strip("{}") for p in op.path.split("/") if p.startswith("{")}
                for name, link in links.items():
                    target = by_id[link["operationId"]]
                    wanted = {p.strip("{}") for p in target.path.split("/") if p.startswith("{")}
                    assert set(link["parameters"]) == wanted, name
                    for value in link["parameters"].values():
                        assert value == "$response.body#/data/id" or (
                            value.startswith("$request.path.")
                            and value.removeprefix("$request.path.") in params
                        ), (name, value)
    assert counts == {"thg-fulfil": 61, "product": 9, "document": 2, "events": 4}
