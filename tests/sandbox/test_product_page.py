"""The Product API page's own examples, verbatim, against the spec's own models (issue 14).

Source: the older Ingenuity API's "Using Product API" page (recovered S27,
https://api-documentation-web-app.tnorf.icekube.ics.cloud/product; `platform-docs/product-api.txt`):

    "An example product is given below, where the top level product is a "summer dress" which
    conforms to the "product_model" product model; this "summer dress" then has a collection of
    colour variations [...] Each colour varitaion, for example "purple summer dress", conforms to
    its own product model [...]"

    "Then the final level is a non-content product [...] (vInventory class within the API
    reference documentation) [...] vInventory example can be seen below:"

    "Every non-content product [...] will have a unique "sku" [...] A list of available
    regions/country as well as required currencies for that region will be provided by THG."

The two JSON texts below are copied from that page character for character. The product models
are the spec's own (`createProductModel`'s examples in specs/product.yaml), not the test's.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from thg_spec import Product

from .conftest import Org, doc, errors, pointers

BASE = "/api/product/v1/brandco"

PAGE_PRODUCT = json.loads(
    '{"name": "summer dress", "modelName": "dress", "modelVersion": "0.1", "attributes": {}, '
    '"variants": [{"name": "purple summer dress", "modelName": "coloured_dress", '
    '"modelVersion": "0.1", "attributes": {"title": "Purple Summer dress"}, "variants": '
    '[{"sku": "30493049304903", "barcode": {"EAN": "93849384398493"}, "prices": {"DE": '
    '{"EUR": 30.99, "GBP": 27.99}}, "mass_g": 45, "height_mm": 32, "width_mm": 24, '
    '"length_mm": 13, "countryOfOrigin": "GB", "harmonizedSystemCode": "839402943859", '
    '"variantType": {"size": "38"}}], "variantType": {"colour": "purple"}}]}'
)
PAGE_VINVENTORY = json.loads(
    '{"sku": "30493049304903", "barcode": {"EAN": "93849384398493"}, "prices": {"DE": '
    '{"EUR": 30.99, "GBP": 27.99}}, "mass_g": 45, "height_mm": 32, "width_mm": 24, '
    '"length_mm": 13, "countryOfOrigin": "GB", "harmonizedSystemCode": "839402943859", '
    '"variantType": {"size": "38"}}'
)
LEAF_POINTER = "/data/attributes/variants/0/variants/0"


def _product_spec(products: list[Product]) -> Product:
    return next(p for p in products if p.name == "product")


def _examples(spec: Product, path: str, method: str) -> dict[str, Any]:
    media = spec.document["paths"][path][method]["requestBody"]["content"]["application/json"]
    return {name: example["value"] for name, example in media["examples"].items()}


def _price_table(spec: Product) -> dict[str, list[str]]:
    prices = spec.document["components"]["schemas"]["VInventory"]["properties"]["prices"]
    table: dict[str, list[str]] = prices["x-thg-price-regions"]
    return table


def page_product(sku: str | None = None, prices: Any = None) -> dict[str, Any]:
    attributes = copy.deepcopy(PAGE_PRODUCT)
    leaf = attributes["variants"][0]["variants"][0]
    if sku is not None:
        leaf["sku"] = sku
    if prices is not None:
        leaf["prices"] = prices
    return doc("product:product", attributes)


@pytest.fixture(scope="module", autouse=True)
def spec_models(brandco: Org, products: list[Product]) -> None:
    models = _examples(_product_spec(products), "/api/product/v1/{owner}/product-model", "post")
    assert {m["data"]["attributes"]["name"] for m in models.values()} == {"dress", "coloured_dress"}
    for body in models.values():
        response = brandco.post(f"{BASE}/product-model", json=body)
        assert response.status_code == 201, response.text


def test_the_spec_quotes_the_page(products: list[Product]) -> None:
    spec = _product_spec(products)
    schemas = spec.document["components"]["schemas"]
    assert schemas["VInventory"]["examples"][0] == PAGE_VINVENTORY
    created = _examples(spec, "/api/product/v1/{owner}/product", "post")["summerDress"]
    assert created["data"]["attributes"] == PAGE_PRODUCT
    assert PAGE_PRODUCT["variants"][0]["variants"][0] == PAGE_VINVENTORY


def test_the_pages_summer_dress_is_accepted_verbatim(brandco: Org) -> None:
    response = brandco.post(f"{BASE}/product", json=doc("product:product", PAGE_PRODUCT))
    assert response.status_code == 201, response.text
    stored = response.json()["data"]["attributes"]
    assert stored == PAGE_PRODUCT
    assert stored["variants"][0]["variants"][0] == PAGE_VINVENTORY


@pytest.mark.parametrize("sku", ["UNIQ-1", 'Ünï "q\\1/€'], ids=["ascii", "escaped-unicode"])
def test_a_sku_is_unique_across_products(brandco: Org, sku: str) -> None:
    first = brandco.post(f"{BASE}/product", json=page_product(sku))
    assert first.status_code == 201, first.text
    again = brandco.post(f"{BASE}/product", json=page_product(sku))
    assert again.status_code == 422, again.text
    assert pointers(again) == {f"{LEAF_POINTER}/sku"}
    assert "already used by another product of brandco" in errors(again)[0]["detail"]
    # Replacing the product that holds it keeps it; another sku is free.
    path = f"{BASE}/product/{first.json()['data']['id']}"
    assert brandco.put(path, json=page_product(sku)).status_code == 200
    assert brandco.post(f"{BASE}/product", json=page_product(sku + "-2")).status_code == 201


def test_a_sku_twice_in_one_product_is_refused(brandco: Org) -> None:
    body = page_product("TWICE-1")
    leaves = body["data"]["attributes"]["variants"][0]["variants"]
    leaves.append({**copy.deepcopy(leaves[0]), "variantType": {"size": "40"}})
    response = brandco.post(f"{BASE}/product", json=body)
    assert response.status_code == 422, response.text
    assert pointers(response) == {"/data/attributes/variants/0/variants/1/sku"}
    assert "used twice" in errors(response)[0]["detail"]


def test_every_published_region_with_its_currencies_is_accepted(
    brandco: Org, products: list[Product]
) -> None:
    table = _price_table(_product_spec(products))
    assert table["DE"] == ["EUR"] and table["GB"] == ["GBP"]
    prices = {region: {c: 10.5 for c in currencies} for region, currencies in table.items()}
    response = brandco.post(f"{BASE}/product", json=page_product("ALL-REGIONS", prices))
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("prices", "pointer", "says"),
    [
        ({"XX": {"EUR": 1.0}}, "/prices/XX", "not a region THG sells in"),
        ({"DE": {"GBP": 27.99}}, "/prices/DE/EUR", "must include EUR"),
        ({"GB": {"GBP": 2.0}, "US": {"GBP": 2.0}}, "/prices/US/USD", "must include USD"),
    ],
    ids=["unknown-region", "missing-currency", "one-bad-region"],
)
def test_regions_and_their_currencies_are_enforced(
    brandco: Org, prices: dict[str, Any], pointer: str, says: str
) -> None:
    response = brandco.post(f"{BASE}/product", json=page_product("REGION-BAD", prices))
    assert response.status_code == 422, response.text
    found = errors(response)
    assert [e["source"]["pointer"] for e in found] == [LEAF_POINTER + pointer]
    assert says in found[0]["detail"] and found[0]["detail"].startswith("variants[0].variants[0]")
