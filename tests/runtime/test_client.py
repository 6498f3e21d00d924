"""SyncAPIClient and AsyncAPIClient over httpx.MockTransport: decoding, retries (§13), deadline,
Retry-After, maybe-sent POSTs, body rewinding, typed errors, with_owner. Every test runs on both
clients with the same fake clock."""

from __future__ import annotations

import asyncio
import email.utils
import io
from typing import Any, Iterator

import httpx
import pytest

from thg_connect_core import (
    APIConnectionError,
    APITimeoutError,
    AsyncAPIClient,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    Document,
    InternalServerError,
    ListDocument,
    NotFoundError,
    RateLimitError,
    Reference,
    RequestMaybeSentError,
    TokenError,
    UnprocessableEntityError,
)

from .client_harness import BASE, WALL, Attrs, Harness, ok, resource, status

PATH = "/api/thg-fulfil/v1/acme/inventory-item"


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    harness = Harness(request.param)
    yield harness


def test_get_decodes_typed_list_and_sends_auth(h: Harness) -> None:
    h.server.default = ok({"data": [resource(1), resource(2)], "links": {"next": None}})
    doc = h.request(
        "GET", PATH, params={"page[size]": 2, "filter": None}, cast_to=ListDocument[Attrs]
    )
    assert isinstance(doc, ListDocument)
    assert [r.attributes.sku for r in doc.data] == ["S1", "S2"]
    assert doc.data[0].reference == Reference.parse("thg:thg-fulfil:inventory-item#acme@id1")
    sent = h.server.api_requests[0]
    assert sent.headers["authorization"] == "Bearer tok1"
    assert sent.headers["accept"] == "application/json"
    assert sent.url.path == PATH
    assert dict(sent.url.params) == {"page[size]": "2"}  # None values dropped
    assert h.sleeps == []


def test_post_sends_body_and_decodes_single(h: Harness) -> None:
    h.server.default = ok({"data": resource(7)}, status=201)
    doc = h.request("POST", PATH, body=b'{"data":{}}', cast_to=Document[Attrs])
    assert doc.data.attributes.sku == "S7"
    assert h.server.api_bodies == [b'{"data":{}}']
    assert h.server.api_requests[0].headers["content-type"] == "application/json"


def test_204_and_no_cast_give_none(h: Harness) -> None:
    h.server.default = httpx.Response(204)
    assert h.request("DELETE", f"{PATH}/x") is None
    h.server.default = ok({"data": resource(1)})
    assert h.request("GET", f"{PATH}/x") is None


@pytest.mark.parametrize("code", [408, 429, 500, 502, 503, 504])
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_retried_on_status(h: Harness, method: str, code: int) -> None:
    h.server.script = [status(code)]
    h.server.default = ok({"data": resource(1)})
    assert h.request(method, f"{PATH}/id1", cast_to=Document[Attrs]).data.id == "id1"
    assert h.api_calls == 2
    # rand 0.5 x base 0.5 x 2**0; a 429 without Retry-After waits the platform's 60 s, cut to
    # 90% of the 30 s budget (tests/runtime/test_call_survival.py)
    assert h.sleeps == ([27.0] if code == 429 else [0.5 * 0.5])


def test_backoff_grows_and_gives_up_with_typed_error(h: Harness) -> None:
    h.server.default = status(503)
    with pytest.raises(InternalServerError) as info:
        h.request("GET", PATH)
    assert h.api_calls == 3  # max_retries=2
    assert h.sleeps == [0.25, 0.5]
    assert info.value.status_code == 503
    assert info.value.request_id == "req-1"
    assert info.value.errors[0].detail == "status 503"


@pytest.mark.parametrize(
    "code, cls",
    [(400, BadRequestError), (404, NotFoundError), (409, ConflictError)],
)
def test_other_4xx_not_retried(h: Harness, code: int, cls: type) -> None:
    h.server.default = status(code)
    with pytest.raises(cls) as info:
        h.request("GET", PATH)
    assert h.api_calls == 1
    assert info.value.request_id == "req-1"


def test_422_lists_every_field(h: Harness) -> None:
    errors = [
        {
            "status": "422",
            "detail": "sku is required",
            "source": {"pointer": "/data/attributes/sku"},
        },
        {"status": "422", "detail": "weight_g must be > 0", "source": {"pointer": "weight_g"}},
    ]
    h.server.default = ok({"errors": errors}, status=422)
    with pytest.raises(UnprocessableEntityError) as info:
        h.request("PUT", f"{PATH}/id1", body=b"{}")
    assert "/data/attributes/sku: sku is required" in str(info.value)
    assert "weight_g: weight_g must be > 0" in str(info.value)
    assert h.api_calls == 1


