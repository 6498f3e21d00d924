"""Products validated against the product model they name (product-api.txt)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from .conftest import Org, doc, errors

BASE = "/api/product/v1"


def model(name: str, available: dict[str, Any], variant_types: list[str]) -> dict[str, Any]:
    return doc(
        "product:product-model",
        {
            "name": name,
            "version": "0.1",
            "availableAttributes": available,
            "variantTypes": variant_types,
        },
    )


LEAF = {
    "sku": "30493049304903",
    "barcode": {"EAN": "93849384398493"},
    "prices": {"DE": {"EUR": 30.99, "GBP": 27.99}},
    "mass_g": 45,
    "height_mm": 32,
    "width_mm": 24,
    "length_mm": 13,
    "countryOfOrigin": "GB",
    "harmonizedSystemCode": "839402943859",
    "variantType": {"size": "38"},
}


def summer_dress() -> dict[str, Any]:
    return doc(
        "product:product",
        {
            "name": "summer dress",
            "modelName": "dress",
            "modelVersion": "0.1",
            "attributes": {"title": "Summer dress"},
            "variants": [
                {
                    "name": "purple summer dress",
                    "modelName": "coloured_dress",
                    "modelVersion": "0.1",
                    "attributes": {"title": "Purple Summer dress"},
                    "variants": [copy.deepcopy(LEAF)],
                    "variantType": {"colour": "purple"},
                }
            ],
        },
    )


@pytest.fixture(scope="module", autouse=True)
def models(brandco: Org, thg: Org) -> None:
    kind = doc(
        "product:attribute-type",
        {
            "name": "colour_name",
            "valueType": "string",
            "constraints": {"allowedValues": ["purple", "red"]},
        },
    )
    assert thg.post(f"{BASE}/thg/attribute-type", json=kind).status_code == 201
    title = {"attributeType": "string", "required": True, "constraints": {"maxLength": 20}}
    for body in (
        model(
            "dress",
            {
                "title": title,
                "weight_g": {"attributeType": "number", "constraints": {"exclusiveMinimum": 0}},
            },
            ["colour"],
        ),
        model(
            "coloured_dress", {"title": title, "shade": {"attributeType": "colour_name"}}, ["size"]
        ),
    ):
        response = brandco.post(f"{BASE}/brandco/product-model", json=body)
        assert response.status_code == 201, response.text


def test_a_conforming_product_is_created(brandco: Org) -> None:
    response = brandco.post(f"{BASE}/brandco/product", json=summer_dress())
    assert response.status_code == 201, response.text
    leaf = response.json()["data"]["attributes"]["variants"][0]["variants"][0]
    assert leaf == LEAF


def test_model_attributes_are_checked_with_bare_pointers(brandco: Org) -> None:
    body = summer_dress()
    attrs = body["data"]["attributes"]
    attrs["attributes"] = {"weight_g": -1, "colour": "red"}
    attrs["variants"][0]["attributes"]["shade"] = "green"
    response = brandco.post(f"{BASE}/brandco/product", json=body)
    assert response.status_code == 422
    found = {(e["source"]["pointer"], e["detail"]) for e in errors(response)}
    assert ("weight_g", "weight_g must be a number greater than 0") in found
    assert ("title", "title is required") in found
    assert ("colour", "colour is not an attribute of model 'dress'") in found
    assert any(p == "shade" and d.startswith("variants[0]: shade must be one of") for p, d in found)
    assert all(e["code"] == "RequestValidationError" for e in errors(response))


def test_leaves_follow_the_vinventory_model(brandco: Org) -> None:
    body = summer_dress()
    leaf = body["data"]["attributes"]["variants"][0]["variants"][0]
    leaf["height_mm"] = 0
    del leaf["mass_g"]
    response = brandco.post(f"{BASE}/brandco/product", json=body)
    assert response.status_code == 422
    found = {e["source"]["pointer"]: e["detail"] for e in errors(response)}
    assert found == {
        "height_mm": "variants[0].variants[0]: height_mm must be greater than 0",
        "mass_g": "variants[0].variants[0]: mass_g is required",
    }


def test_unknown_model_and_variant_types(brandco: Org) -> None:
    body = summer_dress()
    body["data"]["attributes"]["modelVersion"] = "9.9"
    response = brandco.post(f"{BASE}/brandco/product", json=body)
    assert response.status_code == 422
    assert [e["source"]["pointer"] for e in errors(response)] == ["modelName"]
    body = summer_dress()
    body["data"]["attributes"]["variants"][0]["variantType"] = {"fabric": "silk"}
    response = brandco.post(f"{BASE}/brandco/product", json=body)
    assert response.status_code == 422
    assert "fabric" in errors(response)[0]["detail"]


def test_structural_errors_keep_json_pointers(brandco: Org) -> None:
    body = summer_dress()
    del body["data"]["attributes"]["variants"][0]["name"]
    body["data"]["attributes"]["extra"] = 1
    response = brandco.post(f"{BASE}/brandco/product", json=body)
    assert response.status_code == 422
    assert {e["source"]["pointer"] for e in errors(response)} == {
        "/data/attributes/variants/0/name",
        "/data/attributes/extra",
    }
