"""``AsyncAPIClient``: the asyncio twin of ``_client.SyncAPIClient``, in a module of its own so
that importing the blocking client (``from thg_connect import Client``) does not import asyncio
(issue 17's import cost). The shared behaviour is ``_client._BaseClient`` and ``_call.Call``."""

from __future__ import annotations

import asyncio
import random
import time
from types import TracebackType
from typing import Any, Awaitable, Callable, Mapping, Optional, Type, TypeVar, overload

import httpx

from ._call import Body, Call, Params
from ._client import _BaseClient
from ._config import ClientConfig

__all__ = ["AsyncAPIClient"]

T = TypeVar("T")


class AsyncAPIClient(_BaseClient):
    """Asyncio client for the THG Connect APIs; the twin of ``SyncAPIClient``."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        http_client: Optional[httpx.AsyncClient] = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
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
        self._http = (
            httpx.AsyncClient(timeout=config.timeout) if http_client is None else http_client
        )
        self._sleep = sleep

    @overload
    async def request(
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
    async def request(
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

    async def request(
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
        return await self._run(call)

    async def _run(self, call: Call) -> Any:
        auth = self._auth if call.authenticate else None
        while True:
            request = call.build(self._http)
            try:
                response = await self._http.send(request, auth=auth)
            except httpx.TransportError as exc:
                delay = call.failed(request, exc)
            else:
                answered = call.answered(request, response)
                if answered is None:
                    return call.result(response)
                delay = answered
                await response.aclose()
            await self._sleep(delay)

    def with_owner(self, owner: str) -> "AsyncAPIClient":
        """A client for another organisation sharing this one's connections and token."""
        return self._derive(owner)

    def with_options(
        self, *, timeout: Optional[float] = None, max_retries: Optional[int] = None
    ) -> "AsyncAPIClient":
        """The same client (connections, token, owner) with another default ``timeout``
        (seconds, the whole call) or ``max_retries``; None keeps this client's."""
        return self._with_options(timeout, max_retries)

    async def close(self) -> None:
        """Close the underlying httpx client if this client created it."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self) -> "AsyncAPIClient":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.close()