def test_retry_after_seconds(h: Harness) -> None:
    h.server.script = [status(429, {"Retry-After": "3"})]
    h.request("GET", PATH)
    assert h.sleeps == [3.0]


def test_retry_after_http_date(h: Harness) -> None:
    when = email.utils.formatdate(WALL + 7, usegmt=True)
    h.server.script = [status(503, {"Retry-After": when})]
    h.request("GET", PATH)
    assert h.sleeps == [7.0]


def test_retry_after_above_cap_stops(h: Harness) -> None:
    h.server.script = [status(429, {"Retry-After": "61"})]
    with pytest.raises(RateLimitError) as info:
        h.request("GET", PATH)
    assert info.value.retry_after == 61.0
    assert h.api_calls == 1 and h.sleeps == []


def test_never_sleeps_past_deadline() -> None:
    for mode in ("sync", "async"):
        h = Harness(mode, max_retries=10, backoff_base=1.0, backoff_cap=100.0)
        h.server.api_elapsed = 0.4
        h.server.default = status(503)
        with pytest.raises(InternalServerError):
            h.request("GET", PATH, timeout=5.0)
        # attempts start at +0, +0.9, +2.3, +4.7 (each takes 0.4 s; waits 0.5, 1.0, 2.0); the
        # 4.0 s wait after the third failure would have ended past +5.0, so it is refused.
        assert h.sleeps == [0.5, 1.0, 2.0]
        # each attempt's httpx timeout is what is left of the budget
        timeouts = [r.extensions["timeout"]["read"] for r in h.server.api_requests]
        assert timeouts == pytest.approx([5.0, 4.1, 2.7, 0.3])


def test_retry_after_past_deadline_stops(h: Harness) -> None:
    h.server.default = status(503, {"Retry-After": "10"})
    with pytest.raises(InternalServerError):
        h.request("GET", PATH, timeout=9.0)
    assert h.api_calls == 1 and h.sleeps == []


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("dropped"),
        httpx.ReadError("reset"),
        httpx.ConnectError("refused"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_retried_on_network_errors(h: Harness, method: str, exc: Exception) -> None:
    h.server.script = [exc]
    h.request(method, f"{PATH}/id1", body=b"{}" if method == "PUT" else None)
    assert h.api_calls == 2


def test_network_errors_exhausted(h: Harness) -> None:
    h.server.default = httpx.ConnectError("refused")
    with pytest.raises(APIConnectionError) as info:
        h.request("GET", PATH)
    assert type(info.value) is APIConnectionError
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert h.api_calls == 3
    h.server.default = httpx.ReadTimeout("slow")
    with pytest.raises(APITimeoutError):
        h.request("GET", PATH)


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy")],
)
def test_post_retried_when_provably_unsent(h: Harness, exc: Exception) -> None:
    h.server.script = [exc]
    h.server.default = ok({"data": resource(1)}, status=201)
    h.request("POST", PATH, body=b'{"a":1}', cast_to=Document[Attrs])
    assert h.api_calls == 2
    assert h.server.api_bodies == [b'{"a":1}', b'{"a":1}']


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("slow"),
        httpx.WriteTimeout("slow"),
        httpx.RemoteProtocolError("dropped"),
        httpx.ReadError("reset"),
        httpx.WriteError("broken pipe"),
    ],
)
def test_post_maybe_sent_not_retried(h: Harness, exc: Exception) -> None:
    h.server.script = [exc]
    with pytest.raises(RequestMaybeSentError) as info:
        h.request("POST", PATH, body=b"{}")
    assert h.api_calls == 1
    assert "may have taken effect" in str(info.value)
    assert info.value.request is not None and info.value.request.url.path == PATH


@pytest.mark.parametrize("code", [429, 500, 503])
def test_post_never_retried_on_status(h: Harness, code: int) -> None:
    h.server.script = [status(code, {"Retry-After": "1"})]
    with pytest.raises((RateLimitError, InternalServerError)):
        h.request("POST", PATH, body=b"{}")
    assert h.api_calls == 1 and h.sleeps == []


def test_post_retried_when_token_endpoint_unreachable(h: Harness) -> None:
    h.server.token_script = [httpx.ConnectError("auth down")]
    h.server.default = ok({"data": resource(1)}, status=201)
    h.request("POST", PATH, body=b"{}")
    assert h.server.token_calls == 2 and h.api_calls == 1


