"""DEBUG logging on "thg_connect": what each attempt logs, and that no secret, token or presigned
query string appears in any log record (of any logger), repr or exception text."""

from __future__ import annotations

import logging
import traceback
from typing import Iterator, List

import httpx
import pytest

from thg_connect_core import InternalServerError, RequestMaybeSentError, TokenError

from .client_harness import SECRET, Harness, ok, status

SIGNATURE = "SIGNATURE-abc123"
UPLOAD_URL = (
    f"https://uploads.example.org/bucket/key?X-Amz-Signature={SIGNATURE}&X-Amz-Credential=c"
)
TOKEN = "tok-VERY-private-token"


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    yield Harness(request.param)


def _issue_token(request: httpx.Request) -> httpx.Response:
    return ok({"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"})


def _all_text(caplog: pytest.LogCaptureFixture) -> str:
    parts: List[str] = []
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
    return "\n".join(parts)


def test_debug_log_lines(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="thg_connect")
    h.server.script = [status(503)]
    h.request("GET", "/api/thg-fulfil/v1/acme/inventory-item", params={"filter": "sku='x'"})
    lines = [r.getMessage() for r in caplog.records if r.name == "thg_connect"]
    assert len(lines) == 3
    assert lines[0].startswith("POST /oauth/token (token) -> 200 in ")
    assert lines[1].startswith("GET /api/thg-fulfil/v1/acme/inventory-item -> 503 in ")
    assert lines[1].endswith("(attempt 1)")
    assert lines[2].startswith("GET /api/thg-fulfil/v1/acme/inventory-item -> 200 in ")
    assert lines[2].endswith("(attempt 2)")
    assert all("sku" not in line for line in lines)  # no query string at all
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name == "thg_connect")


def test_no_log_records_when_not_enabled(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    h.request("GET", "/api/x")
    assert [r for r in caplog.records if r.name == "thg_connect"] == []


def test_no_secret_anywhere_through_full_flow(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx's included
    h.server.token_script = [_issue_token]
    # a full flow: token, a retried GET, a failing GET, a 401 and a presigned upload
    h.server.script = [status(503)]
    h.request("GET", "/api/thg-fulfil/v1/acme/inventory-item")
    h.server.script = [status(500)] * 3
    with pytest.raises(InternalServerError) as status_error:
        h.request("GET", "/api/thg-fulfil/v1/acme/inventory-item")
    h.server.script = [httpx.ReadTimeout(f"timed out {UPLOAD_URL}")]
    with pytest.raises(RequestMaybeSentError) as maybe_sent:
        h.request("POST", "/api/thg-fulfil/v1/acme/inventory-item", body=b"{}")
    h.server.default = httpx.Response(204)
    h.request("POST", UPLOAD_URL, body=b"file bytes")
    thg_lines = [r.getMessage() for r in caplog.records if r.name == "thg_connect"]
    assert any(line.startswith("POST /bucket/key -> 204") for line in thg_lines)

    errors = [status_error.value, maybe_sent.value]
    texts = [_all_text(caplog), repr(h.client), repr(h.client.config), str(h.client.config)]
    for error in errors:
        texts += [str(error), repr(error), "".join(traceback.format_exception(error))]
    if isinstance(status_error.value, InternalServerError):
        texts.append(repr(status_error.value.response.request.headers))
    for text in texts:
        assert SECRET not in text
        assert TOKEN not in text
    # httpx's own INFO line carries the full URL; the runtime's lines never carry a query.
    assert SIGNATURE not in "\n".join(thg_lines)
    assert h.server.api_auth[0] == f"Bearer {TOKEN}"  # the token was really used


def test_no_secret_when_token_request_fails(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    refused = httpx.Response(
        401,
        content=f'{{"error":"access_denied","error_description":"bad {SECRET}"}}'.encode(),
    )
    h.server.token_script = [refused]
    with pytest.raises(TokenError) as info:
        h.request("GET", "/api/x")
    assert "bad **********" in str(info.value)
    texts = [
        _all_text(caplog),
        str(info.value),
        repr(info.value),
        "".join(traceback.format_exception(info.value)),
    ]
    for text in texts:
        assert SECRET not in text
    lines = [r.getMessage() for r in caplog.records if r.name == "thg_connect"]
    assert lines and lines[0].startswith("POST /oauth/token (token) -> 401")


def test_token_endpoint_failure_logged_as_such(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="thg_connect")
    h.server.token_script = [httpx.ConnectError("auth down")]
    h.request("GET", "/api/x")
    lines = [r.getMessage() for r in caplog.records if r.name == "thg_connect"]
    assert lines[0].startswith("POST /oauth/token -> ConnectError in ")
    assert lines[0].endswith("(attempt 1)")
    assert lines[-1].startswith("GET /api/x -> 200 in ") and lines[-1].endswith("(attempt 2)")
