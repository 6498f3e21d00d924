"""The response samples the platform's pages show, decoded through the runtime's public API
(issue 14): the ``/_values`` document (S1 F2: ``data.attributes`` an array of strings), the
reference page's single and list envelopes with resource ``links`` and list ``links {self,
related, next, prev, first, describedBy}`` (S1 F1/F3). The error samples (S3 400, FastAPI 422,
S27 401) are in test_error_generations.py, the Keycloak token response in test_environments.py.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List

import pytest

from thg_connect_core import Document, ListDocument, SyncAPIClient
from thg_connect_core._resources import AsyncResource, SyncResource

from .client_harness import Harness, ok

LINKS = {"self": "string", "related": "string", "describedBy": "string"}
VALUES_SAMPLE = {
    "meta": {},
    "data": {
        "id": "string",
        "type": "string",
        "version": "string",
        "attributes": ["STATUS_1"],
        "links": LINKS,
        "meta": {},
    },
    "links": LINKS,
}
APPROVAL = "/thgconsumer/v1/inventory/item-1/approval"


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    yield Harness(request.param)


def test_the_values_sample_decodes(h: Harness) -> None:
    h.server.default = ok(VALUES_SAMPLE)
    doc = h.request("GET", f"{APPROVAL}/_values", cast_to=Document[List[str]])
    assert doc.data.attributes == ["STATUS_1"]
    assert doc.data.links is not None and doc.data.links.described_by == "string"


def test_the_values_sample_through_a_status_endpoint(h: Harness) -> None:
    h.server.default = ok(VALUES_SAMPLE)
    options: Dict[str, Any] = dict(timeout=None, extra_headers=None, extra_query=None)
    if isinstance(h.client, SyncAPIClient):
        values = SyncResource(h.client, APPROVAL)._values(**options)
    else:
        import asyncio

        values = asyncio.run(AsyncResource(h.client, APPROVAL)._values(**options))  # type: ignore[arg-type]
    assert values == ["STATUS_1"]
    assert h.server.api_requests[0].url.path == f"{APPROVAL}/_values"


def test_the_list_envelope_sample_decodes(h: Harness) -> None:
    item = {
        "id": "string",
        "type": "string",
        "version": "string",
        "attributes": {"consumerReference": "12345", "title": "cd"},
        "links": LINKS,
        "meta": {},
    }
    links = {**LINKS, "next": "string", "prev": "string", "first": "string"}
    h.server.default = ok({"meta": {}, "data": [item, dict(item, links=None)], "links": links})
    page = h.request("GET", "/thgconsumer/v1/inventory", cast_to=ListDocument[Dict[str, Any]])
    assert page.links is not None and page.links.first == "string"
    assert page.links.related == "string" and page.links.described_by == "string"
    assert page.data[0].links is not None and page.data[0].links.self_ == "string"
    assert page.data[1].links is None
    assert page.data[0].attributes["title"] == "cd"
