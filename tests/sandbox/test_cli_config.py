"""The config file and the `thg-sandbox serve` command."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from thg_sandbox.config import ConfigError, load_config

from .conftest import ROOT, item_attributes

CONFIG = """
token_ttl = 60

[[organisations]]
slug = "shopco"
clients = [{client_id = "shop-1", client_secret = "s3cret"}]

[[organisations]]
slug = "wareco"
clients = [{client_id = "ware-1", client_secret = "w4re"}]

[[partnerships]]
products = ["thg-fulfil"]
consumer = "shopco"
providers = ["wareco"]
"""


def test_toml_config(tmp_path: Path) -> None:
    path = tmp_path / "orgs.toml"
    path.write_text(CONFIG)
    config = load_config(path)
    assert config.organisations == ("shopco", "wareco")
    assert config.token_ttl == 60
    assert config.roles("thg-fulfil", "wareco", "shopco") == {"provider"}
    assert config.roles("document", "wareco", "shopco") == frozenset()
    assert "s3cret" not in repr(config)


def test_yaml_config_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "orgs.yaml"
    path.write_text("organisations: [{slug: a, clients: [{client_id: x, client_secret: y}]}]\n")
    assert load_config(path).credentials()["a"].client_id == "x"
    path.write_text("partnerships: [{consumer: a, providers: [b]}]\n")
    with pytest.raises(ConfigError, match="not an organisation"):
        load_config(path)
    path.write_text("organisations: [{slug: Not A Slug}]\n")
    with pytest.raises(ConfigError, match="slug"):
        load_config(path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_command(tmp_path: Path) -> None:
    config = tmp_path / "orgs.toml"
    config.write_text(CONFIG)
    port = _free_port()
    command = [sys.executable, "-m", "thg_sandbox.cli", "serve", "--memory", "--port", str(port)]
    command += ["--config", str(config), "--token-ttl", "5", "--event-visibility", "1.5"]
    proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        response = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                response = httpx.post(
                    base + "/oauth/token",
                    json={
                        "client_id": "shop-1",
                        "client_secret": "s3cret",
                        "grant_type": "client_credentials",
                        "audience": base,
                    },
                    timeout=2,
                )
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert response is not None and response.status_code == 200
        assert response.json()["expires_in"] == 5
        _polled_event_comes_back_after(base, response.json()["access_token"], 1.5)
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate(timeout=5)
    assert "client_id=shop-1" in err


def _polled_event_comes_back_after(base: str, token: str, window: float) -> None:
    """--event-visibility: an unconfirmed event is hidden for exactly that long."""
    headers = {"Authorization": f"Bearer {token}"}
    events = f"{base}/api/events/v1/shopco/subscription"
    only_items = {"entityTypes": ["thg-fulfil:inventory"]}
    body = {"data": {"type": "events:subscription", "id": "cli-sub", "attributes": only_items}}
    assert httpx.post(events, json=body, headers=headers).status_code == 201
    item = {"data": {"type": "thg-fulfil:inventory", "attributes": item_attributes("CLI-1")}}
    created = httpx.post(f"{base}/api/thg-fulfil/v1/shopco/inventory", json=item, headers=headers)
    assert created.status_code == 200, created.text
    poll = f"{events}/cli-sub/events"
    first = httpx.get(poll, headers=headers).json()["data"]
    assert len(first) == 1 and httpx.get(poll, headers=headers).json()["data"] == []
    time.sleep(window + 0.3)
    again = httpx.get(poll, headers=headers).json()["data"]
    assert [e["attributes"] for e in again] == [first[0]["attributes"]]
    assert again[0]["id"] != first[0]["id"]  # a new receipt handle per delivery
