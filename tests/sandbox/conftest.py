"""A sandbox per test module, served over real HTTP on 127.0.0.1, and a small client for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from thg_sandbox.clock import ManualClock
from thg_sandbox.config import SandboxConfig
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product
from thg_spec.pipeline import load_products

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
FULFIL = "/api/thg-fulfil/v1"
TIMEOUT = httpx.Timeout(10.0)


class Org:
    """One organisation's HTTP session: fetches a token once, sends it on every call."""

    def __init__(self, running: RunningSandbox, slug: str, audience: str | None = None) -> None:
        self.slug = slug
        self.audience = audience or running.base_url
        self.running = running
        self.http = httpx.Client(base_url=running.base_url, timeout=TIMEOUT)
        self._token: str | None = None

    def token(self) -> str:
        if self._token is None:
            client = self.running.credentials[self.slug]
            response = self.http.post(
                "/oauth/token",
                json={
                    "client_id": client.client_id,
                    "client_secret": client.client_secret,
                    "grant_type": "client_credentials",
                    "audience": self.audience,
                },
            )
            assert response.status_code == 200, response.text
            self._token = str(response.json()["access_token"])
        return self._token

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token()}", **kwargs.pop("headers", {})}
        return self.http.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Org:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def doc(type_string: str, attributes: dict[str, Any], id: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"type": type_string, "attributes": attributes}
    if id is not None:
        data["id"] = id
    return {"data": data}


def errors(response: httpx.Response) -> list[dict[str, Any]]:
    """The JSON:API error objects of a response (asserting it is an errors document)."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    found = response.json()["errors"]
    assert isinstance(found, list) and found
    for error in found:
        assert error["status"] == str(response.status_code)
        assert {"id", "status", "code", "title", "detail"} <= error.keys()
    return found


def pointers(response: httpx.Response) -> set[str]:
    return {e["source"]["pointer"] for e in errors(response)}


def item_attributes(sku: str, **extra: Any) -> dict[str, Any]:
    """A valid inventory item (every attribute the rendered reference requires) keyed on `sku`."""
    return {
        "consumerReference": sku,
        "title": f"Item {sku}",
        "description": f"Test item {sku}",
        "type": "test",
        "barcodes": [{"barcode": f"BC-{sku}", "type": "ean"}],
        "dimensions": {"depth": 1.5, "height": 2, "mass": 0.25, "width": 3},
        "batchControlled": False,
        **extra,
    }


def item(sku: str, **extra: Any) -> dict[str, Any]:
    return doc("thg-fulfil:inventory", item_attributes(sku, **extra))


@pytest.fixture(scope="module")
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="session")
def products() -> list[Product]:
    # Read the specs once per run: every module's sandbox serves the same products.
    return load_products(SPECS)


@pytest.fixture(scope="module")
def sandbox_config() -> SandboxConfig | None:
    """Override in a module for other organisations or partnerships."""
    return None


@pytest.fixture(scope="module")
def sandbox(
    clock: ManualClock, products: list[Product], sandbox_config: SandboxConfig | None
) -> Iterator[RunningSandbox]:
    with running_sandbox(SPECS, sandbox_config, clock=clock, products=products) as running:
        yield running


@pytest.fixture(scope="module")
def brandco(sandbox: RunningSandbox) -> Iterator[Org]:
    org = Org(sandbox, "brandco")
    yield org
    org.close()


@pytest.fixture(scope="module")
def thg(sandbox: RunningSandbox) -> Iterator[Org]:
    org = Org(sandbox, "thg")
    yield org
    org.close()
