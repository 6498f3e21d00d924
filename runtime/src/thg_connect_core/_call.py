"""One API call as a sans-I/O state machine: the decisions the sync and async clients share.

``Call`` builds each attempt's request, turns a response or a transport failure into "wait this
long and try again" or a final result/typed error, and logs each attempt. It never sends and
never sleeps: ``SyncAPIClient`` and ``AsyncAPIClient`` are loops that do only that. Retries follow
specs/CONVENTIONS.md §13 through ``_retry``; the budget is the whole call, retries and waits
included, and no wait ends at or past it.

Logging (``logging.getLogger("thg_connect")``, DEBUG): method, the URL's path only (never its
query, which for a presigned URL is a credential), status or failure type, elapsed time and the
attempt number; never a header or a body.
"""

from __future__ import annotations

import logging
from typing import IO, Any, Callable, Dict, Mapping, Optional, Type, Union

import httpx

from ._auth import ClientCredentialsAuth
from ._body import FileBody, RequestStream
from ._config import ClientConfig
from ._errors import (
    APIConnectionError,
    APITimeoutError,
    RequestMaybeSentError,
    TokenError,
    error_from_response,
)
from ._response import RawResponse, attach_raw_response
from ._retry import IDEMPOTENT_METHODS, next_delay, parse_retry_after, provably_unsent

__all__ = ["Body", "Call", "Params", "USER_AGENT", "logger"]

Body = Union[bytes, IO[bytes], RequestStream, None]
"""A request body: JSON bytes, or a binary file sent from its current position (rewound on
every retry and resend when it can seek), or a runtime-built stream (a multipart upload)."""
Params = Optional[Mapping[str, Any]]

logger = logging.getLogger("thg_connect")

USER_AGENT = "thg-connect-python/0.1.0"


def _failed_request(exc: httpx.TransportError) -> Optional[httpx.Request]:
    try:
        return exc.request
    except RuntimeError:  # raised by httpx when the error was created without a request
        return None


