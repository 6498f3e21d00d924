"""The runtime reads the platform's resource `links`, page links and `meta.status` (S1, S7b;
recovered/schemas.md, operations.md F1-F3), and never fails a resource over an odd status entry."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from hypothesis import given
from hypothesis import strategies as st

from thg_connect_core import Document, ListDocument, decode

# The platform's samples (operations.md F1, F2, F3), with the placeholder strings Redoc renders.
APPROVAL = {
    "meta": {},
    "data": {
        "id": "string",
        "type": "string",
        "version": "string",
        "attributes": {"message": "string"},
        "links": {"self": "string", "related": "string", "describedBy": "string"},
        "meta": {},
    },
    "links": {"self": "string", "related": "string", "describedBy": "string"},
}
VALUES = {**APPROVAL, "data": {**APPROVAL["data"], "attributes": ["STATUS_1"]}}
PAGE_LINKS = {
    "self": "/brandco/v1/inventory?page[number]=2",
    "related": None,
    "next": "/brandco/v1/inventory?page[number]=3",
    "prev": "/brandco/v1/inventory?page[number]=1",
    "first": "/brandco/v1/inventory?page[number]=1",
    "describedBy": "/openapi.json#/components/schemas/Inventory",
}


def test_a_status_read_keeps_its_links_and_message() -> None:
    found = decode(json.dumps(APPROVAL), Document[Dict[str, Any]])
    assert found.data.links is not None
    assert (found.data.links.self_, found.data.links.related) == ("string", "string")
    assert found.data.links.described_by == "string"
    assert found.links == found.data.links
    assert found.data.attributes == {"message": "string"}


def test_values_decode_as_a_list_of_states() -> None:
    assert decode(json.dumps(VALUES), Document[List[str]]).data.attributes == ["STATUS_1"]


def test_a_page_reads_all_six_links() -> None:
    page = decode(json.dumps({"data": [], "links": PAGE_LINKS}), ListDocument[Dict[str, Any]])
    assert page.links is not None
    assert page.links.first == PAGE_LINKS["first"] and page.links.related is None
    assert page.links.described_by == PAGE_LINKS["describedBy"]
    assert page.links.next == PAGE_LINKS["next"] and page.links.prev == PAGE_LINKS["prev"]


NAMES = st.text(min_size=1, max_size=20)
STATES = st.dictionaries(NAMES, st.text(max_size=20), max_size=5)
ODD = st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers(), max_size=2))


def _resource(status: Any) -> str:
    meta = {"status": status}
    return json.dumps({"data": {"id": "1", "type": "t:e", "attributes": {}, "meta": meta}})


@given(STATES)
def test_states_read_back_what_meta_status_says(states: Dict[str, str]) -> None:
    status = {name: {"value": value} for name, value in states.items()}
    found = decode(_resource(status), Document[Dict[str, Any]]).data.meta
    assert found is not None and found.states == states and found.status == status


@given(STATES, st.dictionaries(NAMES, st.one_of(ODD, st.fixed_dictionaries({"value": ODD}))))
def test_an_odd_entry_is_left_out_never_raised(states: Dict[str, str], odd: Dict[str, Any]) -> None:
    status = {**odd, **{name: {"value": value} for name, value in states.items()}}
    found = decode(_resource(status), Document[Dict[str, Any]]).data.meta
    assert found is not None
    expected = {
        name: entry["value"]
        for name, entry in status.items()
        if isinstance(entry, dict) and isinstance(entry.get("value"), str)
    }
    assert found.states == expected and set(states) <= set(found.states)
