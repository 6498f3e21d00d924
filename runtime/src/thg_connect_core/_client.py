"""The HTTP clients the generated code calls: one ``request`` method each, sync and async
(``AsyncAPIClient`` is in ``_async_client``, so that a blocking client does not import asyncio).

Every decision (request building, retry or not, how long to wait, which error, decoding,
logging) lives in ``_call.Call``; ``SyncAPIClient`` and ``AsyncAPIClient`` are loops that only
send and sleep, so the two cannot drift. Each client owns one httpx client (or uses the one it is
given) and one ``ClientCredentialsAuth``; ``with_owner`` derives a client for another
organisation that shares both, so connections and the token are reused.

``clock`` (monotonic), ``wall_clock`` (epoch seconds, for ``Retry-After`` dates), ``sleep`` and
``rand`` (jitter) are injectable so that backoff and deadline tests run instantly.
"""

from __future__ import annotations

import copy
import dataclasses
import random
import time
from types import TracebackType
from typing import Any, Callable, Dict, Mapping, Optional, Type, TypeVar, overload

import httpx

from ._auth import ClientCredentialsAuth
from ._call import Body, Call, Params
from ._config import ClientConfig

__all__ = ["SyncAPIClient"]

T = TypeVar("T")
C = TypeVar("C", bound="_BaseClient")


class _BaseClient:
    """What the sync and async clients share apart from sending and sleeping."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
        rand: Callable[[], float],
        owns_http_client: bool,
    ) -> None:
        self._config = config
        self._clock = clock
        self._wall_clock = wall_clock
        self._rand = rand
        self._owns_http_client = owns_http_client
        self._auth = ClientCredentialsAuth.from_config(config, clock=clock)

    @property
    def owner(self) -> str:
        """The organisation slug requests are made for."""
        return self._config.owner

    @property
    def config(self) -> ClientConfig:
        """The client's (frozen) configuration."""
        return self._config

    def __repr__(self) -> str:
        return f"{type(self).__name__}(owner={self.owner!r}, base_url={self._config.base_url!r})"

    def _derive(self: C, owner: str) -> C:
        return self._derive_config(self._config.with_owner(owner))

    def _derive_config(self: C, config: ClientConfig) -> C:
        other = copy.copy(self)
        other._config = config
        other._owns_http_client = False  # the original closes the shared httpx client
        return other

    def _with_options(self: C, timeout: Optional[float], max_retries: Optional[int]) -> C:
        changes: Dict[str, Any] = {}
        if timeout is not None:
            changes["timeout"] = timeout
        if max_retries is not None:
            changes["max_retries"] = max_retries
        return self._derive_config(dataclasses.replace(self._config, **changes))

    def _call(
        self,
        method: str,
        path: str,
        params: Params,
        body: Body,
        cast_to: Optional[Type[Any]],
        timeout: Optional[float],
        extra_headers: Optional[Mapping[str, str]],
        extra_query: Params,
        *,
        authenticate: bool = True,
        max_retries: Optional[int] = None,
    ) -> Call:
        return Call(
            config=self._config,
            auth=self._auth,
            clock=self._clock,
            wall_clock=self._wall_clock,
            rand=self._rand,
            method=method,
            path=path,
            params=params,
            body=body,
            cast_to=cast_to,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            authenticate=authenticate,
            max_retries=max_retries,
        )


class SyncAPIClient(_BaseClient):
    """Blocking client for the THG Connect APIs (thread-safe)."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        http_client: Optional[httpx.Client] = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(
            config,
            clock=clock,
            wall_clock=wall_clock,
            rand=rand,
            owns_http_client=http_client is None,
        )
        self._http = httpx.Client(timeout=config.timeout) if http_client is None else http_client
        self._sleep = sleep

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params = None,
        body: Body = None,
        cast_to: Type[T],
        timeout: Optional[float] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_query: Params = None,
        max_retries: Optional[int] = None,
    ) -> T: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params = None,
        body: Body = None,
        cast_to: None = None,
        timeout: Optional[float] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_query: Params = None,
        max_retries: Optional[int] = None,
    ) -> None: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params = None,
        body: Body = None,
        cast_to: Optional[Type[Any]] = None,
        timeout: Optional[float] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_query: Params = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        """Send ``method path`` (a path under the base URL, or an absolute URL) with retries.

        Returns the body decoded as ``cast_to`` (None for a 204 or when ``cast_to`` is None);
        raises a ``ThgConnectError`` subclass (a body is read leniently: one that breaks
        ``cast_to``'s constraints or has odd records still decodes, and one that cannot be read
        at all raises ``ResponseDecodeError``). ``timeout`` (seconds) bounds the whole call, retries
        and waits included, and ``max_retries`` caps this call's retries; both default to the
        configuration's. ``cast_to=RawResponse`` returns the raw response instead of a body.
        """
        call = self._call(
            method,
            path,
            params,
            body,
            cast_to,
            timeout,
            extra_headers,
            extra_query,
            max_retries=max_retries,
        )
        return self._run(call)

    def _run(self, call: Call) -> Any:
        auth = self._auth if call.authenticate else None
        while True:
            request = call.build(self._http)
            try:
                response = self._http.send(request, auth=auth)
            except httpx.TransportError as exc:
                delay = call.failed(request, exc)
            else:
                answered = call.answered(request, response)
                if answered is None:
                    return call.result(response)
                delay = answered
                response.close()
            self._sleep(delay)

    def with_owner(self, owner: str) -> "SyncAPIClient":
        """A client for another organisation sharing this one's connections and token."""
        return self._derive(owner)

    def with_options(
        self, *, timeout: Optional[float] = None, max_retries: Optional[int] = None
    ) -> "SyncAPIClient":
        """The same client (connections, token, owner) with another default ``timeout``
        (seconds, the whole call) or ``max_retries``; None keeps this client's."""
        return self._with_options(timeout, max_retries)

    def close(self) -> None:
        """Close the underlying httpx client if this client created it."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self) -> "SyncAPIClient":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()
