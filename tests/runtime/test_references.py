"""Reference strings: both forms from the docs, validation with positions, round trips."""

from __future__ import annotations

import dataclasses
from typing import List, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from thg_connect_core._references import InvalidReferenceError, Reference

DISPATCHED = "thg:thg-fulfil:fulfilment-request.dispatched#providercompany@93sf39-wf839rs-srs3r34"
DOCUMENT = "thg:document:example-organisation@4f2929b5-2512-48da-be97-c362cc452dc8"


def test_entity_form_from_the_docs() -> None:
    ref = Reference.parse(DISPATCHED)
    assert ref.scheme == "thg"
    assert ref.product == "thg-fulfil"
    assert ref.entity_path == ("fulfilment-request", "dispatched")
    assert ref.owner == "providercompany"
    assert ref.id == "93sf39-wf839rs-srs3r34"
    assert ref.entity_type == "thg-fulfil:fulfilment-request.dispatched"
    assert ref.parent_entity_path == ("fulfilment-request",)
    assert ref.parent_entity_type == "thg-fulfil:fulfilment-request"
    assert ref.path == (
        "/api/thg-fulfil/v1/providercompany/fulfilment-request.dispatched/93sf39-wf839rs-srs3r34"
    )
    assert str(ref) == DISPATCHED
    assert ref == Reference(
        "thg-fulfil", "fulfilment-request.dispatched", "providercompany", "93sf39-wf839rs-srs3r34"
    )


def test_response_example_reference() -> None:
    ref = Reference.parse(
        "thg:thg-fulfil:fulfilment-request.dispatched#providercompany@"
        "511a3f57-2154-418e-928e-1b91e3d1b730"
    )
    assert ref.entity_type == "thg-fulfil:fulfilment-request.dispatched"  # equals data.type
    assert ref.id == "511a3f57-2154-418e-928e-1b91e3d1b730"


def test_top_level_entity() -> None:
    ref = Reference("thg-fulfil", ("inventory-item",), "brandco", "9f2")
    assert str(ref) == "thg:thg-fulfil:inventory-item#brandco@9f2"
    assert ref.path == "/api/thg-fulfil/v1/brandco/inventory-item/9f2"
    assert ref.parent_entity_path == ()
    assert ref.parent_entity_type is None


def test_document_form_from_the_docs() -> None:
    ref = Reference.parse(DOCUMENT)
    assert ref.product == "document"
    assert ref.entity_path == ("document",)
    assert ref.owner == "example-organisation"
    assert ref.id == "4f2929b5-2512-48da-be97-c362cc452dc8"
    assert ref.entity_type == "document:document"
    assert ref.path == (
        "/api/document/v1/example-organisation/document/4f2929b5-2512-48da-be97-c362cc452dc8"
    )
    assert str(ref) == DOCUMENT


def test_long_document_form_is_the_same_reference() -> None:
    long = Reference.parse(
        "thg:document:document#example-organisation@4f2929b5-2512-48da-be97-c362cc452dc8"
    )
    assert long == Reference.parse(DOCUMENT)
    assert hash(long) == hash(Reference.parse(DOCUMENT))
    assert str(long) == DOCUMENT
    assert str(Reference("document", "document", "o", "1")) == "thg:document:o@1"


def test_value_semantics() -> None:
    ref = Reference.parse(DISPATCHED)
    assert {ref, Reference.parse(DISPATCHED)} == {ref}
    with pytest.raises(dataclasses.FrozenInstanceError):
        ref.id = "other"  # type: ignore[misc]
    assert dataclasses.replace(ref, id="x1").id == "x1"
    assert repr(ref) == f"Reference.parse({DISPATCHED!r})"
    assert eval(repr(ref)) == ref  # noqa: S307


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("", 0, "scheme 'thg:'"),
        ("urn:thg-fulfil:x#o@i", 0, "scheme 'thg:'"),
        ("THG:thg-fulfil:x#o@i", 0, "scheme 'thg:'"),
        ("thg:", 4, "a product"),
        ("thg:Thg:x#o@i", 4, "a product"),
        ("thg:thg-fulfil-:x#o@i", 14, "expected ':' after the product"),
        ("thg:thg-fulfil:#o@i", 15, "an entity type"),
        ("thg:thg-fulfil:inventory_item#o@i", 24, "expected '.', '#' or ':'"),
        ("thg:a.b:c#o@i", 4, "a product (no '.')"),
        ("thg:thg-fulfil:a..b#o@i", 17, "an entity type after '.'"),
        ("thg:thg-fulfil:a#@i", 17, "the owner"),
        ("thg:thg-fulfil:a#Brand@i", 17, "the owner"),
        ("thg:thg-fulfil:a#brand", 22, "expected '@' after the owner"),
        ("thg:thg-fulfil:a#brand@", 23, "the id"),
        ("thg:thg-fulfil:a#brand@-x", 23, "the id"),
        ("thg:thg-fulfil:a#brand@x/y", 24, "unexpected '/' after the id"),
        ("thg:thg-fulfil:a#brand@x ", 24, "unexpected ' ' after the id"),
        ("thg:document:other#o@i", 13, "only the entity path 'document'"),
        ("thg:document:Org@i", 13, "the owner"),
    ],
)
def test_malformed_references_say_where_and_what(text: str, position: int, reason: str) -> None:
    with pytest.raises(InvalidReferenceError) as info:
        Reference.parse(text)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.position == position, str(error)
    assert reason in error.reason, str(error)
    assert error.text == text
    assert f"at position {position}" in str(error)