def _url(base_url: str, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{base_url}/{path.lstrip('/')}"


class Call:
    """The state of one ``request()``: attempt count, deadline, the body and its rewinding."""

    def __init__(
        self,
        *,
        config: ClientConfig,
        auth: ClientCredentialsAuth,
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
        rand: Callable[[], float],
        method: str,
        path: str,
        params: Params,
        body: Body,
        cast_to: Optional[Type[Any]],
        timeout: Optional[float],
        extra_headers: Optional[Mapping[str, str]],
        extra_query: Params,
        authenticate: bool = True,
        max_retries: Optional[int] = None,
    ) -> None:
        self._config = config
        self._auth = auth
        self._clock = clock
        self._wall_clock = wall_clock
        self._rand = rand
        self.method = method.upper()
        self._url = _url(config.base_url, path)
        self._cast_to = cast_to
        self._budget = config.timeout if timeout is None else timeout
        if self._budget <= 0:
            raise ValueError("timeout must be greater than 0")
        self._max_retries = config.max_retries if max_retries is None else max_retries
        if isinstance(self._max_retries, bool) or not isinstance(self._max_retries, int):
            raise TypeError("max_retries must be an int")
        if self._max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self._deadline = clock() + self._budget
        self.attempt = 0
        self._started = 0.0
        self._may_have_applied = False
        """An earlier attempt may have reached the server and taken effect (its response was
        lost, or a 5xx came back, possibly from a gateway after the origin acted)."""
        self.authenticate = authenticate
        """False for requests that must carry no token whatever their origin (presigned
        uploads: the sandbox serves them on the API's own origin)."""

        headers: Dict[str, str] = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if isinstance(body, RequestStream) and body.content_type is not None:
            headers["Content-Type"] = body.content_type
        elif body is not None:
            headers["Content-Type"] = "application/json"
        headers.update(extra_headers or {})
        self._headers = headers
        query: Dict[str, Any] = {}
        query.update(params or {})
        query.update(extra_query or {})
        self._params = {k: v for k, v in query.items() if v is not None} or None
        self._content: Optional[bytes] = None
        self._file: Optional[RequestStream] = None
        if isinstance(body, (bytes, bytearray, memoryview)):
            self._content = bytes(body)
        elif isinstance(body, RequestStream):
            self._file = body
        elif isinstance(body, str):
            raise TypeError("body must be bytes or a binary file, not str (encode it first)")
        elif body is not None:
            self._file = FileBody(body)

    # -- building -------------------------------------------------------------------------------

    def build(self, http: Union[httpx.Client, httpx.AsyncClient]) -> httpx.Request:
        """The request for the next attempt, its timeout cut to what is left of the budget."""
        remaining = min(self._budget, self._deadline - self._clock())
        request = http.build_request(
            self.method,
            self._url,
            params=self._params,
            content=self._content,
            headers=self._headers,
            timeout=httpx.Timeout(max(remaining, 0.001)),
        )
        if self._file is not None:
            # httpx.Client.build_request only takes bodies it can read whole or once; rebuild
            # the merged request around the rewinding stream instead.
            headers = request.headers
            if self._file.length is not None:
                headers["Content-Length"] = str(self._file.length)
            else:
                headers["Transfer-Encoding"] = "chunked"
            request = httpx.Request(
                self.method,
                request.url,
                headers=headers,
                stream=self._file,
                extensions=request.extensions,
            )
        self._started = self._clock()
        return request

    # -- deciding -------------------------------------------------------------------------------

    def _delay(
        self,
        method: str,
        *,
        status: Optional[int] = None,
        exc: Optional[BaseException] = None,
        retry_after: Optional[float] = None,
    ) -> Optional[float]:
        if self._file is not None and not self._file.rewindable:
            return None  # the body cannot be sent again
        c = self._config
        return next_delay(
            method,
            self.attempt,
            max_retries=self._max_retries,
            status=status,
            exc=exc,
            retry_after=retry_after,
            now=self._clock(),
            deadline=self._deadline,
            base=c.backoff_base,
            cap=c.backoff_cap,
            retry_after_cap=c.retry_after_cap,
            rand=self._rand,
        )

    def answered(self, request: httpx.Request, response: httpx.Response) -> Optional[float]:
        """After a response: seconds to wait before retrying, or None when it is final."""
        self._log(request, str(response.status_code))
        if response.is_success:
            return None
        retry_after = parse_retry_after(response.headers.get("retry-after"), self._wall_clock())
        delay = self._delay(self.method, status=response.status_code, retry_after=retry_after)
        if delay is not None:
            self.attempt += 1
            if response.status_code >= 500:
                self._may_have_applied = True
        return delay

    def failed(self, request: httpx.Request, exc: httpx.TransportError) -> float:
        """After a transport failure: seconds to wait before retrying; raises the typed error
        (chained to ``exc``) when there is no retry."""
        failed_request = _failed_request(exc)
        token_request = self._auth.is_token_request(failed_request)
        self._log(failed_request if failed_request is not None else request, type(exc).__name__)
        # A failed token request means the API request itself was never sent.
        delay = self._delay("GET" if token_request else self.method, exc=exc)
        if delay is None:
            raise self._error(exc, failed_request, token_request) from exc
        self.attempt += 1
        if not token_request and not provably_unsent(exc):
            self._may_have_applied = True
        return delay

    def _error(
        self, exc: httpx.TransportError, request: Optional[httpx.Request], token_request: bool
    ) -> Exception:
        name = type(exc).__name__
        if token_request:
            return TokenError(f"could not reach the token endpoint ({name})")
        if self.method not in IDEMPOTENT_METHODS and not provably_unsent(exc):
            return RequestMaybeSentError(
                f"{self.method} failed after it began sending ({name}); it may have taken effect",
                request=request,
            )
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"request timed out ({name})", request=request)
        return APIConnectionError(f"connection error ({name})", request=request)

    def result(self, response: httpx.Response) -> Any:
        """The final response decoded as ``cast_to`` (None for 204 or no ``cast_to``; the
        ``RawResponse`` itself when ``cast_to`` is ``RawResponse``), or the typed error for an
        error status. A decoded document and its resources carry the ``RawResponse``.

        A DELETE retried after an attempt that may have taken effect (its response was lost, or
        a 5xx came back) and answered 404 succeeded: the earlier attempt deleted it."""
        raw = RawResponse(response, retries_taken=self.attempt)
        if self._already_deleted(response):
            return raw if self._cast_to is RawResponse else None
        if not response.is_success:
            raise error_from_response(response)
        if self._cast_to is RawResponse:
            return raw
        if response.status_code == 204 or self._cast_to is None:
            return None
        # A server's answer is read leniently (unknown members and enum values kept), whoever
        # asked: a resource method, client.get, or api.request called directly. The decoder is
        # imported on the first answer to decode, not with the client: it builds pydantic models.
        from ._jsonapi import decode
        from ._models import lenient_enums

        with lenient_enums():
            document = decode(response.content, self._cast_to)
        return attach_raw_response(document, raw)

    def _already_deleted(self, response: httpx.Response) -> bool:
        gone = response.status_code == 404 and self.method == "DELETE" and self._may_have_applied
        if gone:
            logger.debug(
                "DELETE %s -> 404 on a retry: an earlier attempt deleted it",
                response.request.url.path,
            )
        return gone

    def _log(self, request: httpx.Request, outcome: str) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        logger.debug(
            "%s %s -> %s in %.1f ms (attempt %d)",
            request.method,
            request.url.path,
            outcome,
            (self._clock() - self._started) * 1000.0,
            self.attempt + 1,
        )
