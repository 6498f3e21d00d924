"""Raw responses and per-call options (issue 17): the request id and headers on success, the raw
response instead of a body, ``with_options`` and per-request ``max_retries``, on both clients over
httpx.MockTransport with the shared fake clock."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from thg_connect_core import (
    AsyncAPIClient,
    Document,
    InternalServerError,
    ListDocument,
    RawResponse,
    Resource,
    SyncAPIClient,
)

from .client_harness import Attrs, Harness, ok, resource, status

PATH = "/api/thg-fulfil/v1/acme/inventory-item"


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    yield Harness(request.param)


def test_the_request_id_and_headers_come_with_a_parsed_document(h: Harness) -> None:
    h.server.script = [status(503)]
    h.server.default = ok({"data": resource(1)}, headers={"X-Request-Id": "req-42", "ETag": "1"})
    doc = h.request("GET", f"{PATH}/id1", cast_to=Document[Attrs])
    raw = doc.data.raw_response
    assert isinstance(raw, RawResponse) and raw is doc.raw_response
    assert (raw.status_code, raw.request_id, raw.headers["etag"]) == (200, "req-42", "1")
    assert raw.retries_taken == 1 and raw.method == "GET" and raw.url.path == f"{PATH}/id1"
    assert doc.data.request_id == "req-42" and raw.http_response.json()["data"]["id"] == "id1"
    assert "req-42" in repr(raw) and "?" not in repr(raw)


def test_every_resource_of_a_page_has_its_raw_response(h: Harness) -> None:
    h.server.default = ok({"data": [resource(1), resource(2)]}, headers={"X-Request-Id": "p1"})
    doc = h.request("GET", PATH, cast_to=ListDocument[Attrs])
    assert [r.request_id for r in doc.data] == ["p1", "p1"]


def test_the_raw_response_instead_of_a_body(h: Harness) -> None:
    h.server.default = ok({"data": resource(1)}, status=201, headers={"X-Request-Id": "r9"})
    raw = h.request("POST", PATH, body=b"{}", cast_to=RawResponse)
    assert isinstance(raw, RawResponse) and raw.status_code == 201 and raw.request_id == "r9"
    h.server.default = httpx.Response(204, headers={"X-Request-Id": "r10"})
    assert h.request("DELETE", f"{PATH}/id1", cast_to=RawResponse).request_id == "r10"


def test_a_resource_built_by_hand_has_no_raw_response() -> None:
    built = Resource[Attrs](id="1", type="t", attributes=Attrs(sku="S"))
    assert built.raw_response is None and built.request_id is None


def test_max_retries_per_request(h: Harness) -> None:
    h.server.default = status(503)
    with pytest.raises(InternalServerError):
        h.request("GET", PATH, max_retries=0)
    assert h.api_calls == 1 and h.sleeps == []
    with pytest.raises(InternalServerError):
        h.request("GET", PATH, max_retries=4)
    assert h.api_calls == 1 + 5
    with pytest.raises(ValueError, match="max_retries"):
        h.request("GET", PATH, max_retries=-1)


def test_with_options_derives_a_client_sharing_connections_and_token(h: Harness) -> None:
    client = h.client
    quiet = client.with_options(max_retries=0, timeout=5.0)
    assert type(quiet) is type(client)
    assert (quiet.config.max_retries, quiet.config.timeout) == (0, 5.0)
    assert (client.config.max_retries, client.config.timeout) == (2, 30.0)  # unchanged
    assert quiet.with_options().config == quiet.config and quiet.owner == client.owner
    h.server.default = status(503)
    with pytest.raises(InternalServerError):
        h.request("GET", PATH, client=quiet)
    assert h.api_calls == 1
    h.server.default = ok({"data": resource(1)})
    h.request("GET", PATH, client=client)
    assert h.server.token_calls == 1  # one token for both
    with pytest.raises(ValueError, match="max_retries"):
        client.with_options(max_retries=-1)


def test_with_options_keeps_the_shared_http_client_open(h: Harness) -> None:
    client = h.client
    derived = client.with_options(timeout=1.0)
    if isinstance(derived, SyncAPIClient):
        derived.close()
    else:
        assert isinstance(derived, AsyncAPIClient)
        import asyncio

        asyncio.run(derived.close())
    h.server.default = ok({"data": resource(1)})
    assert h.request("GET", PATH, cast_to=Document[Attrs]).data.id == "id1"


def test_a_low_level_request_reads_the_response_leniently(h: Harness) -> None:
    """`api.request(...)` called directly decodes a server's answer as leniently as a resource
    method does: a member the model does not declare, and a null where it is not nullable, are
    kept or read as not given instead of failing (they once raised: strictness is for what user
    code builds)."""
    from thg_connect_core import NOT_GIVEN

    from .test_not_given import Thing

    body = {"id": "t1", "type": "p:thing", "attributes": {"name": "n", "massG": None, "new": 1}}
    h.server.default = ok({"data": body})
    doc = h.request("GET", f"{PATH}/t1", cast_to=Document[Thing])
    assert doc.data.attributes.mass_g is NOT_GIVEN
    assert doc.data.attributes.model_extra == {"new": 1}
