"""The generated client against the sandbox over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from thg_connect import AsyncClient, Client, ClientConfig
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product
from thg_spec.pipeline import load_products

SPECS = Path(__file__).resolve().parents[2] / "specs"


@pytest.fixture(scope="session")
def products() -> list[Product]:
    """The specs, read and validated once for every sandbox of the run."""
    return load_products(SPECS)


@pytest.fixture(scope="module")
def sandbox(products: list[Product]) -> Iterator[RunningSandbox]:
    with running_sandbox(SPECS, products=products) as running:
        yield running


def config_for(sandbox: RunningSandbox, org: str, **overrides: object) -> ClientConfig:
    credentials = sandbox.credentials[org]
    return ClientConfig(
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        owner=org,
        base_url=sandbox.base_url,
        token_url=sandbox.token_url,
        audience=sandbox.base_url,
        **overrides,  # type: ignore[arg-type]
    )


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[Callable[[str], Client]]:
    made: list[Client] = []

    def make(org: str) -> Client:
        made.append(Client(config_for(sandbox, org)))
        return made[-1]

    yield make
    for c in made:
        c.close()


@pytest.fixture
def async_client(sandbox: RunningSandbox) -> Callable[[str], AsyncClient]:
    def make(org: str) -> AsyncClient:
        return AsyncClient(config_for(sandbox, org))

    return make
