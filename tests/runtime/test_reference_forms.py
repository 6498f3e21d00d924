"""Reference strings in every form real payloads carry (issue 14; recovered/schemas.md §1.4):
the ``#`` form (S17), the colon form (S7b), the product-less form (S6a/S7a) and the document
short form (platform-integration.txt), through the public API: ``Reference.parse``, a model
field typed ``Reference``, and ``EntityType.parse_reference``."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from thg_connect_core import NO_PRODUCT, EntityType, InvalidReferenceError, Reference, Resource


def test_the_hash_form_s17() -> None:
    ref = Reference.parse(
        "thg:thg-fulfil:fulfilment-request.dispatched#providercompany@93sf39-wf839rs-srs3r34"
    )
    assert ref.product == "thg-fulfil"
    assert ref.entity_path == ("fulfilment-request", "dispatched")
    assert (ref.owner, ref.id) == ("providercompany", "93sf39-wf839rs-srs3r34")


def test_the_colon_form_s7b_is_the_same_reference() -> None:
    ref = Reference.parse("thg:thg-commerce:site:thgcommerce@d91063ad-8b1f-4c55-9d6a-5c7f1d2b0e11")
    assert ref == Reference.parse(
        "thg:thg-commerce:site#thgcommerce@d91063ad-8b1f-4c55-9d6a-5c7f1d2b0e11"
    )
    assert ref.entity_type == "thg-commerce:site"
    assert str(ref) == "thg:thg-commerce:site#thgcommerce@d91063ad-8b1f-4c55-9d6a-5c7f1d2b0e11"


def test_the_product_less_form_s6a() -> None:
    text = "thg:inventory:mycompany@4f2929b5-5b7a-4d8e-a3a3-0b6c1d7e8f90"
    ref = Reference.parse(text)
    assert ref.product == NO_PRODUCT and ref.entity_path == ("inventory",)
    assert ref.entity_type == "inventory" and str(ref) == text
    with pytest.raises(ValueError, match="names no product"):
        _ = ref.path
    named = ref.with_product("thg-fulfil")
    assert named.entity_type == "thg-fulfil:inventory"
    assert named.path == "/api/thg-fulfil/v1/mycompany/inventory/" + ref.id


def test_an_entity_type_gives_a_product_less_reference_its_product() -> None:
    inventory = EntityType("thg-fulfil", ("inventory",))
    ref = inventory.parse_reference("thg:inventory:mycompany@4f29")
    assert ref == inventory.reference("mycompany", "4f29")
    with pytest.raises(ValueError, match="names a"):
        inventory.parse_reference("thg:asn:mycompany@4f29")


def test_the_document_short_form() -> None:
    ref = Reference.parse("thg:document:example-organisation@4f2929b5")
    assert ref.product == "document" and ref.entity_path == ("document",)
    assert ref == Reference.parse("thg:document:document#example-organisation@4f2929b5")
    assert ref == Reference.parse("thg:document:document:example-organisation@4f2929b5")


class Line(BaseModel):
    inventory_item: Reference


@pytest.mark.parametrize(
    "text",
    [
        "thg:thg-fulfil:inventory#brandco@1",
        "thg:thg-fulfil:inventory:brandco@1",
        "thg:inventory:brandco@1",
    ],
)
def test_a_model_field_reads_every_form(text: str) -> None:
    assert Line.model_validate({"inventory_item": text}).inventory_item.id == "1"


@pytest.mark.parametrize(
    "text",
    ["thg:thg-fulfil:inventory", "thg:a.b:c#o@i", "thg:x:y:z:o@i", "thg:inventory:Brand@1"],
)
def test_still_malformed(text: str) -> None:
    with pytest.raises(InvalidReferenceError):
        Reference.parse(text)


segments = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
owners = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,20}", fullmatch=True)
paths = st.lists(segments, min_size=1, max_size=3).map(tuple)


@given(product=segments, path=paths, owner=owners, id_=ids, separator=st.sampled_from("#:"))
def test_hash_and_colon_forms_print_and_parse_back(
    product: str, path: tuple[str, ...], owner: str, id_: str, separator: str
) -> None:
    if product == "document":
        path = ("document",)
    text = f"thg:{product}:{'.'.join(path)}{separator}{owner}@{id_}"
    ref = Reference.parse(text)
    assert ref == Reference(product, path, owner, id_)
    assert Reference.parse(str(ref)) == ref


@given(path=paths, owner=owners, id_=ids)
def test_the_product_less_form_prints_and_parses_back(
    path: tuple[str, ...], owner: str, id_: str
) -> None:
    text = f"thg:{'.'.join(path)}:{owner}@{id_}"
    ref = Reference.parse(text)
    assert ref.entity_path == path and (ref.owner, ref.id) == (owner, id_)
    assert ref.product == ("document" if path == ("document",) else NO_PRODUCT)
    assert str(ref) == text
    assert Reference.parse(str(ref)) == ref


@pytest.mark.parametrize(
    "meta, type_",
    [({"product": "thg-fulfil"}, "inventory"), ({}, "thg-fulfil:inventory")],
)
def test_a_resource_gives_a_product_less_reference_its_product(
    meta: dict[str, str], type_: str
) -> None:
    resource = Resource[Dict[str, Any]].model_validate(
        {
            "id": "4f29",
            "type": type_,
            "attributes": {},
            "meta": {**meta, "reference": "thg:inventory:mycompany@4f29"},
        }
    )
    assert resource.reference == Reference("thg-fulfil", "inventory", "mycompany", "4f29")
