"""Links on every resource object and page, `meta.status`, `GET …/<status>/_values` and the spec
documents `describedBy` points into (issue 14; S1, S5b, S7b; CONVENTIONS §3 and §6).

Served from the generator's test spec (`mini`: a `widget` owned by the consumer, with a `check`
status the provider writes, states PASSED and FAILED), so nothing here depends on the names of
the platform's own entities.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thg_sandbox.links import fill_path
from thg_sandbox.server import RunningSandbox, running_sandbox

from .conftest import Org, doc

MINI = Path(__file__).resolve().parents[1] / "generator" / "specs" / "valid"
WIDGETS = "/api/mini/v1/brandco/widget"


@pytest.fixture(scope="module")
def running() -> Iterator[RunningSandbox]:
    with running_sandbox(MINI) as found:
        yield found


@pytest.fixture(scope="module")
def brandco(running: RunningSandbox) -> Iterator[Org]:
    with Org(running, "brandco") as org:
        yield org


@pytest.fixture(scope="module")
def thg(running: RunningSandbox) -> Iterator[Org]:
    with Org(running, "thg") as org:
        yield org


def _widget(brandco: Org, name: str) -> dict[str, Any]:
    created = brandco.post(WIDGETS, json=doc("mini:widget", {"name": name}))
    assert created.status_code == 201, created.text
    return dict(created.json()["data"])


def test_a_resource_links_itself_its_collection_and_its_schema(
    running: RunningSandbox, brandco: Org
) -> None:
    created = brandco.post(WIDGETS, json=doc("mini:widget", {"name": "Gear"}))
    body = created.json()
    base = running.base_url
    expected = {
        "self": f"{base}{WIDGETS}/{body['data']['id']}",
        "related": f"{base}{WIDGETS}",
        "describedBy": f"{base}/openapi/mini.json#/components/schemas/Widget",
    }
    assert body["data"]["links"] == body["links"] == expected
    assert body["meta"] == {}  # as the platform's documents (S1)
    again = brandco.get(expected["self"])  # self is where the resource is
    assert again.status_code == 200 and again.json()["data"] == body["data"]


def test_pages_link_themselves_the_first_the_previous_and_the_next(
    running: RunningSandbox, brandco: Org
) -> None:
    for n in range(3):
        _widget(brandco, f"Paged {n}")
    first = brandco.get(WIDGETS, params={"page[size]": "2"}).json()["links"]
    assert first["self"] == f"{running.base_url}{WIDGETS}?page%5Bsize%5D=2"
    assert first["prev"] is None and first["related"] is None  # a top-level collection
    assert first["describedBy"].endswith("/openapi/mini.json#/components/schemas/Widget")
    second = brandco.get(first["next"]).json()
    assert httpx.URL(first["next"]).params["page[number]"] == "2"
    back = brandco.get(second["links"]["prev"]).json()["links"]
    assert {**back, "self": None} == {**first, "self": None}  # self spells page[number]=1 out
    assert second["links"]["first"] == first["first"] == back["first"]
    # Following next from the first page visits every widget once, then ends (next null).
    seen, page = [], brandco.get(first["first"]).json()
    while True:
        seen.extend(w["id"] for w in page["data"])
        if page["links"]["next"] is None:
            break
        page = brandco.get(page["links"]["next"]).json()
    everything = brandco.get(WIDGETS, params={"page[size]": "100"}).json()["data"]
    assert seen == [w["id"] for w in everything]


def test_a_parent_carries_the_state_of_each_status_set(brandco: Org, thg: Org) -> None:
    widget = _widget(brandco, "Checked")
    assert widget["meta"]["status"] == {}  # it has a status, not set yet
    path = f"{WIDGETS}/{widget['id']}"
    check = thg.post(f"{path}/check", json=doc("mini:widget.check", {"state": "PASSED"}))
    assert check.status_code == 201, check.text
    assert "status" not in check.json()["data"]["meta"]  # a status has no statuses of its own
    got = brandco.get(path).json()["data"]
    assert got["meta"]["status"] == {"check": {"value": "PASSED"}}  # S7b's shape
    listed = brandco.get(WIDGETS, params={"page[size]": "100"}).json()["data"]
    assert [w["meta"]["status"] for w in listed if w["id"] == widget["id"]] == [
        {"check": {"value": "PASSED"}}
    ]


def test_a_status_links_its_own_path_and_its_parent(
    running: RunningSandbox, brandco: Org, thg: Org
) -> None:
    widget = _widget(brandco, "Linked")
    path = f"{running.base_url}{WIDGETS}/{widget['id']}"
    check = thg.post(
        f"{path}/check", json=doc("mini:widget.check", {"state": "FAILED", "reason": "x"})
    )
    assert check.json()["data"]["links"] == {
        "self": f"{path}/check",
        "related": path,
        "describedBy": f"{running.base_url}/openapi/mini.json#/components/schemas/Check",
    }


def test_values_lists_a_status_s_states_in_the_platform_s_shape(
    running: RunningSandbox, brandco: Org
) -> None:
    widget = _widget(brandco, "Valued")
    path = f"{running.base_url}{WIDGETS}/{widget['id']}/check"
    answer = brandco.get(f"{path}/_values")  # no status set yet: the states are still listed
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["meta"] == {}
    assert body["data"]["type"] == "mini:widget.check"
    assert body["data"]["attributes"] == ["PASSED", "FAILED"]
    assert body["data"]["links"] == body["links"]
    assert body["links"]["self"] == f"{path}/_values" and body["links"]["related"] == path


def test_values_of_an_unknown_parent_or_without_a_token_is_an_error(
    running: RunningSandbox, brandco: Org
) -> None:
    missing = brandco.get(f"{WIDGETS}/no-such-widget/check/_values")
    assert missing.status_code == 404 and missing.json()["errors"][0]["status"] == "404"
    anonymous = httpx.get(f"{running.base_url}{WIDGETS}/x/check/_values", timeout=10)
    assert anonymous.status_code == 401 and "errors" in anonymous.json()


def test_the_spec_documents_are_served_publicly_and_nothing_else(running: RunningSandbox) -> None:
    served = httpx.get(f"{running.base_url}/openapi/mini.json", timeout=10)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/json")
    assert served.json()["info"]["x-thg-product"] == "mini"
    unknown = httpx.get(f"{running.base_url}/openapi/nope.json", timeout=10)
    assert unknown.status_code == 404 and "errors" in unknown.json()


# -- fill_path: no value can change a path's shape ------------------------------------------


TEMPLATE = "/api/p/v1/{owner}/a/{aId}/b/{bId}"


@given(st.text(min_size=1), st.text(min_size=1), st.text(min_size=1))
def test_each_value_fills_exactly_its_own_segment(owner: str, a_id: str, b_id: str) -> None:
    filled = fill_path(TEMPLATE, {"owner": owner, "aId": a_id, "bId": b_id})
    parts = filled.split("/")
    assert len(parts) == len(TEMPLATE.split("/"))  # nothing added a segment
    assert "?" not in filled and "#" not in filled  # nor a query or a fragment
    assert [unquote(parts[i]) for i in (4, 6, 8)] == [owner, a_id, b_id]


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,40}", fullmatch=True))
def test_ids_and_slugs_are_written_as_they_are(value: str) -> None:
    assert fill_path("/x/{id}", {"id": value}) == f"/x/{value}"
