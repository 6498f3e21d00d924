"""THG032: `x-thg-price-regions` (region -> required currencies) is a well-formed table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from thg_spec.validation import validate_paths
from thg_spec.validation.rules_price_regions import EXTENSION, table_problems

from .broken_specs import VALID

NAME = "        name: {type: string, minLength: 1}"
SPEC_TABLE = Path(__file__).resolve().parents[2] / "specs" / "product.yaml"


def _thg029(tmp_path: Path, member: str) -> list[str]:
    text = VALID.read_text(encoding="utf-8")
    assert text.count(NAME) == 1
    path = tmp_path / "mini.yaml"
    path.write_text(text.replace(NAME, NAME + "\n" + member), encoding="utf-8")
    return [f"{d.pointer}: {d.message}" for d in validate_paths([path])[1] if d.rule == "THG032"]


def test_a_well_formed_table_is_valid(tmp_path: Path) -> None:
    member = "        prices: {type: object, x-thg-price-regions: {GB: [GBP], DE: [EUR, GBP]}}"
    assert _thg029(tmp_path, member) == []


@pytest.mark.parametrize(
    ("table", "where", "says"),
    [
        ("{gb: [GBP]}", "/gb", "not an ISO 3166-1 alpha-2 code"),
        ("{GB: []}", "/GB", "must list the currencies"),
        ("{GB: [pounds]}", "/GB/0", "not an ISO 4217 code"),
        ("{DE: [EUR, EUR]}", "/DE/1", "lists EUR twice"),
        ("[GB]", "", "non-empty mapping"),
    ],
)
def test_a_malformed_table_is_thg029_at_its_member(
    tmp_path: Path, table: str, where: str, says: str
) -> None:
    found = _thg029(tmp_path, f"        prices: {{type: object, x-thg-price-regions: {table}}}")
    assert len(found) == 1 and says in found[0], found
    pointer = found[0].split(": ")[0]
    assert pointer.endswith(f"/prices/x-thg-price-regions{where}"), pointer


def test_the_table_belongs_on_an_object(tmp_path: Path) -> None:
    found = _thg029(tmp_path, "        prices: {type: string, x-thg-price-regions: {GB: [GBP]}}")
    assert len(found) == 1 and "object schema" in found[0], found


UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
REGIONS = st.text(alphabet=UPPER, min_size=2, max_size=2)
CURRENCIES = st.lists(
    st.text(alphabet=UPPER, min_size=3, max_size=3),
    min_size=1,
    max_size=4,
    unique=True,
)


@given(st.dictionaries(REGIONS, CURRENCIES, min_size=1, max_size=8))
def test_every_well_formed_table_passes(table: dict[str, list[str]]) -> None:
    assert table_problems({"type": "object", EXTENSION: table}) == []


@given(
    st.dictionaries(REGIONS, CURRENCIES, min_size=1, max_size=4),
    st.one_of(REGIONS, st.text(max_size=4), st.integers()),
    st.one_of(st.text(alphabet=UPPER, min_size=3, max_size=3), st.text(max_size=5), st.none()),
)
def test_a_bad_code_is_always_reported(table: dict[str, Any], region: Any, currency: Any) -> None:
    def code(value: Any, size: int) -> bool:
        return isinstance(value, str) and len(value) == size and set(value) <= set(UPPER)

    mixed = {**table, region: ["GBP", currency]}
    problems = table_problems({"type": "object", EXTENSION: mixed})
    assert bool(problems) == (not code(region, 2) or not code(currency, 3) or currency == "GBP")


def test_the_product_spec_publishes_a_valid_table() -> None:
    spec = yaml.safe_load(SPEC_TABLE.read_text(encoding="utf-8"))
    prices = spec["components"]["schemas"]["VInventory"]["properties"]["prices"]
    assert table_problems(prices) == [] and prices[EXTENSION]["DE"] == ["EUR"]
    # The client's docstring is the description: it lists the table, so the two must agree.
    listed = re.search(r"\(`x-thg-price-regions`\):\s*(.*?)\.\s", prices["description"], re.S)
    assert listed is not None
    described: dict[str, list[str]] = {}
    for group in listed.group(1).split(";"):
        regions, currencies = group.split(":")
        for region in regions.split(","):
            described[region.strip()] = currencies.split()
    assert described == prices[EXTENSION]
