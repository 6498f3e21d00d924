"""Typed exceptions raised by the runtime (specs/CONVENTIONS.md §13, runtime brief "Platform
facts").

* ``APIStatusError`` and its subclasses: the server answered with an error status.
* ``APIConnectionError`` / ``APITimeoutError``: nothing was received (the request may or may not
  have been retried before giving up).
* ``RequestMaybeSentError``: a POST failed after it began sending; it may have taken effect.
* ``TokenError``: the token endpoint refused the credentials or could not be reached. Its message
  is built from the server's ``error_description``/``error``, never from the secret.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Union

import httpx

from ._base_error import ResponseDecodeError, ThgConnectError
from ._retry import parse_retry_after

if TYPE_CHECKING:
    from ._jsonapi import ErrorObject

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestMaybeSentError",
    "ResponseDecodeError",
    "ThgConnectError",
    "TokenError",
    "UnprocessableEntityError",
    "error_from_response",
]


class APIStatusError(ThgConnectError):
    """The API answered with a 4xx/5xx status."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        errors: Optional[Sequence[Union[ErrorObject, Dict[str, Any]]]] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.response = response
        self.status_code: int = response.status_code
        self.errors: List[ErrorObject] = [_error_object(e) for e in errors or ()]
        """The JSON:API error objects (status, code, title, detail, source; ``.pointer``)."""
        self.request_id = request_id


class BadRequestError(APIStatusError):
    """400; the reference pages answer 400 "data not valid" for a request that fails validation
    (S3), so its message lists every failing field as ``pointer: detail`` as a 422's does."""


class AuthenticationError(APIStatusError):
    """401, always after the one token refresh and resend: the token endpoint accepted the
    credentials, so the API refused a fresh token. The older platform answers 401 (code
    ``UnauthorizedException``, ``source.header`` ``Authorization``) for a valid token that lacks
    permission (S27), so the message says that this may be a permission problem."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409."""


class UnprocessableEntityError(APIStatusError):
    """422: the message lists every failing field as ``pointer: detail``; JSON:API ``errors[]``
    and FastAPI's ``detail[]`` (its ``loc`` read as the pointer) alike."""


class RateLimitError(APIStatusError):
    """429; ``retry_after`` is the server's ``Retry-After`` in seconds when it gave one."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        errors: Optional[Sequence[Union[ErrorObject, Dict[str, Any]]]] = None,
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message, response=response, errors=errors, request_id=request_id)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """5xx."""


class APIConnectionError(ThgConnectError):
    """No response was received (connection refused, DNS, TLS, dropped connection...)."""

    def __init__(
        self, message: str = "Connection error.", *, request: Optional[httpx.Request] = None
    ) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out before a response was received."""

    def __init__(
        self, message: str = "Request timed out.", *, request: Optional[httpx.Request] = None
    ) -> None:
        super().__init__(message, request=request)


class RequestMaybeSentError(APIConnectionError):
    """A POST failed after it began sending: it may have reached the server and taken effect.

    It is never retried automatically; check whether the resource exists before retrying.
    """


class TokenError(ThgConnectError):
    """The token endpoint failed; ``status_code`` is None when it could not be reached."""

    def __init__(self, message: str, *, status_code: Optional[int] = None) -> None:
        super().__init__(message)
        self.status_code = status_code


