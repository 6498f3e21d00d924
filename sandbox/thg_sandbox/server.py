"""Running the sandbox: uvicorn on 127.0.0.1, in the foreground (CLI) or in a thread (tests)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from thg_spec import Product
from thg_spec.pipeline import load_products

from .app import Extension, Sandbox, create_app
from .behaviours import BUILTIN
from .clock import Clock
from .config import ApiClient, SandboxConfig, default_config
from .faults import AbortableH11Protocol, FaultPlans

HOST = "127.0.0.1"  # never anything else: the sandbox has fixed, public credentials
STARTUP_TIMEOUT = 15.0
SHUTDOWN_TIMEOUT = 10.0
MEMORY = ":memory:"


def build(
    specs: Path,
    config: SandboxConfig | None = None,
    db_path: Path | None = None,
    *,
    clock: Clock | None = None,
    extensions: Sequence[Extension] = BUILTIN,
    products: Sequence[Product] | None = None,
) -> tuple[Sandbox, Starlette]:
    """The sandbox and its app; `products` (already loaded from `specs`) saves re-reading."""
    products = load_products(specs) if products is None else products
    sandbox = Sandbox(products, config or default_config(), db_path, clock)
    return sandbox, create_app(sandbox, extensions)


def uvicorn_config(app: ASGIApp, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=HOST,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        http=AbortableH11Protocol,  # lets fault plans cut a connection without answering
        timeout_graceful_shutdown=2,  # long polls must not hold a shutdown for long
    )


@dataclass(frozen=True)
class RunningSandbox:
    sandbox: Sandbox
    base_url: str
    token_url: str
    credentials: dict[str, ApiClient]  # by organisation slug

    @property
    def faults(self) -> FaultPlans:
        return self.sandbox.faults


@contextmanager
def running_sandbox(
    specs: Path = Path("specs"),
    config: SandboxConfig | None = None,
    db_path: Path | None = None,
    *,
    clock: Clock | None = None,
    extensions: Sequence[Extension] = BUILTIN,
    products: Sequence[Product] | None = None,
    db: str | Path | None = None,
    token_ttl: int | None = None,
    event_visibility: float | None = None,
) -> Iterator[RunningSandbox]:
    """The sandbox served in a background thread on a free loopback port, for tests.

    `db` is a shorter spelling of `db_path` (":memory:" or None: in memory); `token_ttl`
    overrides the config's token lifetime, so a test can watch tokens expire;
    `event_visibility` the events' visibility window (seconds).
    """
    if db is not None and str(db) != MEMORY:
        db_path = Path(db)
    if token_ttl is not None:
        config = (config or default_config()).with_token_ttl(token_ttl)
    if event_visibility is not None:
        config = (config or default_config()).with_event_visibility(event_visibility)
    sandbox, app = build(
        specs, config, db_path, clock=clock, extensions=extensions, products=products
    )
    try:
        with serving(app) as base:
            sandbox.public_url = base
            yield RunningSandbox(sandbox, base, base + "/oauth/token", sandbox.config.credentials())
    finally:
        sandbox.close()


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """`app` served by uvicorn in a background thread on a free loopback port; its base URL."""
    # IPPROTO_TCP, as uvicorn's own sockets: with protocol 0 uvicorn leaves Nagle on, and every
    # keep-alive request after the first waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(app, port))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="thg-sandbox", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.01)
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_TIMEOUT)
        sock.close()


class _Switch:
    """The ASGI app a `SandboxServer` serves: hands each request to the current sandbox's app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


class SandboxServer:
    """One server, one port, and a sandbox that `reset` replaces by a fresh one.

    A reset builds a new sandbox (empty in-memory database, no subscriptions, documents or
    fault plans; the same specs, organisations and credentials) and switches new requests to it:
    a few milliseconds, where a new server costs a start-up. Requests already running finish
    on the old sandbox, which is closed at the next reset (a webhook still on its way from it
    must not meet a closed database).
    """

    def __init__(
        self,
        products: Sequence[Product],
        config: SandboxConfig,
        *,
        clock: Clock | None = None,
        extensions: Sequence[Extension] = BUILTIN,
    ) -> None:
        self.products = list(products)
        self.config = config
        self._clock = clock
        self._extensions = extensions
        sandbox, app = self._build()
        self._switch = _Switch(app)
        self._current = sandbox
        self._retired: Sandbox | None = None
        self._handed_out = False  # has anyone had the current sandbox (`fresh`)?
        self.base_url = ""

    def _build(self) -> tuple[Sandbox, Starlette]:
        return build(
            Path(),
            self.config,
            None,
            clock=self._clock,
            extensions=self._extensions,
            products=self.products,
        )

    @property
    def running(self) -> RunningSandbox:
        """The current sandbox, as `running_sandbox` yields it."""
        base = self.base_url
        self._current.public_url = base
        return RunningSandbox(self._current, base, base + "/oauth/token", self.config.credentials())

    def reset(self) -> RunningSandbox:
        sandbox, app = self._build()
        if self._retired is not None:
            self._retired.close()
        self._retired, self._current = self._current, sandbox
        self._switch.app = app
        self._handed_out = False
        return self.running

    def fresh(self) -> RunningSandbox:
        """A sandbox nobody else has had: the current one the first time, then a reset."""
        if self._handed_out:
            self.reset()
        self._handed_out = True
        return self.running

    def close(self) -> None:
        for sandbox in (self._retired, self._current):
            if sandbox is not None:
                sandbox.close()
        self._retired = None


@contextmanager
def sandbox_server(
    specs: Path = Path("specs"),
    config: SandboxConfig | None = None,
    *,
    products: Sequence[Product] | None = None,
    clock: Clock | None = None,
    extensions: Sequence[Extension] = BUILTIN,
) -> Iterator[SandboxServer]:
    """A `SandboxServer` in memory on a free loopback port, for test suites that reset it."""
    products = load_products(specs) if products is None else products
    server = SandboxServer(products, config or default_config(), clock=clock, extensions=extensions)
    try:
        with serving(server._switch) as base:
            server.base_url = base
            yield server
    finally:
        server.close()
