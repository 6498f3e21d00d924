"""A scripted token endpoint + API behind httpx.MockTransport, and a sync/async client driver.

``Harness(mode)`` builds a ``SyncAPIClient`` or an ``AsyncAPIClient`` over the same scripted
server, with a fake monotonic clock that ``sleep`` advances, a fixed wall clock and no jitter,
so backoff and deadline tests run instantly and identically for both clients.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, Callable, Dict, List, Optional, Union

import httpx
from pydantic import BaseModel

from thg_connect_core import AsyncAPIClient, ClientConfig, Secret, SyncAPIClient

BASE = "https://api.example.com"
TOKEN_URL = "https://auth.example.net/oauth/token"
SECRET = "s3cr3t-client-value"
WALL = 1_800_000_000.0  # the fixed "now" of the wall clock, epoch seconds

Step = Union[httpx.Response, Exception, Callable[[httpx.Request], httpx.Response]]


class Attrs(BaseModel):
    sku: str


def resource(i: int, owner: str = "acme") -> Dict[str, Any]:
    return {
        "id": f"id{i}",
        "type": "thg-fulfil:inventory-item",
        "attributes": {"sku": f"S{i}"},
        "meta": {"owner": owner, "reference": f"thg:thg-fulfil:inventory-item#{owner}@id{i}"},
        "version": "1",
    }


def ok(body: Any, status: int = 200, headers: Optional[Dict[str, str]] = None) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)


def status(code: int, headers: Optional[Dict[str, str]] = None) -> httpx.Response:
    body = {"errors": [{"status": str(code), "title": "boom", "detail": f"status {code}"}]}
    return httpx.Response(
        code,
        content=json.dumps(body).encode(),
        headers={"X-Request-Id": "req-1", **(headers or {})},
    )


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Server:
    """Token endpoint issuing tok1, tok2...; API answering from a script, then ``default``."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.script: List[Step] = []
        self.default: Step = ok({"data": [resource(1)]})
        self.token_script: List[Step] = []
        self.token_calls = 0
        self.api_requests: List[httpx.Request] = []
        self.api_bodies: List[bytes] = []
        self.api_auth: List[Optional[str]] = []  # as sent (the auth flow reuses the request)
        self.api_elapsed = 0.0  # the fake time each API request takes
        self.lock = threading.Lock()

    def handler(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            with self.lock:
                self.token_calls += 1
                n = self.token_calls
                step = self.token_script.pop(0) if self.token_script else None
            if step is None:
                return ok({"access_token": f"tok{n}", "expires_in": 3600, "token_type": "Bearer"})
            return self._play(step, request)
        body = request.read()
        with self.lock:
            self.api_requests.append(request)
            self.api_bodies.append(body)
            self.api_auth.append(request.headers.get("authorization"))
            step = self.script.pop(0) if self.script else self.default
        self.clock.now += self.api_elapsed
        return self._play(step, request)

    @staticmethod
    def _play(step: Step, request: httpx.Request) -> httpx.Response:
        if isinstance(step, Exception):
            if isinstance(step, httpx.RequestError):
                step.request = request
            raise step
        if isinstance(step, httpx.Response):
            return httpx.Response(
                step.status_code, headers=step.headers, content=step.content, request=request
            )
        return step(request)


def config(**overrides: Any) -> ClientConfig:
    values: Dict[str, Any] = dict(
        client_id="cid",
        client_secret=Secret(SECRET),
        owner="acme",
        base_url=BASE,
        token_url=TOKEN_URL,
        audience=BASE,
        timeout=30.0,
        max_retries=2,
        backoff_base=0.5,
        backoff_cap=8.0,
        retry_after_cap=60.0,
    )
    values.update(overrides)
    return ClientConfig(**values)


class Harness:
    """One client (sync or async) over one scripted server; ``request`` runs either the same way."""

    def __init__(self, mode: str, **overrides: Any) -> None:
        self.mode = mode
        self.clock = Clock()
        self.server = Server(self.clock)
        self.sleeps: List[float] = []
        transport = httpx.MockTransport(self.server.handler)
        cfg = config(**overrides)
        self.client: Union[SyncAPIClient, AsyncAPIClient]
        if mode == "sync":
            self.client = SyncAPIClient(
                cfg,
                http_client=httpx.Client(transport=transport),
                sleep=self._sleep,
                clock=self.clock,
                wall_clock=lambda: WALL,
                rand=lambda: 0.5,
            )
        else:
            self.client = AsyncAPIClient(
                cfg,
                http_client=httpx.AsyncClient(transport=transport),
                sleep=self._async_sleep,
                clock=self.clock,
                wall_clock=lambda: WALL,
                rand=lambda: 0.5,
            )

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.clock.now += seconds

    async def _async_sleep(self, seconds: float) -> None:
        self._sleep(seconds)

    def request(self, *args: Any, client: Any = None, **kwargs: Any) -> Any:
        target = self.client if client is None else client
        if isinstance(target, SyncAPIClient):
            return target.request(*args, **kwargs)
        return asyncio.run(target.request(*args, **kwargs))

    @property
    def api_calls(self) -> int:
        return len(self.server.api_requests)
