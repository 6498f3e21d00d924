"""pytest plugin (entry point `pytest11`): the `thg_sandbox`, `thg_clients` and
`thg_async_clients` fixtures.

    def test_inventory(thg_clients):
        brand = thg_clients.consumer             # a thg_connect.Client for brandco
        item = brand.thg_fulfil.inventory.create(InventoryItem(consumer_reference="test_sku", ...))
        thg_clients.provider                     # thg; thg_clients["sandbox"], any slug

One sandbox server per session, started on a free 127.0.0.1 port with an in-memory database the
first time a test asks for a fixture, stopped at the end of the session. Each test that asks
gets a fresh platform (`SandboxServer.reset`: an empty database, no subscriptions, documents or
fault plans; the same port, organisations and credentials), so every test may create the same
sku; `bench/bench_fixture.py` measures what that costs. `thg_sandbox_session` is the server
itself, never reset, for session-scoped fixtures that build state many tests share.

Specs come from `--thg-sandbox-specs DIR`, else the `thg_sandbox_specs` ini option (relative to
the ini file), else the installed thg-connect client's (its wheel carries the specs it was
generated from), else `./specs`; organisations and partnerships from `--thg-sandbox-config FILE`
(or the `thg_sandbox_config` ini option), else the built-in brandco (consumer), thg and sandbox
(its providers). Loading this plugin imports nothing of the sandbox or the client: sessions that
never use the fixtures pay nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pytest

if TYPE_CHECKING:
    import ssl

    from thg_connect import AsyncClient, Client, ClientConfig
    from thg_spec import Product

    from .config import SandboxConfig
    from .faults import FaultPlans
    from .server import RunningSandbox, SandboxServer

SPECS_OPTION = "--thg-sandbox-specs"
SPECS_INI = "thg_sandbox_specs"
CONFIG_OPTION = "--thg-sandbox-config"
CONFIG_INI = "thg_sandbox_config"


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)  # never in reprs, assertion rewrites or logs


@dataclass(frozen=True)
class SandboxUnderTest:
    """What a test needs to talk to the sandbox."""

    base_url: str
    token_url: str
    audience: str  # send as `audience` when asking for a token
    organisations: dict[str, Credentials]  # by organisation slug
    running: RunningSandbox = field(repr=False)
    _closers: list[Callable[[], object]] = field(default_factory=list, repr=False, compare=False)

    @property
    def faults(self) -> FaultPlans:
        """Fault plans (`thg_sandbox.faults`): `faults.create({...})`, `faults.consumed(id)`."""
        return self.running.faults

    def config(self, organisation: str, **overrides: Any) -> ClientConfig:
        """A `thg_connect.ClientConfig` acting as `organisation` on this sandbox (`overrides`:
        any other field, `max_retries=0` say)."""
        from thg_connect import ClientConfig

        try:
            credentials = self.organisations[organisation]
        except KeyError:
            known = ", ".join(sorted(self.organisations))
            raise KeyError(f"no organisation {organisation!r} in the sandbox ({known})") from None
        settings: dict[str, Any] = dict(
            client_id=credentials.client_id,
            client_secret=credentials.client_secret,
            owner=organisation,
            base_url=self.base_url,
            token_url=self.token_url,
            audience=self.audience,
        )
        return ClientConfig(**{**settings, **overrides})

    def client(self, organisation: str, **overrides: Any) -> Client:
        """A `thg_connect.Client` for `organisation`, closed when the test ends."""
        import httpx

        from thg_connect import Client

        config = self.config(organisation, **overrides)
        http = httpx.Client(timeout=config.timeout, verify=_ssl_context())
        self._closers.append(http.close)
        return Client(config, http_client=http)

    def async_client(self, organisation: str, **overrides: Any) -> AsyncClient:
        """A `thg_connect.AsyncClient` for `organisation` (close it in the test's loop with
        `async with` where you can; what is left open is closed when the test ends)."""
        import httpx

        from thg_connect import AsyncClient

        config = self.config(organisation, **overrides)
        http = httpx.AsyncClient(timeout=config.timeout, verify=_ssl_context())
        self._closers.append(http.aclose)
        return AsyncClient(config, http_client=http)

    def close_clients(self) -> None:
        for close in reversed(self._closers):
            closing = close()
            if asyncio.iscoroutine(closing):
                # The test's event loop is gone; what it left open dies with it.
                with contextlib.suppress(Exception):
                    asyncio.run(closing)
        self._closers.clear()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One for every client of the session: httpx builds a new one (reading the CA bundle)
    for each client it makes, which was nine tenths of a test's isolation cost."""
    import httpx

    return httpx.create_ssl_context()


C = TypeVar("C")


class OrganisationClients(Generic[C]):
    """A client per organisation, made on first use: `consumer` (the first partnership's
    consumer: brandco), `provider` (its first provider: thg), `sandbox` (the organisation
    that approves sku `test_sku` at once), or any organisation by slug: `clients["brandco"]`."""

    def __init__(self, make: Callable[[str], C], roles: dict[str, str]) -> None:
        self._make = make
        self._roles = roles
        self._clients: dict[str, C] = {}

    def __getitem__(self, organisation: str) -> C:
        if organisation not in self._clients:
            self._clients[organisation] = self._make(organisation)
        return self._clients[organisation]

    def _role(self, role: str) -> C:
        if role not in self._roles:
            raise LookupError(f"the sandbox's organisations have no {role}")
        return self[self._roles[role]]

    @property
    def consumer(self) -> C:
        return self._role("consumer")

    @property
    def provider(self) -> C:
        return self._role("provider")

    @property
    def sandbox(self) -> C:
        return self._role("sandbox")