_BY_STATUS: Dict[int, type] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _json_body(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None


def _error_object(error: Union[ErrorObject, Dict[str, Any]]) -> ErrorObject:
    """An error object read leniently: a member of an unexpected type (a numeric ``status``)
    is kept as text or left out rather than failing the error itself."""
    # Imported here, not at the top: the client's import path raises these errors but must not
    # build the JSON:API models (pydantic), which only an error response needs.
    from ._jsonapi import ErrorObject

    if isinstance(error, ErrorObject):
        return error
    try:
        return ErrorObject.model_validate(error)
    except ValueError:
        fixed = {
            k: (str(v) if isinstance(v, (int, float)) and k != "source" else v)
            for k, v in error.items()
            if k != "source" or isinstance(v, dict)
        }
        try:
            return ErrorObject.model_validate(fixed)
        except ValueError:
            return ErrorObject.model_construct(**error)


def _error_objects(body: Any, status: int) -> List[Dict[str, Any]]:
    """The body's error objects: JSON:API ``errors[]``, or FastAPI's ``{"detail": [{loc, msg,
    type}]}`` (S4) read into the same shape (``source.pointer`` from ``loc``)."""
    if not isinstance(body, dict):
        return []
    errors = body.get("errors")
    if isinstance(errors, list):
        return [e for e in errors if isinstance(e, dict)]
    detail = body.get("detail")
    if isinstance(detail, list):
        return [_from_fastapi(d, status) for d in detail if isinstance(d, dict)]
    return []


# FastAPI's first ``loc`` item says where the value came from; the rest is the path inside it.
_FASTAPI_PLACES = {"query": "parameter", "path": "parameter", "header": "header"}


def _from_fastapi(entry: Dict[str, Any], status: int) -> Dict[str, Any]:
    """One FastAPI validation entry as a JSON:API error object: ``loc ["body", "data",
    "attributes", "sku"]`` is the pointer ``/data/attributes/sku``, ``["query", "page[size]"]``
    the parameter ``page[size]``, ``["header", "x"]`` the header ``x``."""
    loc = entry.get("loc")
    parts = [str(p) for p in loc] if isinstance(loc, list) else []
    source: Dict[str, str] = {}
    if parts:
        place = _FASTAPI_PLACES.get(parts[0])
        if place is not None and len(parts) > 1:
            source[place] = ".".join(parts[1:])
        else:
            rest = parts[1:] if parts[0] == "body" else parts
            escaped = (p.replace("~", "~0").replace("/", "~1") for p in rest)
            source["pointer"] = "/" + "/".join(escaped)
    error: Dict[str, Any] = {"status": str(status), "title": "Validation Error"}
    if isinstance(entry.get("type"), str):
        error["code"] = entry["type"]
    if isinstance(entry.get("msg"), str):
        error["detail"] = entry["msg"]
    if source:
        error["source"] = source
    return error


def _pointer(error: Dict[str, Any]) -> Optional[str]:
    source = error.get("source")
    if isinstance(source, dict):
        for key in ("pointer", "parameter", "header"):
            value = source.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def _describe(error: Dict[str, Any]) -> str:
    for key in ("detail", "title", "code"):
        value = error.get(key)
        if isinstance(value, str) and value:
            return value
    return "error"


def _message(response: httpx.Response, errors: List[Dict[str, Any]], body: Any) -> str:
    head = f"HTTP {response.status_code}"
    if errors:
        if response.status_code in (400, 422) and any(_pointer(e) for e in errors):
            lines = []
            for error in errors:
                pointer = _pointer(error)
                detail = _describe(error)
                lines.append(f"  {pointer}: {detail}" if pointer else f"  {detail}")
            return f"{head}: request validation failed:\n" + "\n".join(lines)
        parts = []
        for error in errors:
            pointer = _pointer(error)
            detail = _describe(error)
            parts.append(f"{pointer}: {detail}" if pointer else detail)
        return f"{head}: " + "; ".join(parts)
    if isinstance(body, dict):
        for key in ("error_description", "message", "detail", "error", "title"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return f"{head}: {value}"
    text = response.text.strip() if body is None else ""
    if text:
        return f"{head}: {text[:500]}"
    return f"{head}: {response.reason_phrase or 'error'}"


def parse_retry_after_header(response: httpx.Response) -> Optional[float]:
    """``Retry-After`` in seconds (number or HTTP-date), or None."""
    return parse_retry_after(response.headers.get("retry-after"), time.time())


_AFTER_REFRESH = (
    " (refused with a freshly fetched token: the credentials are valid at the token endpoint, so"
    " this API may be refusing them for lack of permission; the older platform answers 401, not"
    " 403, for a valid token without permission)"
)


def error_from_response(response: httpx.Response) -> APIStatusError:
    """The typed error for an error response (JSON:API ``errors`` if present; any body
    tolerated)."""
    body = _json_body(response)
    errors = _error_objects(body, response.status_code)
    message = _message(response, errors, body)
    if response.status_code == 401:
        message += _AFTER_REFRESH
    request_id = response.headers.get("x-request-id")
    status = response.status_code
    if status == 429:
        return RateLimitError(
            message,
            response=response,
            errors=errors,
            request_id=request_id,
            retry_after=parse_retry_after_header(response),
        )
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    error: APIStatusError = cls(message, response=response, errors=errors, request_id=request_id)
    return error
