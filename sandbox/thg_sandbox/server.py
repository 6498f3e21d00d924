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


def uvicorn_config(app: Starlette, port: int) -> uvicorn.Config:
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
        base = f"http://{HOST}:{port}"
        yield RunningSandbox(sandbox, base, base + "/oauth/token", sandbox.config.credentials())
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_TIMEOUT)
        sock.close()
        sandbox.close()
