"""`running_sandbox(db=..., token_ttl=...)` on the real clock, and the 501 seam for actions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product

from .conftest import FULFIL, SPECS, TIMEOUT, Org, doc, errors, item

EXPIRY_WAIT = 2.0  # a 1-second token must be refused within this (second-precision claims)


@pytest.fixture(scope="module")
def short_lived(products: list[Product]) -> Iterator[RunningSandbox]:
    with running_sandbox(SPECS, products=products, db=":memory:", token_ttl=1) as running:
        yield running


def test_tokens_expire_on_the_real_clock(short_lived: RunningSandbox) -> None:
    with Org(short_lived, "brandco") as brandco:
        assert brandco.get(f"{FULFIL}/brandco/inventory").status_code == 200
        deadline = time.monotonic() + EXPIRY_WAIT
        response = brandco.get(f"{FULFIL}/brandco/inventory")
        while response.status_code == 200 and time.monotonic() < deadline:
            time.sleep(0.1)
            response = brandco.get(f"{FULFIL}/brandco/inventory")
        assert response.status_code == 401
        assert "expired" in errors(response)[0]["detail"]


def test_actions_answer_501_until_implemented(products: list[Product]) -> None:
    # Without the events extension (BUILTIN serves poll and confirm) the seam shows.
    bare = running_sandbox(SPECS, products=products, extensions=())
    with bare as short_lived, Org(short_lived, "brandco") as brandco:
        base = "/api/events/v1/brandco/subscription"
        assert brandco.post(base, json=doc("events:subscription", {}, id="s1")).status_code == 201
        poll = brandco.get(f"{base}/s1/events")
        confirm = brandco.delete(f"{base}/s1/confirm", headers={"receipt-handle": "x"})
        for response in (poll, confirm):
            assert response.status_code == 501
            assert "not implemented" in errors(response)[0]["detail"]
            assert response.headers["x-request-id"]
        anonymous = httpx.get(short_lived.base_url + f"{base}/s1/events", timeout=TIMEOUT)
        assert anonymous.status_code == 401


def test_db_argument_puts_the_database_on_disk(tmp_path: Path, products: list[Product]) -> None:
    db = tmp_path / "kept.db"
    with running_sandbox(SPECS, products=products, db=str(db)) as running:
        with Org(running, "brandco") as brandco:
            created = brandco.post(f"{FULFIL}/brandco/inventory", json=item("DISK-1"))
            assert created.status_code == 200
    assert db.exists() and db.stat().st_size > 0
