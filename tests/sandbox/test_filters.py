"""GET ALL: the filter language as SQL (typed comparisons) and paging."""

from __future__ import annotations

from typing import Any

import pytest

from thg_sandbox.clock import ManualClock

from .conftest import FULFIL, Org, errors, item
from .helpers import fulfilment_request

ITEMS = f"{FULFIL}/brandco/inventory"
REQUESTS = f"{FULFIL}/brandco/fulfilment-request"


@pytest.fixture(scope="module")
def stock(brandco: Org, clock: ManualClock) -> list[dict[str, Any]]:
    """Twelve items created a minute apart, with varied attributes."""
    created = []
    for n in range(12):
        size = {"depth": 1, "height": 1, "mass": 100 + n * 10, "width": 1}
        extra: dict[str, Any] = {"dimensions": size, "batchControlled": n % 3 == 0}
        if n % 2:
            extra["hazmatCode"] = f"{1000 + n}"
        if n == 5:
            extra["title"] = "O'Brien's gift"
        response = brandco.post(ITEMS, json=item(f"F-{n:02d}", **extra))
        assert response.status_code == 200, response.text
        created.append(response.json()["data"])
        clock.advance(60)
    return created


def skus(brandco: Org, text: str, size: int = 100) -> list[str]:
    response = brandco.get(ITEMS, params={"filter": text, "page[size]": size})
    assert response.status_code == 200, response.text
    return [d["attributes"]["consumerReference"] for d in response.json()["data"]]


def test_strings_and_boolean_logic(brandco: Org, stock: list[dict[str, Any]]) -> None:
    assert skus(brandco, "consumerReference = 'F-03'") == ["F-03"]
    assert skus(
        brandco, "consumerReference ='F-01' or consumerReference ='F-02' AND batchControlled=true"
    ) == ["F-01"]
    assert skus(
        brandco, "(consumerReference ='F-01' or consumerReference ='F-03') and batchControlled=true"
    ) == ["F-03"]
    assert skus(brandco, "consumerReference >= 'F-10'") == ["F-10", "F-11"]
    assert skus(brandco, "title = 'O''Brien''s gift'") == ["F-05"]
    assert skus(brandco, "title = \u2018O'Brien's gift\u2019") == ["F-05"]
    assert len(skus(brandco, "consumerReference != 'F-00'")) == 11


def test_numbers_compare_numerically(brandco: Org, stock: list[dict[str, Any]]) -> None:
    assert skus(brandco, "dimensions.mass > 190") == ["F-10", "F-11"]
    assert skus(brandco, "dimensions.mass <= 100.5") == ["F-00"]
    assert skus(brandco, "dimensions.mass = 1.1e2") == ["F-01"]


def test_null_tests_absence(brandco: Org, stock: list[dict[str, Any]]) -> None:
    assert len(skus(brandco, "hazmatCode = null")) == 6
    assert skus(brandco, "hazmatCode != null and dimensions.mass < 140") == ["F-01", "F-03"]


def test_meta_dates_compare_as_instants(brandco: Org, stock: list[dict[str, Any]]) -> None:
    sixth = stock[6]["meta"]["createdAt"][:19]  # yyyy-mm-ddThh:mm:ss, fraction dropped
    assert skus(brandco, f"createdAt > '{sixth}'") == [f"F-{n:02d}" for n in range(6, 12)]
    assert skus(brandco, f"createdAt < '{sixth}'") == [f"F-{n:02d}" for n in range(6)]
    assert skus(brandco, f"id = '{stock[2]['id']}' and owner = 'brandco'") == ["F-02"]
    assert skus(brandco, "creator = 'thg'") == []


