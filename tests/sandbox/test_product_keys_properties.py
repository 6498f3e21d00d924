"""Property tests of the product checks' walkers: where unique keys are found in a variant
tree, and which price regions and currencies are refused."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from thg_sandbox.behaviours.product_models import price_region_errors
from thg_sandbox.behaviours.unique_keys import keys_in
from thg_sandbox.validation import SchemaSet
from thg_sandbox.validation.documents import pointer_of
from thg_spec.pipeline import load_products

from .conftest import SPECS

PRODUCT = next(p for p in load_products(SPECS) if p.name == "product")
SCHEMAS = SchemaSet(PRODUCT.document)
ROOT = {"$ref": "#/components/schemas/Product"}
SKUS = st.text(alphabet="ABC123-", min_size=1, max_size=6)


def _leaf(sku: str) -> dict[str, Any]:
    return {"sku": sku, "mass_g": 1, "variantType": {"size": "38"}}


def _content(children: list[Any], sneaky: str) -> dict[str, Any]:
    # A content attribute named `sku` is model data, not a vInventory key.
    return {
        "name": "n",
        "modelName": "m",
        "modelVersion": "1",
        "attributes": {"sku": sneaky},
        "variantType": {"colour": "red"},
        "variants": children,
    }


TREES = st.recursive(
    SKUS.map(_leaf),
    lambda inner: st.builds(_content, st.lists(inner, max_size=3), SKUS),
    max_leaves=12,
)


def _leaf_skus(node: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    if "sku" in node and "variants" not in node:
        return [((*path, "sku"), node["sku"])]
    found = []
    for i, child in enumerate(node.get("variants", [])):
        found += _leaf_skus(child, (*path, "variants", i))
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(TREES, max_size=4), SKUS)
def test_keys_are_exactly_the_leaves_skus(variants: list[Any], sneaky: str) -> None:
    product = {**_content(variants, sneaky), "name": "top"}
    found = sorted((k.path, k.value) for k in keys_in(SCHEMAS, ROOT, product))
    expected = sorted(_leaf_skus(product, ()))
    assert found == expected
    assert all(k.field == "sku" for k in keys_in(SCHEMAS, ROOT, product))


TABLE = {"GB": ("GBP",), "DE": ("EUR",), "US": ("USD",)}
CODES = st.sampled_from(["GB", "DE", "US", "FR", "XX"])
CURRENCIES = st.sampled_from(["GBP", "EUR", "USD", "JPY"])


@given(st.dictionaries(CODES, st.dictionaries(CURRENCIES, st.floats(0.01, 99), max_size=3)))
def test_region_errors_name_each_bad_member(prices: dict[str, dict[str, float]]) -> None:
    path: tuple[str | int, ...] = ("variants", 0, "prices")
    found = {e.pointer for e in price_region_errors(TABLE, prices, path)}
    expected = set()
    for region, by_currency in prices.items():
        if region not in TABLE:
            expected.add(pointer_of((*path, region)))
            continue
        expected |= {pointer_of((*path, region, c)) for c in TABLE[region] if c not in by_currency}
    assert found == expected
    assert price_region_errors(None, prices, path) == []
