"""The raw HTTP response of a successful call, kept beside the parsed model.

Every resource a call returns carries ``raw_response`` (status, headers, the platform's request
id, how many retries it took) and ``request_id``, so the evidence support asks for is there on
success as well as on errors (``APIStatusError.request_id``). A low-level
``api.request(..., cast_to=RawResponse)`` returns the raw response instead of a parsed body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import httpx

__all__ = ["RawResponse"]

REQUEST_ID_HEADER = "x-request-id"


@dataclass(frozen=True)
class RawResponse:
    """The final HTTP response of one call (its body already read)."""

    http_response: httpx.Response
    """The httpx response itself: ``.json()``, ``.content``, ``.elapsed``…"""
    retries_taken: int
    """How many times the call was retried before this response (0: the first attempt)."""

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> Optional[str]:
        """The platform's id of this request (``X-Request-Id``), for support tickets."""
        value: Optional[str] = self.http_response.headers.get(REQUEST_ID_HEADER)
        return value

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def url(self) -> httpx.URL:
        return self.http_response.request.url

    def __repr__(self) -> str:
        # The path only: a presigned URL's query is a credential.
        return (
            f"RawResponse({self.method} {self.url.path} -> {self.status_code}, "
            f"request_id={self.request_id!r}, retries_taken={self.retries_taken})"
        )


def attach_raw_response(value: Any, raw: RawResponse) -> Any:
    """Give a decoded document, and each resource in its ``data``, its ``raw_response``."""
    setter = getattr(value, "_set_raw_response", None)
    if setter is not None:
        setter(raw)
        data = getattr(value, "data", None)
        for item in data if isinstance(data, list) else (data,):
            item_setter = getattr(item, "_set_raw_response", None)
            if item_setter is not None:
                item_setter(raw)
    return value
