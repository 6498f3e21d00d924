"""State (resources, the signing key) survives a restart with an on-disk database."""

from __future__ import annotations

from pathlib import Path

from thg_sandbox.server import running_sandbox
from thg_spec import Product

from .conftest import FULFIL, SPECS, Org, item

# The production audience: the sandbox's own URL changes with its port across restarts.
AUDIENCE = "https://api.developer.thgingenuity.com"


def test_restart_keeps_resources_and_tokens(tmp_path: Path, products: list[Product]) -> None:
    db = tmp_path / "sandbox.db"
    with running_sandbox(SPECS, db_path=db, products=products) as first:
        with Org(first, "brandco", AUDIENCE) as brandco:
            created = brandco.post(f"{FULFIL}/brandco/inventory", json=item("KEEP-1"))
            assert created.status_code == 200
            token = brandco.token()
    assert db.exists()
    with running_sandbox(SPECS, db_path=db, products=products) as second:
        with Org(second, "brandco", AUDIENCE) as brandco:
            brandco._token = token  # issued before the restart: same database, same key
            got = brandco.get(f"{FULFIL}/brandco/inventory/{created.json()['data']['id']}")
            assert got.status_code == 200
            # The same resource; its links name the server, whose port changed.
            then, now = created.json()["data"], got.json()["data"]
            assert {**now, "links": None} == {**then, "links": None}
