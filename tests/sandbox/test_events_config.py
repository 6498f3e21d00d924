"""The visibility window from the config file and `running_sandbox(...)`; queues on disk."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from thg_sandbox.config import ConfigError, default_config, load_config
from thg_sandbox.server import running_sandbox
from thg_spec import Product

from .conftest import FULFIL, SPECS, Org, item
from .events_helpers import poll, subscribe

ORG = """
[[organisations]]
slug = "brandco"
clients = [{client_id = "brandco", client_secret = "s"}]
"""


def test_the_window_is_read_from_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "orgs.toml"
    path.write_text("event_visibility = 2.5\n" + ORG)
    assert load_config(path).event_visibility == 2.5
    path.write_text(ORG)
    assert load_config(path).event_visibility == 30.0
    for bad in ("0", "-1", '"soon"', "true"):
        path.write_text(f"event_visibility = {bad}\n" + ORG)
        with pytest.raises(ConfigError, match="event_visibility"):
            load_config(path)
    with pytest.raises(ConfigError):
        default_config().with_event_visibility(0)


def test_a_short_window_on_the_real_clock(products: list[Product]) -> None:
    with running_sandbox(SPECS, products=products, event_visibility=0.5) as running:
        with Org(running, "brandco") as brandco:
            sub_id = subscribe(brandco, entityTypes=["thg-fulfil:inventory"])
            brandco.post(f"{FULFIL}/brandco/inventory", json=item("SHORT-1"))
            [first] = poll(brandco, sub_id)
            assert poll(brandco, sub_id) == []
            started = time.monotonic()
            # The long poll wakes when the window ends, not at the end of its own wait.
            [again] = poll(brandco, sub_id, wait=5)
            assert time.monotonic() - started < 2.0
            assert again["attributes"] == first["attributes"] and again["id"] != first["id"]


def test_queued_events_outlive_a_restart(tmp_path: Path, products: list[Product]) -> None:
    db = tmp_path / "events.db"
    with running_sandbox(SPECS, products=products, db=db) as running:
        with Org(running, "brandco") as brandco:
            sub_id = subscribe(brandco, entityTypes=["thg-fulfil:inventory"])
            created = brandco.post(f"{FULFIL}/brandco/inventory", json=item("KEPT-1"))
    with running_sandbox(SPECS, products=products, db=db) as running:
        with Org(running, "brandco") as brandco:
            [event] = poll(brandco, sub_id)
            assert event["attributes"]["id"] == created.json()["data"]["id"]