def _roles(config: SandboxConfig) -> dict[str, str]:
    roles: dict[str, str] = {}
    for partnership in config.partnerships:
        roles.setdefault("consumer", partnership.consumer)
        if partnership.providers:
            roles.setdefault("provider", partnership.providers[0])
    if "sandbox" in config.organisations:
        roles["sandbox"] = "sandbox"
    return roles


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("thg-sandbox", "THG Connect sandbox")
    group.addoption(
        SPECS_OPTION,
        dest="thg_sandbox_specs",
        default=None,
        metavar="DIR",
        help="the specs folder the thg_sandbox fixture serves (default: the installed "
        "thg-connect client's, else ./specs)",
    )
    parser.addini(SPECS_INI, "the specs folder the thg_sandbox fixture serves", default="")
    group.addoption(
        CONFIG_OPTION,
        dest="thg_sandbox_config",
        default=None,
        metavar="FILE",
        help="organisations and partnerships (TOML or YAML) for the thg_sandbox fixture",
    )
    parser.addini(CONFIG_INI, "organisations and partnerships file for thg_sandbox", default="")


def _path_setting(config: pytest.Config, dest: str, ini: str, default: str | None) -> Path | None:
    """A command-line path (relative to where pytest runs), else an ini one (relative to the
    ini file), else the default (relative to where pytest runs)."""
    given = config.getoption(dest)
    if given:
        return (config.invocation_params.dir / str(given)).resolve()
    from_ini = str(config.getini(ini) or "")
    if from_ini:
        base = config.inipath.parent if config.inipath else config.rootpath
        return (base / from_ini).resolve()
    return None if default is None else (config.invocation_params.dir / default).resolve()


def specs_folder(config: pytest.Config) -> Path:
    found = _path_setting(config, "thg_sandbox_specs", SPECS_INI, None)
    if found is not None:
        return found
    from .specs_source import FALLBACK, installed_client_specs

    return installed_client_specs() or (config.invocation_params.dir / FALLBACK).resolve()


# Reading the specs is most of a start-up (seconds); a process that starts several sessions
# (pytester, IDE runners) reads the same files once. Keyed by content, not by path.
_loaded: dict[str, list[Product]] = {}


def _specs_key(specs: Path) -> str:
    from thg_spec.validation import discover_specs

    digest = hashlib.sha256()
    for path in sorted(discover_specs(specs)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def remember_products(specs: Path, products: list[Product]) -> None:
    """For a harness that has loaded `specs` already: the fixture will not read them again."""
    _loaded.setdefault(_specs_key(specs), products)


def _products(specs: Path) -> list[Product]:
    from thg_spec.pipeline import load_products

    key = _specs_key(specs)
    if key not in _loaded:
        _loaded[key] = load_products(specs)
    return _loaded[key]


@pytest.fixture(scope="session")
def thg_sandbox_session(pytestconfig: pytest.Config) -> Iterator[SandboxServer]:
    """The session's sandbox server (never reset by this fixture; `thg_sandbox` resets it)."""
    from .server import sandbox_server  # here, not at the top: see the module docstring

    specs = specs_folder(pytestconfig)
    if not specs.is_dir():
        pytest.fail(
            f"thg_sandbox: no specs folder at {specs}; install the thg-connect client, "
            f"pass {SPECS_OPTION} or set {SPECS_INI}",
            pytrace=False,
        )
    config = None
    config_file = _path_setting(pytestconfig, "thg_sandbox_config", CONFIG_INI, None)
    if config_file is not None:
        from .config import ConfigError, load_config

        try:
            config = load_config(config_file)
        except ConfigError as exc:
            pytest.fail(f"thg_sandbox: {exc}", pytrace=False)
    with sandbox_server(specs, config, products=_products(specs)) as server:
        yield server


def _under_test(running: RunningSandbox) -> SandboxUnderTest:
    return SandboxUnderTest(
        base_url=running.base_url,
        token_url=running.token_url,
        audience=running.base_url,
        organisations={
            slug: Credentials(c.client_id, c.client_secret)
            for slug, c in running.credentials.items()
        },
        running=running,
    )


@pytest.fixture
def thg_sandbox(thg_sandbox_session: SandboxServer) -> Iterator[SandboxUnderTest]:
    """A fresh platform for this test on the session's server: URLs, credentials, fault plans
    and `client(org)` / `async_client(org)`."""
    under_test = _under_test(thg_sandbox_session.fresh())
    try:
        yield under_test
    finally:
        under_test.close_clients()


@pytest.fixture
def thg_clients(thg_sandbox: SandboxUnderTest) -> OrganisationClients[Client]:
    """A `thg_connect.Client` per organisation of this test's fresh sandbox."""
    return OrganisationClients(thg_sandbox.client, _roles(thg_sandbox.running.sandbox.config))


@pytest.fixture
def thg_async_clients(thg_sandbox: SandboxUnderTest) -> OrganisationClients[AsyncClient]:
    """A `thg_connect.AsyncClient` per organisation of this test's fresh sandbox."""
    return OrganisationClients(thg_sandbox.async_client, _roles(thg_sandbox.running.sandbox.config))
