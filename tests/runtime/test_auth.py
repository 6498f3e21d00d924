"""Client-credentials auth: single flight, refresh ahead, 401 refresh-once, host scoping."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any, Dict, List, Optional

import httpx
import pytest

from thg_connect_core._auth import ClientCredentialsAuth, TokenState
from thg_connect_core._config import Secret
from thg_connect_core._errors import TokenError

BASE = "https://api.example.com"
TOKEN_URL = "https://auth.example.net/oauth/token"
SECRET = "very-secret-value"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Server:
    """Token endpoint + API; records every request."""

    def __init__(self, *, expires_in: float = 3600, delay: float = 0.0) -> None:
        self.expires_in = expires_in
        self.delay = delay
        self.token_calls = 0
        self.token_bodies: List[Dict[str, Any]] = []
        self.api_auth: List[Optional[str]] = []
        self.token_status = 200
        self.token_body: Optional[Dict[str, Any]] = None
        self.reject_tokens: set[str] = set()
        self.lock = threading.Lock()

    def _token(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.token_calls += 1
            n = self.token_calls
        self.token_bodies.append(json.loads(request.content))
        if self.token_status != 200:
            return httpx.Response(self.token_status, json=self.token_body or {})
        return httpx.Response(
            200,
            json={"access_token": f"tok{n}", "expires_in": self.expires_in, "token_type": "Bearer"},
        )

    def _api(self, request: httpx.Request) -> httpx.Response:
        header = request.headers.get("authorization")
        self.api_auth.append(header)
        if header is None or header.removeprefix("Bearer ") in self.reject_tokens:
            return httpx.Response(401, json={"errors": [{"status": "401"}]})
        return httpx.Response(200, json={"ok": True})

    def handler(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            if self.delay:
                time.sleep(self.delay)
            return self._token(request)
        return self._api(request)

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            await asyncio.sleep(self.delay)
            return self._token(request)
        return self._api(request)


def make_auth(clock: Any = time.monotonic) -> ClientCredentialsAuth:
    return ClientCredentialsAuth(
        client_id="cid",
        client_secret=Secret(SECRET),
        token_url=TOKEN_URL,
        audience=BASE,
        base_url=BASE,
        clock=clock,
    )


def test_token_state_margin() -> None:
    state = TokenState()
    assert state.due(0) and not state.valid(0)
    state.set("t", 3600, 0.0)
    assert not state.due(3539) and state.due(3540)  # 60 s margin
    state.set("t", 100, 0.0)
    assert not state.due(89.9) and state.due(90)  # 10% margin
    assert state.valid(99.9) and not state.valid(100)


def test_token_request_shape_and_header() -> None:
    server = Server()
    with httpx.Client(transport=httpx.MockTransport(server.handler), auth=make_auth()) as client:
        assert client.get(f"{BASE}/api/x").status_code == 200
    assert server.token_bodies == [
        {
            "client_id": "cid",
            "client_secret": SECRET,
            "grant_type": "client_credentials",
            "audience": BASE,
        }
    ]
    assert server.api_auth == ["Bearer tok1"]


def test_single_flight_threads() -> None:
    server = Server(delay=0.05)
    auth = make_auth()
    client = httpx.Client(transport=httpx.MockTransport(server.handler), auth=auth)
    barrier = threading.Barrier(50)
    statuses: List[int] = []

    def call() -> None:
        barrier.wait()
        statuses.append(client.get(f"{BASE}/api/x").status_code)

    threads = [threading.Thread(target=call) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    assert server.token_calls == 1
    assert statuses == [200] * 50


async def test_single_flight_asyncio() -> None:
    server = Server(delay=0.05)
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(server.async_handler), auth=make_auth()
    ) as client:
        responses = await asyncio.gather(*(client.get(f"{BASE}/api/x") for _ in range(200)))
    assert server.token_calls == 1
    assert all(r.status_code == 200 for r in responses)


def test_refresh_ahead_with_clock() -> None:
    server = Server(expires_in=100)
    clock = Clock()
    with httpx.Client(
        transport=httpx.MockTransport(server.handler), auth=make_auth(clock)
    ) as client:
        client.get(f"{BASE}/a")
        clock.now += 89
        client.get(f"{BASE}/a")
        assert server.token_calls == 1
        clock.now += 1.5  # inside the 10 s margin
        client.get(f"{BASE}/a")
        assert server.token_calls == 2
    assert server.api_auth == ["Bearer tok1", "Bearer tok1", "Bearer tok2"]


def test_401_refreshes_once_and_resends() -> None:
    server = Server()
    server.reject_tokens = {"tok1"}
    with httpx.Client(transport=httpx.MockTransport(server.handler), auth=make_auth()) as client:
        assert client.get(f"{BASE}/a").status_code == 200
    assert server.token_calls == 2
    assert server.api_auth == ["Bearer tok1", "Bearer tok2"]


def test_second_401_is_returned() -> None:
    server = Server()
    server.reject_tokens = {"tok1", "tok2", "tok3"}
    with httpx.Client(transport=httpx.MockTransport(server.handler), auth=make_auth()) as client:
        assert client.get(f"{BASE}/a").status_code == 401
    assert server.token_calls == 2
    assert len(server.api_auth) == 2


async def test_async_401_refreshes_once() -> None:
    server = Server()
    server.reject_tokens = {"tok1", "tok2"}
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(server.async_handler), auth=make_auth()
    ) as client:
        assert (await client.get(f"{BASE}/a")).status_code == 401
    assert server.token_calls == 2
    assert server.api_auth == ["Bearer tok1", "Bearer tok2"]


@pytest.mark.parametrize(
    "url",
    [
        "https://uploads.s3.amazonaws.com/bucket/key?X-Amz-Signature=abc",
        "http://api.example.com/a",  # other scheme
        "https://api.example.com:8443/a",  # other port
        "https://evil.api.example.com/a",
    ],
)
def test_foreign_origin_gets_no_header(url: str) -> None:
    seen: List[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=make_auth()) as client:
        client.put(url, content=b"data")
    assert len(seen) == 1
    assert "authorization" not in seen[0].headers


def test_default_port_is_same_origin() -> None:
    auth = make_auth()
    assert auth.applies_to(httpx.Request("GET", "https://API.example.com:443/x"))


def test_failed_refresh_keeps_valid_token() -> None:
    server = Server(expires_in=100)
    clock = Clock()
    with httpx.Client(
        transport=httpx.MockTransport(server.handler), auth=make_auth(clock)
    ) as client:
        client.get(f"{BASE}/a")
        server.token_status = 503
        clock.now += 95  # due, still valid
        assert client.get(f"{BASE}/a").status_code == 200
        assert server.api_auth[-1] == "Bearer tok1"
        calls = server.token_calls
        client.get(f"{BASE}/a")  # refresh deferred a few seconds: no new token call
        assert server.token_calls == calls
        clock.now += 10  # expired now
        with pytest.raises(TokenError):
            client.get(f"{BASE}/a")


def test_failed_refresh_transport_error_keeps_valid_token() -> None:
    server = Server(expires_in=100)
    clock = Clock()
    fail = {"on": False}

    def handler(request: httpx.Request) -> httpx.Response:
        if fail["on"] and str(request.url) == TOKEN_URL:
            raise httpx.ConnectError("down", request=request)
        return server.handler(request)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=make_auth(clock)) as client:
        client.get(f"{BASE}/a")
        fail["on"] = True
        clock.now += 95
        with pytest.raises(httpx.ConnectError):
            client.get(f"{BASE}/a")
        assert client.get(f"{BASE}/a").status_code == 200  # old token, refresh deferred
        assert server.api_auth[-1] == "Bearer tok1"


@pytest.mark.parametrize(
    "status, body, expected",
    [
        (
            401,
            {"error": "access_denied", "error_description": "Unauthorized client"},
            "Unauthorized client",
        ),
        (403, {"error": "invalid_client"}, "invalid_client"),
        (400, {"errors": [{"detail": "bad grant"}]}, "bad grant"),
    ],
)
def test_token_error_message_without_secret(
    status: int, body: Dict[str, Any], expected: str
) -> None:
    server = Server()
    server.token_status = status
    server.token_body = dict(body, echoed=SECRET)
    with httpx.Client(transport=httpx.MockTransport(server.handler), auth=make_auth()) as client:
        with pytest.raises(TokenError) as info:
            client.get(f"{BASE}/a")
    assert expected in str(info.value)
    assert SECRET not in str(info.value)
    assert info.value.status_code == status
    assert server.api_auth == []


def test_token_error_plain_text_scrubs_secret() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text=f"boom {SECRET}")

    with httpx.Client(transport=httpx.MockTransport(handler), auth=make_auth()) as client:
        with pytest.raises(TokenError) as info:
            client.get(f"{BASE}/a")
    assert SECRET not in str(info.value)
    assert "boom" in str(info.value)
    assert SECRET not in repr(make_auth())


def test_token_response_without_access_token() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"token_type": "Bearer"})

    with httpx.Client(transport=httpx.MockTransport(handler), auth=make_auth()) as client:
        with pytest.raises(TokenError):
            client.get(f"{BASE}/a")


async def test_async_failed_refresh_keeps_valid_token() -> None:
    server = Server(expires_in=100)
    clock = Clock()
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(server.async_handler), auth=make_auth(clock)
    ) as client:
        await client.get(f"{BASE}/a")
        server.token_status = 503
        server.token_body = {"error": "temporarily_unavailable"}
        clock.now += 95  # due, still valid
        assert (await client.get(f"{BASE}/a")).status_code == 200
        assert server.api_auth[-1] == "Bearer tok1"
        clock.now += 10  # expired: the failure now surfaces, with the server's message
        with pytest.raises(TokenError, match="temporarily_unavailable"):
            await client.get(f"{BASE}/a")


async def test_async_foreign_origin_gets_no_header() -> None:
    seen: List[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler), auth=make_auth()) as c:
        await c.post("https://uploads.example.org/bucket?X-Amz-Signature=abc", content=b"x")
    assert len(seen) == 1 and "authorization" not in seen[0].headers


def test_single_flight_refresh_threads() -> None:
    server = Server(expires_in=100, delay=0.05)
    clock = Clock()
    client = httpx.Client(transport=httpx.MockTransport(server.handler), auth=make_auth(clock))
    client.get(f"{BASE}/a")
    clock.now += 95  # every thread finds the token due at once
    barrier = threading.Barrier(50)

    def call() -> None:
        barrier.wait()
        client.get(f"{BASE}/a")

    threads = [threading.Thread(target=call) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    assert server.token_calls == 2
    assert server.api_auth[1:] == ["Bearer tok2"] * 50
