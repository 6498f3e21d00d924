"""OAuth2 client-credentials authentication as an ``httpx.Auth`` (runtime brief, "Auth").

* The token is fetched by yielding the token request from the auth flow: httpx sends it with the
  same client (same transport, proxies, TLS settings) and does not re-authenticate it.
* Single flight: a ``threading.Lock`` (sync) / ``asyncio.Lock`` (async, created lazily per event
  loop) is held while the token request is in flight, so many first calls cause one request.
* Refresh ahead: a token is due ``min(60 s, 10% of its lifetime)`` before it expires. If a
  refresh fails while the old token is still valid, the old token keeps being used (and the
  refresh is tried again a few seconds later).
* ``Authorization: Bearer`` goes only to the API's scheme://host:port, never to other hosts such
  as presigned upload URLs.
* A 401 drops the token, fetches a new one and resends once; a second 401 is returned.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import TYPE_CHECKING, Any, AsyncGenerator, Callable, Generator, Optional, Tuple

import httpx

from ._config import ClientConfig, Secret
from ._errors import TokenError

if TYPE_CHECKING:
    import asyncio

__all__ = ["ClientCredentialsAuth", "TokenState", "TOKEN_REQUEST_EXTENSION"]

TOKEN_REQUEST_EXTENSION = "thg_connect_token_request"
"""Marks the token request in ``request.extensions`` (the client tells its failures apart)."""

logger = logging.getLogger("thg_connect")

_MAX_MARGIN = 60.0
_RETRY_REFRESH_AFTER = 5.0
_DEFAULT_EXPIRES_IN = 300.0
_DEFAULT_PORTS = {"http": 80, "https": 443}


class TokenState:
    """A bearer token and when it expires, on a monotonic clock (no I/O)."""

    def __init__(self) -> None:
        self.token: Optional[str] = None
        self.expires_at = 0.0
        self.refresh_at = 0.0

    def set(self, token: str, expires_in: float, now: float) -> None:
        """Store a token that lives ``expires_in`` seconds from ``now``."""
        lifetime = max(0.0, float(expires_in))
        self.token = token
        self.expires_at = now + lifetime
        self.refresh_at = self.expires_at - min(_MAX_MARGIN, 0.1 * lifetime)

    def clear(self) -> None:
        self.token = None
        self.expires_at = 0.0
        self.refresh_at = 0.0

    def valid(self, now: float) -> bool:
        """There is a token and it has not expired."""
        return self.token is not None and now < self.expires_at

    def due(self, now: float) -> bool:
        """A new token should be fetched (none, or within the refresh margin)."""
        return self.token is None or now >= self.refresh_at

    def defer(self, now: float, seconds: float = _RETRY_REFRESH_AFTER) -> None:
        """After a failed refresh, keep the current token and try again ``seconds`` later."""
        self.refresh_at = min(now + seconds, self.expires_at)


def _origin(url: httpx.URL) -> Tuple[str, str, Optional[int]]:
    scheme = url.scheme.lower()
    return scheme, url.host.lower(), url.port or _DEFAULT_PORTS.get(scheme)


def _token_error(response: httpx.Response, secret: str) -> TokenError:
    message = ""
    try:
        body: Any = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict):
        for key in ("error_description", "error", "message"):
            value = body.get(key)
            if isinstance(value, str) and value:
                message = value
                break
        errors = body.get("errors")
        if not message and isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            message = str(first.get("detail") or first.get("title") or first.get("code") or "")
    elif body is None:
        message = response.text.strip()[:300]
    if secret:
        message = message.replace(secret, "**********")
    text = f"token request failed with HTTP {response.status_code}"
    return TokenError(f"{text}: {message}" if message else text, status_code=response.status_code)


class ClientCredentialsAuth(httpx.Auth):
    """Client-credentials bearer auth for the API's origin; see the module docstring."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: Secret,
        token_url: str,
        audience: str,
        base_url: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._token_url = token_url
        self._audience = audience
        self._origin = _origin(httpx.URL(base_url))
        self._clock = clock
        self.state = TokenState()
        self._lock = threading.Lock()
        self._async_lock: Optional[Tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = None

    @classmethod
    def from_config(
        cls, config: ClientConfig, *, clock: Callable[[], float] = time.monotonic
    ) -> "ClientCredentialsAuth":
        return cls(
            client_id=config.client_id,
            client_secret=config.client_secret,
            token_url=config.token_url,
            audience=config.audience,
            base_url=config.base_url,
            clock=clock,
        )

    def __repr__(self) -> str:
        return (
            f"ClientCredentialsAuth(client_id={self._client_id!r}, token_url={self._token_url!r})"
        )

    # -- pure helpers ---------------------------------------------------------------------------

    def applies_to(self, request: httpx.Request) -> bool:
        """Whether ``request`` goes to the API's scheme://host:port (and so gets the token)."""
        return _origin(request.url) == self._origin

    def is_token_request(self, request: Optional[httpx.Request]) -> bool:
        return request is not None and bool(request.extensions.get(TOKEN_REQUEST_EXTENSION))

    def _token_request(self, original: httpx.Request) -> httpx.Request:
        extensions = {TOKEN_REQUEST_EXTENSION: True}
        if "timeout" in original.extensions:
            extensions["timeout"] = original.extensions["timeout"]
        return httpx.Request(
            "POST",
            self._token_url,
            json={
                "client_id": self._client_id,
                "client_secret": self._client_secret.reveal(),
                "grant_type": "client_credentials",
                "audience": self._audience,
            },
            headers={"Accept": "application/json"},
            extensions=extensions,
        )

    def _accept(self, response: httpx.Response, started: float) -> None:
        """Store the token from a read token response, or raise ``TokenError``."""
        logger.debug(
            "POST %s (token) -> %d in %.1f ms",
            response.request.url.path,
            response.status_code,
            (self._clock() - started) * 1000.0,
        )
        if response.status_code != 200:
            raise _token_error(response, self._client_secret.reveal())
        try:
            body: Any = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            body = None
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise TokenError("token response has no access_token", status_code=200)
        expires_in = body.get("expires_in", _DEFAULT_EXPIRES_IN)
        if isinstance(expires_in, str):
            try:
                expires_in = float(expires_in)
            except ValueError:
                expires_in = _DEFAULT_EXPIRES_IN
        if not isinstance(expires_in, (int, float)) or isinstance(expires_in, bool):
            expires_in = _DEFAULT_EXPIRES_IN
        self.state.set(token, float(expires_in), started)

    def _failed(self, error: TokenError) -> str:
        """After a failed fetch: the still-valid old token (refresh deferred), or raise."""
        now = self._clock()
        token = self.state.token
        if token is not None and self.state.valid(now):
            self.state.defer(now)
            return token
        self.state.clear()
        raise error

    def _abandoned(self) -> None:
        """The token request raised (transport error): defer the refresh if the token is valid."""
        now = self._clock()
        if self.state.valid(now):
            self.state.defer(now)

    def _drop(self, used: Optional[str]) -> None:
        if used is not None and self.state.token == used:
            self.state.clear()

    # -- sync -----------------------------------------------------------------------------------

    def _sync_token(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, str]:
        token = self.state.token
        if token is not None and not self.state.due(self._clock()):
            return token
        with self._lock:
            token = self.state.token
            if token is not None and not self.state.due(self._clock()):
                return token
            started = self._clock()
            completed = False
            try:
                response = yield self._token_request(request)
                completed = True
            finally:
                if not completed:
                    self._abandoned()
            response.read()
            try:
                self._accept(response, started)
            except TokenError as error:
                return self._failed(error)
            assert self.state.token is not None
            return self.state.token

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        if not self.applies_to(request):
            yield request
            return
        token = yield from self._sync_token(request)
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != 401:
            return
        self._drop(token)
        token = yield from self._sync_token(request)
        request.headers["Authorization"] = f"Bearer {token}"
        yield request

    # -- async ----------------------------------------------------------------------------------

    def _get_async_lock(self) -> asyncio.Lock:
        import asyncio  # here, not at the top: only an asyncio client gets this far

        loop = asyncio.get_running_loop()
        if self._async_lock is None or self._async_lock[0] is not loop:
            self._async_lock = (loop, asyncio.Lock())
        return self._async_lock[1]

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if not self.applies_to(request):
            yield request
            return
        for attempt in range(2):
            token = self.state.token
            if token is None or self.state.due(self._clock()):
                async with self._get_async_lock():
                    token = self.state.token
                    if token is None or self.state.due(self._clock()):
                        started = self._clock()
                        completed = False
                        try:
                            response = yield self._token_request(request)
                            completed = True
                        finally:
                            if not completed:
                                self._abandoned()
                        await response.aread()
                        try:
                            self._accept(response, started)
                            token = self.state.token
                        except TokenError as error:
                            token = self._failed(error)
            assert token is not None
            request.headers["Authorization"] = f"Bearer {token}"
            response = yield request
            if response.status_code != 401 or attempt == 1:
                return
            self._drop(token)
