"""Typed errors from responses: status mapping, JSON:API errors, 422 messages, non-JSON bodies."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

import httpx
import pytest

from thg_connect_core import ErrorObject
from thg_connect_core._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestMaybeSentError,
    ThgConnectError,
    TokenError,
    UnprocessableEntityError,
    error_from_response,
)

REQUEST = httpx.Request("GET", "https://api.example.com/api/x/v1/o/e")


def response(
    status: int,
    body: Any = None,
    *,
    text: Optional[str] = None,
    headers: Optional[Dict[str, str]] = None,
) -> httpx.Response:
    content = (
        text.encode()
        if text is not None
        else json.dumps(body).encode() if body is not None else b""
    )
    return httpx.Response(status, content=content, headers=headers or {}, request=REQUEST)


@pytest.mark.parametrize(
    "status, cls",
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_status_mapping(status: int, cls: type) -> None:
    error = error_from_response(response(status, {"errors": []}))
    assert type(error) is cls
    assert error.status_code == status
    assert isinstance(error, APIStatusError)
    assert isinstance(error, ThgConnectError)


def test_jsonapi_errors_and_request_id() -> None:
    body = {
        "errors": [
            {
                "id": "1",
                "status": "404",
                "code": "NotFound",
                "title": "Not Found",
                "detail": "no such order",
            }
        ]
    }
    error = error_from_response(response(404, body, headers={"X-Request-Id": "req-123"}))
    assert error.request_id == "req-123"
    assert [e.model_dump(exclude_none=True) for e in error.errors] == body["errors"]
    assert error.errors[0].detail == "no such order" and error.errors[0].code == "NotFound"
    assert "no such order" in str(error)
    assert "404" in str(error)


def test_422_lists_every_failing_field() -> None:
    body = {
        "errors": [
            {
                "status": "422",
                "code": "RequestValidationError",
                "title": "Request Field Failed Validation",
                "detail": "weight_g must be a float greater than 0.",
                "source": {"pointer": "weight_g"},
            },
            {
                "status": "422",
                "title": "Request Field Failed Validation",
                "detail": "sku is required.",
                "source": {"pointer": "/data/attributes/sku"},
            },
        ]
    }
    error = error_from_response(response(422, body))
    assert isinstance(error, UnprocessableEntityError)
    message = str(error)
    assert "weight_g: weight_g must be a float greater than 0." in message
    assert "/data/attributes/sku: sku is required." in message
    assert len(error.errors) == 2
    assert [e.pointer for e in error.errors] == ["weight_g", "/data/attributes/sku"]
    assert all(isinstance(e, ErrorObject) for e in error.errors)


def test_error_objects_are_typed_and_read_leniently() -> None:
    body = {
        "errors": [
            {"status": 422, "detail": "bad", "source": "sku", "extra": 1},
            {"title": "t", "source": {"parameter": "filter"}},
        ]
    }
    error = error_from_response(response(422, body))
    first, second = error.errors
    assert (first.status, first.detail, first.pointer) == ("422", "bad", None)
    assert second.pointer == "filter" and second.title == "t"


def test_non_json_body_tolerated() -> None:
    error = error_from_response(response(502, text="<html>Bad gateway</html>"))
    assert isinstance(error, InternalServerError)
    assert "Bad gateway" in str(error)
    assert error.errors == []


def test_empty_body_tolerated() -> None:
    error = error_from_response(response(500))
    assert "500" in str(error)


def test_json_without_errors_member() -> None:
    error = error_from_response(response(400, {"message": "bad thing"}))
    assert "bad thing" in str(error)
    error = error_from_response(response(400, ["unexpected"]))
    assert isinstance(error, BadRequestError)


def test_rate_limit_retry_after() -> None:
    error = error_from_response(response(429, {"errors": []}, headers={"Retry-After": "7"}))
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0
    error = error_from_response(response(429, {"errors": []}))
    assert isinstance(error, RateLimitError)
    assert error.retry_after is None


def test_connection_error_hierarchy() -> None:
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(RequestMaybeSentError, APIConnectionError)
    assert issubclass(APIConnectionError, ThgConnectError)
    assert issubclass(TokenError, ThgConnectError)
    assert TokenError("denied", status_code=401).status_code == 401
