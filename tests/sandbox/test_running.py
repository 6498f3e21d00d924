"""`running_sandbox(db=..., token_ttl=...)` on the real clock (actions: test_actions.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product

from .conftest import FULFIL, SPECS, Org, errors, item

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


def test_db_argument_puts_the_database_on_disk(tmp_path: Path, products: list[Product]) -> None:
    db = tmp_path / "kept.db"
    with running_sandbox(SPECS, products=products, db=str(db)) as running:
        with Org(running, "brandco") as brandco:
            created = brandco.post(f"{FULFIL}/brandco/inventory", json=item("DISK-1"))
            assert created.status_code == 200
    assert db.exists() and db.stat().st_size > 0
