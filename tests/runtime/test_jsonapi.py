"""JSON:API models: decoding documents (unknown members, meta datetimes), encoding bodies."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, Optional

import pytest
from pydantic import BaseModel, ConfigDict, Field

from thg_connect_core._jsonapi import (
    Document,
    ErrorObject,
    Links,
    ListDocument,
    Resource,
    ResourceMeta,
    decode,
    encode_resource,
)


class Item(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    sku: str
    weight_g: Optional[float] = Field(default=None, alias="weightG")
    delivered_at: Optional[datetime] = Field(default=None, alias="deliveredAt")


RESOURCE: Dict[str, Any] = {
    "id": "abc",
    "type": "thg-fulfil/inventory-item",
    "attributes": {"sku": "S1", "weightG": 2.5, "colour": "red"},
    "meta": {
        "createdAt": "2026-02-11T13:09:43.710356",
        "updatedAt": "2026-02-11T00:00:00+00:00",
        "creator": "u1",
        "owner": "acme",
        "parent": {"thg-fulfil/order": "o1"},
        "product": "thg-fulfil",
        "reference": "ref",
        "futureField": 1,
    },
    "version": "1",
    "somethingNew": True,
}


def test_decode_document() -> None:
    content = json.dumps({"data": RESOURCE, "jsonapi": {"version": "1.1"}}).encode()
    doc = decode(content, Document[Item])
    assert doc.data.id == "abc"
    assert doc.data.version == "1"
    assert doc.data.attributes.sku == "S1"
    assert doc.data.attributes.weight_g == 2.5
    meta = doc.data.meta
    assert meta is not None
    assert meta.created_at == datetime(2026, 2, 11, 13, 9, 43, 710356, tzinfo=timezone.utc)
    assert meta.updated_at == datetime(2026, 2, 11, tzinfo=timezone.utc)
    assert meta.parent == {"thg-fulfil/order": "o1"}
    assert meta.owner == "acme"


def test_decode_list_document_with_links() -> None:
    content = json.dumps(
        {"data": [RESOURCE, RESOURCE], "links": {"self": "/x?page[number]=1", "next": None}}
    ).encode()
    doc = decode(content, ListDocument[Item])
    assert len(doc.data) == 2
    assert doc.links is not None
    assert doc.links.self_ == "/x?page[number]=1"
    assert doc.links.next is None


def test_decode_empty_list() -> None:
    doc = decode(b'{"data": []}', ListDocument[Item])
    assert doc.data == []
    assert doc.links is None


def test_decode_with_dict_attributes_and_caching() -> None:
    a = decode(json.dumps({"data": RESOURCE}).encode(), Document[Dict[str, Any]])
    b = decode(json.dumps({"data": RESOURCE}).encode(), Document[Dict[str, Any]])
    assert a.data.attributes["colour"] == "red"
    assert a == b


def test_error_objects() -> None:
    body = {"errors": [{"id": "9", "status": "422", "source": {"pointer": "weight_g"}, "x": 1}]}
    from typing import List

    errors = decode(json.dumps(body["errors"]).encode(), List[ErrorObject])
    assert errors[0].source is not None
    assert errors[0].source.pointer == "weight_g"


def test_meta_and_links_construct() -> None:
    assert ResourceMeta().created_at is None
    assert Links(self_="a").self_ == "a"
    assert Links.model_validate({"self": "b"}).self_ == "b"
    # Never None for callers: a resource without meta or version reads as empty ones.
    bare = Resource[Dict[str, Any]](id="x", type="t", attributes={})
    assert bare.meta == ResourceMeta() and bare.version == ""


def test_encode_model_by_alias_exclude_unset() -> None:
    item = Item(sku="S1", delivered_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    body = json.loads(encode_resource("thg-fulfil/inventory-item", item))
    assert body == {
        "data": {
            "type": "thg-fulfil/inventory-item",
            "attributes": {"sku": "S1", "deliveredAt": "2026-01-02T03:04:05Z"},
        }
    }


def test_encode_with_id_and_dict() -> None:
    body = json.loads(encode_resource("t", {"a": 1}, id="x1"))
    assert body == {"data": {"type": "t", "id": "x1", "attributes": {"a": 1}}}


def test_resource_reference_property() -> None:
    from thg_connect_core import InvalidReferenceError, Reference

    with_ref = dict(RESOURCE, meta={"reference": "thg:document:acme@4f29-b5"})
    parsed = decode(json.dumps({"data": with_ref}).encode(), Document[Item]).data.reference
    assert parsed == Reference.parse("thg:document:document#acme@4f29-b5")
    assert parsed is not None and parsed.owner == "acme" and parsed.id == "4f29-b5"
    no_meta = dict(RESOURCE)
    del no_meta["meta"]
    without = decode(json.dumps({"data": no_meta}).encode(), Document[Item]).data
    with pytest.raises(InvalidReferenceError, match="came without meta.reference"):
        _ = without.reference
    bad = dict(RESOURCE, meta={"reference": "thg:nope"})
    with pytest.raises(InvalidReferenceError):
        _ = decode(json.dumps({"data": bad}).encode(), Document[Item]).data.reference