def test_token_endpoint_down_raises_token_error(h: Harness) -> None:
    h.server.token_script = [httpx.ReadTimeout("auth slow")] * 3
    with pytest.raises(TokenError, match="could not reach the token endpoint"):
        h.request("POST", PATH, body=b"{}")
    assert h.api_calls == 0


def test_token_refused_raises_with_server_message(h: Harness) -> None:
    refused = ok({"error": "access_denied", "error_description": "Unauthorized"}, status=401)
    h.server.token_script = [refused]
    with pytest.raises(TokenError, match="Unauthorized") as info:
        h.request("GET", PATH)
    assert info.value.status_code == 401
    assert h.api_calls == 0


def test_401_refreshes_once_then_raises(h: Harness) -> None:
    h.server.default = status(401)
    with pytest.raises(AuthenticationError):
        h.request("GET", PATH)
    assert h.server.token_calls == 2
    assert h.server.api_auth == [
        "Bearer tok1",
        "Bearer tok2",
    ]


def test_seekable_body_rewound_on_retry_and_401_resend(h: Harness) -> None:
    payload = io.BytesIO(b"xx" + b'{"data":"' + b"z" * 200_000 + b'"}')
    payload.seek(2)  # sent from where the caller left it
    expected = payload.getvalue()[2:]
    h.server.script = [status(503), status(401)]
    h.request("PUT", f"{PATH}/id1", body=payload)
    assert h.server.api_bodies == [expected] * 3
    lengths = {r.headers["content-length"] for r in h.server.api_requests}
    assert lengths == {str(len(expected))}


def test_file_body_rewound_for_post_retry(h: Harness, tmp_path: Any) -> None:
    path = tmp_path / "body.json"
    path.write_bytes(b'{"k":"' + b"v" * 100_000 + b'"}')
    h.server.script = [httpx.ConnectError("refused")]
    with path.open("rb") as file:
        h.request("POST", PATH, body=file)
    assert h.server.api_bodies == [path.read_bytes()] * 2


class _OneShot(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_unseekable_body_sent_once_chunked(h: Harness) -> None:
    h.server.script = [status(503)]
    with pytest.raises(InternalServerError):
        h.request("PUT", f"{PATH}/id1", body=_OneShot(b"abc"))  # type: ignore[arg-type]
    assert h.server.api_bodies == [b"abc"]
    assert h.server.api_requests[0].headers["transfer-encoding"] == "chunked"


def test_with_owner_shares_connection_and_token(h: Harness) -> None:
    other = h.client.with_owner("other-org")
    assert other.owner == "other-org" and h.client.owner == "acme"
    assert type(other) is type(h.client)
    assert other._http is h.client._http
    h.request("GET", PATH)
    h.request("GET", "/api/thg-fulfil/v1/other-org/inventory-item", client=other)
    assert h.server.token_calls == 1
    assert h.server.api_auth == ["Bearer tok1"] * 2
    if isinstance(other, AsyncAPIClient):
        asyncio.run(other.close())
    else:
        other.close()
    h.request("GET", PATH)  # closing the derived client leaves the shared one open
    assert h.api_calls == 3


def test_absolute_foreign_url_gets_no_token(h: Harness) -> None:
    h.server.default = httpx.Response(204)
    h.request("POST", "https://uploads.example.org/bucket?X-Amz-Signature=sig", body=b"data")
    assert "authorization" not in h.server.api_requests[0].headers
    assert h.server.token_calls == 0


def test_text_body_refused(h: Harness) -> None:
    with pytest.raises(TypeError, match="bytes"):
        h.request("POST", PATH, body="{}")  # type: ignore[arg-type]
    assert h.api_calls == 0


def test_timeout_must_be_positive(h: Harness) -> None:
    with pytest.raises(ValueError):
        h.request("GET", PATH, timeout=0)


def test_extra_headers_and_query(h: Harness) -> None:
    h.request(
        "GET",
        PATH,
        params={"page[number]": 1},
        extra_query={"page[number]": 2, "x": "y"},
        extra_headers={"X-Trace": "t1"},
    )
    sent = h.server.api_requests[0]
    assert dict(sent.url.params) == {"page[number]": "2", "x": "y"}
    assert sent.headers["x-trace"] == "t1"


def test_repr_has_no_secret(h: Harness) -> None:
    assert repr(h.client) == f"{type(h.client).__name__}(owner='acme', base_url='{BASE}')"


async def test_async_200_concurrent_first_calls_one_token() -> None:
    h = Harness("async")
    assert isinstance(h.client, AsyncAPIClient)
    client = h.client
    results = await asyncio.gather(*(client.request("GET", PATH) for _ in range(200)))
    assert results == [None] * 200
    assert h.server.token_calls == 1
    await client.close()
