"""Anything that escapes a handler is a JSON:API 500 with the request id, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from thg_sandbox.app import Sandbox
from thg_sandbox.behaviours import BUILTIN
from thg_sandbox.clock import ManualClock
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product

from .conftest import SPECS, TIMEOUT, errors


async def explode(request: Request) -> Response:
    raise RuntimeError("secret internals")


def broken(sandbox: Sandbox) -> Sequence[BaseRoute]:
    return [Route("/boom", explode)]


@pytest.fixture(scope="module")
def sandbox(clock: ManualClock, products: list[Product]) -> Iterator[RunningSandbox]:
    with running_sandbox(SPECS, clock=clock, products=products, extensions=(*BUILTIN, broken)) as s:
        yield s


def test_unexpected_errors_are_json_api_500s(sandbox: RunningSandbox) -> None:
    response = httpx.get(sandbox.base_url + "/boom", timeout=TIMEOUT)
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    error = errors(response)[0]
    assert request_id in error["detail"]
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_401_says_how_to_authenticate(sandbox: RunningSandbox) -> None:
    response = httpx.get(sandbox.base_url + "/api/thg-fulfil/v1/brandco/asn", timeout=TIMEOUT)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