@pytest.mark.parametrize(
    "args",
    [
        ("Thg", "x", "o", "i"),
        ("p", "", "o", "i"),
        ("p", (), "o", "i"),
        ("p", ("a", "B"), "o", "i"),
        ("p", "a", "O", "i"),
        ("p", "a", "o", ""),
        ("p", "a", "o", "a/b"),
        ("document", "other", "o", "i"),
    ],
)
def test_construction_validates(args: tuple[str, str, str, str]) -> None:
    with pytest.raises(ValueError):
        Reference(*args)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        Reference.parse(None)  # type: ignore[arg-type]


class Item(BaseModel):
    hazmat_documentation: Optional[Reference] = None
    related: List[Reference] = []


def test_pydantic_field() -> None:
    item = Item.model_validate({"hazmat_documentation": DOCUMENT, "related": [DISPATCHED]})
    assert item.hazmat_documentation == Reference.parse(DOCUMENT)
    assert item.related == [Reference.parse(DISPATCHED)]
    assert item.model_dump(mode="json") == {
        "hazmat_documentation": DOCUMENT,
        "related": [DISPATCHED],
    }
    assert Item(hazmat_documentation=Reference.parse(DOCUMENT)).hazmat_documentation is not None
    with pytest.raises(ValidationError, match="at position"):
        Item.model_validate({"hazmat_documentation": "thg:nope"})
    schema = Item.model_json_schema()
    assert "thg-reference" in str(schema)


# --- properties --------------------------------------------------------------------------------

segments = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
owners = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,20}", fullmatch=True)
entity_refs = st.builds(
    Reference,
    segments.filter(lambda p: p != "document"),
    st.lists(segments, min_size=1, max_size=4).map(tuple),
    owners,
    ids,
)
document_refs = st.builds(Reference, st.just("document"), st.just("document"), owners, ids)
references = st.one_of(entity_refs, document_refs)


@settings(max_examples=300, deadline=None)
@given(references)
def test_parse_of_format_is_identity(ref: Reference) -> None:
    text = str(ref)
    assert Reference.parse(text) == ref
    assert str(Reference.parse(text)) == text  # canonical text survives
    assert ref.path.endswith(f"/{ref.owner}/{'.'.join(ref.entity_path)}/{ref.id}")
    assert ref.entity_type == f"{ref.product}:{'.'.join(ref.entity_path)}"


@settings(max_examples=300, deadline=None)
@given(references, st.integers(min_value=0), st.characters())
def test_corrupted_references_only_raise_invalid_reference_error(
    ref: Reference, seed: int, char: str
) -> None:
    text = str(ref)
    cut = seed % (len(text) + 1)
    for variant in (text[:cut], text[:cut] + char + text[cut:], text[:cut] + text[cut + 1 :]):
        try:
            parsed = Reference.parse(variant)
        except InvalidReferenceError as error:
            assert 0 <= error.position <= len(variant)
        else:
            assert Reference.parse(str(parsed)) == parsed


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_fuzz_only_raises_invalid_reference_error(text: str) -> None:
    try:
        Reference.parse(text)
    except InvalidReferenceError:
        pass


_reference_pieces = st.sampled_from(
    [
        "thg",
        ":",
        "#",
        "@",
        ".",
        "-",
        "document",
        "thg-fulfil",
        "inventory-item",
        "a",
        "Z9",
        "brandco",
        "0",
        "_",
        "~",
        "9f2c",
        "x.y",
        " ",
        "é",
        "documents",
        "--",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_reference_pieces, max_size=12).map("".join))
def test_the_one_match_fast_path_accepts_exactly_what_the_scanner_accepts(text: str) -> None:
    from thg_connect_core._references import _parse, _scan

    try:
        scanned = _scan(text)
    except InvalidReferenceError:
        with pytest.raises(InvalidReferenceError):
            _parse(text)
    else:
        parsed = _parse(text)
        assert parsed == scanned and str(parsed) == str(scanned)