def test_attribute_date_times_honour_their_offsets(brandco: Org) -> None:
    early = fulfilment_request("ORD-F1", orderedAt="2026-02-11T09:30:00+01:00")  # 08:30 UTC
    late = fulfilment_request("ORD-F2", orderedAt="2026-02-11T09:00:00+00:00")
    for body in (early, late):
        assert brandco.post(REQUESTS, json=body).status_code == 200
    response = brandco.get(REQUESTS, params={"filter": "orderedAt < '2026-02-11T09:00:00'"})
    assert [d["attributes"]["orderId"] for d in response.json()["data"]] == ["ORD-F1"]
    response = brandco.get(REQUESTS, params={"filter": "orderedAt = '2026-02-11T08:30:00'"})
    assert [d["attributes"]["orderId"] for d in response.json()["data"]] == ["ORD-F1"]
    nested = brandco.get(REQUESTS, params={"filter": "deliveryAddress.city = 'Leeds'"})
    assert len(nested.json()["data"]) == 2


@pytest.mark.parametrize(
    ("text", "position"),
    [("sku = ", 6), ("sku == 'x'", 5), ("(sku = 'x'", 10), ("sku = 'x' and", 13), ("= 'x'", 0)],
)
def test_malformed_filters_are_400_with_the_position(
    brandco: Org, text: str, position: int
) -> None:
    response = brandco.get(ITEMS, params={"filter": text})
    assert response.status_code == 400
    error = errors(response)[0]
    assert error["source"] == {"parameter": "filter"}
    assert f"at position {position}" in error["detail"]


def test_unknown_and_mistyped_fields_are_400(brandco: Org) -> None:
    response = brandco.get(ITEMS, params={"filter": "colour = 'red'"})
    assert response.status_code == 400
    assert "'colour'" in errors(response)[0]["detail"]
    assert brandco.get(ITEMS, params={"filter": "dimensions.mass = 'heavy'"}).status_code == 400
    assert brandco.get(ITEMS, params={"filter": "barcodes = 'x'"}).status_code == 400
    assert brandco.get(ITEMS, params={"filter": "createdAt > 'yesterday'"}).status_code == 400


def test_paging(brandco: Org, stock: list[dict[str, Any]]) -> None:
    every = skus(brandco, "consumerReference >= 'F-'")
    assert every == [f"F-{n:02d}" for n in range(12)]  # createdAt order
    first = brandco.get(ITEMS, params={"filter": "consumerReference >= 'F-'"})
    assert len(first.json()["data"]) == 10  # default size
    assert first.json()["meta"]["page"] == {"number": 1, "size": 10}
    assert "next" in first.json()["links"]
    seen = []
    for number in range(1, 5):
        page = brandco.get(
            ITEMS,
            params={"filter": "consumerReference >= 'F-'", "page[size]": 5, "page[number]": number},
        ).json()
        seen.append([d["attributes"]["consumerReference"] for d in page["data"]])
    assert [len(p) for p in seen] == [5, 5, 2, 0]
    assert sum(seen, []) == every


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("page[size]", "0"),
        ("page[size]", "101"),
        ("page[size]", "x"),
        ("page[number]", "0"),
        ("page[number]", "-1"),
    ],
)
def test_bad_page_parameters_are_400(brandco: Org, name: str, value: str) -> None:
    response = brandco.get(ITEMS, params={name: value})
    assert response.status_code == 400
    assert errors(response)[0]["source"] == {"parameter": name}


@pytest.mark.parametrize("value", ["1000001", "99999999999999999999999", "0000000000005000000"])
def test_a_page_past_the_end_is_empty_however_far(brandco: Org, value: str) -> None:
    response = brandco.get(ITEMS, params={"page[number]": value})
    assert response.status_code == 200 and response.json()["data"] == []


def test_leading_zeros_are_the_same_number(brandco: Org) -> None:
    plain = brandco.get(ITEMS, params={"page[number]": "1", "page[size]": "2"}).json()["data"]
    padded = brandco.get(ITEMS, params={"page[number]": "0000000000001", "page[size]": "02"})
    assert padded.status_code == 200 and padded.json()["data"] == plain
