"""Lenient decoding (issue 14, as openai-python reads responses): a response never fails
because a value breaks a constraint the spec declares, an enum value, state or member is new, or
one record is odd; the odd record keeps its raw data; requests stay strict; what cannot be read
at all is a ``ResponseDecodeError`` (a ``ThgConnectError``), never pydantic's
``ValidationError``. Decoded with the generated models, through the public client."""

from __future__ import annotations

import copy
import json
from typing import Any, Dict, Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from thg_connect.thg_fulfil import InventoryItem
from thg_connect_core import (
    Document,
    ListDocument,
    ResponseDecodeError,
    ThgConnectError,
    lenient_enums,
)
from thg_connect_core._jsonapi import decode

from .client_harness import Harness, ok

PATH = "/api/thg-fulfil/v1/brandco/inventory"


def record(i: int, **attributes: Any) -> Dict[str, Any]:
    attrs: Dict[str, Any] = {
        "consumerReference": f"SKU-{i}",
        "title": f"Item {i}",
        "description": f"Test item {i}",
        "type": "test",
        "barcodes": [{"barcode": f"BC-{i}", "type": "ean"}],
        "dimensions": {"depth": 1, "height": 2, "mass": 0.25, "width": 3},
        "batchControlled": False,
    }
    attrs.update(attributes)
    return {
        "id": f"id{i}",
        "type": "thg-fulfil:inventory",
        "attributes": attrs,
        "meta": {"owner": "brandco"},
    }


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    yield Harness(request.param)


def test_broken_constraints_decode_as_sent(h: Harness) -> None:
    odd = record(
        2,
        consumerReference="far too long " * 10,  # breaks maxLength
        dimensions={"depth": 0, "height": 2, "mass": -1, "width": 3},  # breaks exclusiveMinimum
        barcodes=[{"barcode": "B-1", "type": "QR Code"}],  # breaks the type's pattern
        defaultCountryOfOrigin="GBR",  # breaks the pattern
        harmonizedSystemCode="610910",  # 6 digits where the reference says 12
    )
    h.server.default = ok({"data": [record(1), odd, record(3)], "links": {"next": None}})
    page = h.request("GET", PATH, cast_to=ListDocument[InventoryItem])
    assert [r.id for r in page.data] == ["id1", "id2", "id3"]
    first, second, third = page.data
    assert first.decode_error is None and third.decode_error is None
    assert isinstance(second.attributes, InventoryItem)
    assert str(second.attributes.consumer_reference).startswith("far too long")
    assert second.attributes.dimensions.mass == -1
    assert second.attributes.default_country_of_origin == "GBR"
    assert second.attributes.harmonized_system_code == "610910"
    (barcode,) = second.attributes.barcodes
    assert barcode.type == "QR Code" and barcode.barcode == "B-1"
    assert second.decode_error is not None and "consumerReference" in second.decode_error
    assert second.raw_data == odd  # the record exactly as sent
    assert third.raw_data["attributes"]["consumerReference"] == "SKU-3"


def test_an_odd_record_never_fails_the_page(h: Harness) -> None:
    # S1's list sample renders attributes as an array holding one object; another record has
    # no attributes at all and a third a number where an object belongs.
    weird = [
        dict(record(2), attributes=[{"title": "cd"}]),
        {k: v for k, v in record(3).items() if k != "attributes"},
        dict(record(4), meta=17),
    ]
    h.server.default = ok({"data": [record(1), *weird, record(5)]})
    page = h.request("GET", PATH, cast_to=ListDocument[InventoryItem])
    assert [r.id for r in page.data] == ["id1", "id2", "id3", "id4", "id5"]
    assert page.data[1].raw_data["attributes"] == [{"title": "cd"}]
    # The array's one object is read as the attributes (S1's rendering), leniently.
    assert isinstance(page.data[1].attributes, InventoryItem)
    assert page.data[1].attributes.title == "cd"
    assert page.data[3].raw_data["meta"] == 17
    assert isinstance(page.data[4].attributes, InventoryItem)


def test_a_record_that_is_not_an_object_is_left_out_with_a_warning(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h.server.default = ok({"data": [record(1), 17, "x", None, record(2)]})
    page = h.request("GET", PATH, cast_to=ListDocument[InventoryItem])
    assert [r.id for r in page.data] == ["id1", "id2"]
    assert "not a resource object" in caplog.text
    assert page.raw_response is not None and b"17" in page.raw_response.http_response.content


def test_one_record_where_a_page_belongs_is_a_page_of_one(h: Harness) -> None:
    h.server.default = ok({"data": record(1)})
    page = h.request("GET", PATH, cast_to=ListDocument[InventoryItem])
    assert [r.attributes.consumer_reference for r in page.data] == ["SKU-1"]


def test_unknown_members_are_kept(h: Harness) -> None:
    h.server.default = ok({"data": record(1, sku="12345"), "jsonapi": {"v": "1"}})
    doc = h.request("GET", f"{PATH}/id1", cast_to=Document[InventoryItem])
    assert doc.data.attributes.model_extra == {"sku": "12345"}


def test_requests_stay_strict() -> None:
    good = record(1)["attributes"]
    InventoryItem.model_validate(good)
    with pytest.raises(ValidationError):
        InventoryItem.model_validate({**good, "harmonizedSystemCode": "610910"})
    with pytest.raises(ValidationError):
        InventoryItem.model_validate({**good, "barcodes": [{"barcode": "B", "type": "QR Code"}]})


@pytest.mark.parametrize(
    "body",
    [b"<html>502 Bad Gateway</html>", b"[1, 2]", b'{"meta": {}}', b'"text"', b'{"data": 17}'],
)
def test_what_cannot_be_read_is_a_thg_connect_error(h: Harness, body: bytes) -> None:
    h.server.default = httpx.Response(200, content=body)
    with pytest.raises(ResponseDecodeError) as info:
        h.request("GET", PATH, cast_to=ListDocument[InventoryItem])
    assert isinstance(info.value, ThgConnectError)
    with pytest.raises(ResponseDecodeError):
        h.request("GET", f"{PATH}/id1", cast_to=Document[InventoryItem])
    assert not isinstance(info.value, ValidationError)


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
FIELDS = ["consumerReference", "title", "description", "barcodes", "dimensions", "hazmatCode"]


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(
    changes=st.dictionaries(st.sampled_from(FIELDS + ["extra"]), json_values, max_size=4),
    where=st.sampled_from(["attributes", "meta", "record", "id"]),
)
def test_any_odd_record_decodes_beside_good_ones(changes: Dict[str, Any], where: str) -> None:
    odd: Any = record(2)
    if where == "attributes":
        odd["attributes"].update(changes)
    elif where == "meta":
        odd["meta"] = changes or None
    elif where == "record":
        odd = changes  # anything at all in place of a resource object
    else:
        odd["id"] = changes.get("title", 7)
    body = {"data": [record(1), copy.deepcopy(odd), record(3)]}
    with lenient_enums():  # as every call reads its response
        page = decode(json.dumps(body), ListDocument[InventoryItem])
    assert len(page.data) == 3
    first, third = page.data[0].attributes, page.data[2].attributes
    assert first.consumer_reference == "SKU-1" and third.consumer_reference == "SKU-3"
    middle = page.data[1]
    if middle.decode_error is not None:
        assert middle.raw_data == odd
