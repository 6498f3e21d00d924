"""Errors from every generation of the platform become the typed errors with their field
locations (issue 14): the reference pages' 400 "data not valid" (S3: ``id, links{about,type},
status, code, title, detail, meta``), FastAPI's 422 ``{"detail": [{loc, msg, type}]}`` (S4), the
older API's ``source.header`` and bare ``source.pointer`` (S27), and its 401 for a valid token
without permission. Each goes through the public client (``api.request``) over the harness."""

from __future__ import annotations

import json
from typing import Any, Iterator, List

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thg_connect_core import (
    AuthenticationError,
    BadRequestError,
    ErrorLinks,
    UnprocessableEntityError,
)
from thg_connect_core._errors import error_from_response

from .client_harness import Harness, ok

PATH = "/thgconsumer/v1/inventory"


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    yield Harness(request.param)


S3_400 = {
    "meta": {},
    "errors": [
        {
            "id": "string",
            "links": {"about": "string", "type": "string"},
            "status": "string",
            "code": "string",
            "title": "string",
            "detail": "string",
            "meta": {},
        }
    ],
}


def test_the_s3_400_error_document_decodes(h: Harness) -> None:
    h.server.default = ok(S3_400, status=400)
    with pytest.raises(BadRequestError) as info:
        h.request("POST", PATH, body=b"{}")
    (error,) = info.value.errors
    assert error.links == ErrorLinks(about="string", type="string")
    assert error.meta == {} and error.code == "string" and error.id == "string"
    assert error.pointer is None


def test_a_400_with_pointers_lists_every_field(h: Harness) -> None:
    errors = [
        {"status": "400", "detail": "title is required", "source": {"pointer": "/title"}},
        {"status": "400", "detail": "must be 12 digits", "source": {"pointer": "hsCode"}},
    ]
    h.server.default = ok({"meta": {}, "errors": errors}, status=400)
    with pytest.raises(BadRequestError) as info:
        h.request("POST", PATH, body=b"{}")
    assert "request validation failed" in str(info.value)
    assert "/title: title is required" in str(info.value)
    assert [e.pointer for e in info.value.errors] == ["/title", "hsCode"]


FASTAPI_422 = {
    "detail": [
        {
            "loc": ["body", "data", "attributes", "title"],
            "msg": "Field required",
            "type": "missing",
        },
        {
            "loc": ["query", "page[size]"],
            "msg": "Input should be <= 100",
            "type": "less_than_equal",
        },
        {"loc": ["header", "version"], "msg": "Field required", "type": "missing"},
        {"loc": ["path", "owner"], "msg": "String too short", "type": "string_too_short"},
    ]
}


def test_fastapi_422_becomes_located_errors(h: Harness) -> None:
    h.server.default = ok(FASTAPI_422, status=422)
    with pytest.raises(UnprocessableEntityError) as info:
        h.request("POST", PATH, body=b"{}")
    errors = info.value.errors
    assert [e.pointer for e in errors] == [
        "/data/attributes/title",
        "page[size]",
        "version",
        "owner",
    ]
    assert errors[0].source is not None and errors[0].source.pointer == "/data/attributes/title"
    assert errors[1].source is not None and errors[1].source.parameter == "page[size]"
    assert errors[2].source is not None and errors[2].source.header == "version"
    assert errors[0].code == "missing" and errors[0].detail == "Field required"
    assert errors[0].status == "422"
    assert "/data/attributes/title: Field required" in str(info.value)


def test_fastapi_plain_detail_is_the_message(h: Harness) -> None:
    h.server.default = ok({"detail": "Not authenticated"}, status=403)
    with pytest.raises(Exception, match="Not authenticated"):
        h.request("GET", PATH)


S27_401 = {
    "errors": [
        {
            "id": "5f1c",
            "status": "401",
            "code": "UnauthorizedException",
            "title": "Unauthorized Access to Resource",
            "detail": "Access Denied.",
            "source": {"header": "Authorization"},
        }
    ]
}


def test_the_older_401_is_an_authentication_error_that_says_it_may_be_permission(
    h: Harness,
) -> None:
    h.server.default = ok(S27_401, status=401)
    with pytest.raises(AuthenticationError) as info:
        h.request("GET", PATH)
    (error,) = info.value.errors
    assert error.source is not None and error.source.header == "Authorization"
    assert error.pointer == "Authorization" and error.code == "UnauthorizedException"
    assert "lack of permission" in str(info.value)
    assert h.server.token_calls == 2  # refreshed once before giving up


def test_older_bare_pointer_and_numeric_status_decode(h: Harness) -> None:
    body = {
        "errors": [
            {"status": 422, "code": "RequestValidationError", "source": {"pointer": "weight_g"}}
        ]
    }
    h.server.default = ok(body, status=422)
    with pytest.raises(UnprocessableEntityError) as info:
        h.request("POST", PATH, body=b"{}")
    assert info.value.errors[0].pointer == "weight_g" and info.value.errors[0].status == "422"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
loc_parts = st.lists(st.one_of(st.text(max_size=6), st.integers(0, 9)), max_size=4)
fastapi_entries = st.fixed_dictionaries(
    {"loc": loc_parts, "msg": st.text(max_size=12), "type": st.text(max_size=8)}
)


@given(
    status=st.sampled_from([400, 401, 403, 404, 409, 422, 429, 500]),
    body=st.one_of(
        json_values,
        st.fixed_dictionaries({"detail": st.lists(st.one_of(fastapi_entries, json_values))}),
        st.fixed_dictionaries({"errors": st.lists(json_values, max_size=3)}),
    ),
)
def test_any_error_body_becomes_a_typed_error(status: int, body: Any) -> None:
    response = httpx.Response(
        status, content=json.dumps(body).encode(), request=httpx.Request("GET", "https://x.io/")
    )
    error = error_from_response(response)
    assert error.status_code == status and str(error).startswith(f"HTTP {status}")
    pointers: List[Any] = [e.pointer for e in error.errors]
    assert all(p is None or isinstance(p, str) for p in pointers)


@given(st.lists(st.one_of(st.text(max_size=6), st.integers(0, 9)), min_size=1, max_size=4))
def test_a_body_loc_is_a_json_pointer_that_reads_back(parts: List[Any]) -> None:
    body = {"detail": [{"loc": ["body", *parts], "msg": "bad", "type": "t"}]}
    response = httpx.Response(
        422, content=json.dumps(body).encode(), request=httpx.Request("GET", "https://x.io/")
    )
    (error,) = error_from_response(response).errors
    pointer = error.pointer
    assert pointer is not None and pointer.startswith("/")
    decoded = [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]
    assert decoded == [str(p) for p in parts]
