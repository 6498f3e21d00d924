"""A client generated from a published document with hints beside it, and a published events
document's webhooks, over real HTTP on 127.0.0.1 against the sandbox serving the same documents
(CONVENTIONS §16).

The folder holds `tests/published/thg-fulfil.json` as downloaded, an overlay giving the
approval's states (`x-thg-entity: {states: [VALID, APPROVED, REJECTED]}`, the states the
platform's pages name, recovered/gap.md: S8, S16, S18), and `events.json`. The generated client
types the approval's `state` as an open enum of those states, `values()` answers them (the
sandbox's `_values` reads the same hint), and `client.get(reference, parents=...)` reads the
approval, a published child, by its reference and its parent's id, sync and async.

The published events document declares no create and no poll: the test subscribes brandco with
a webhook URL through the sandbox's service (its ordinary write path, which gives the
subscription its webhook secret), and the driver, a generated client in a subprocess, receives
the delivery on a standard-library receiver on 127.0.0.1, verifies its signature (a forged one
is refused), and confirms each event with the generated `confirm(receipt_handle=...)`. The
subscription's own creation event is delivered before the receiver listens and retried; the
driver confirms whatever reaches it, and the test checks the inventory item's event.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from thg_sandbox.access import Caller
from thg_sandbox.events import EventQueue, SubscriptionKey
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_sandbox.service import Target
from thg_sandbox.store import Resource
from thg_spec import Entity

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "published"
STATES = ["VALID", "APPROVED", "REJECTED"]
OVERLAY = {
    "overlay": "1.0.0",
    "info": {"title": "Hints for thg-fulfil.json", "version": "1"},
    "actions": [
        {
            "target": "$.paths['/{owner}/v1/inventory/{inventory_item}/approval']",
            "update": {"x-thg-entity": {"states": STATES}},
        }
    ],
}

PREAMBLE = r"""
import asyncio, json, os, sys
from thg_connect import AsyncClient, Client, ClientConfig, NotFoundError
from thg_connect.thg_fulfil import Barcode, Dimensions, InventoryItem

config = ClientConfig(**json.loads(os.environ["THG_TEST_CONFIG"]))
item = InventoryItem(
    title="Blue mug",
    consumer_reference="SKU-1",
    barcodes=[Barcode(barcode="5012345678900", type="ean")],
    dimensions=Dimensions(depth="10", height="12", mass="300", width="10"),
    batch_controlled=False, description="A mug", type="product",
)
seen = {}
"""

HINTS_DRIVER = PREAMBLE + r"""
from thg_connect.thg_fulfil import InventoryApprovalState

with Client(config) as client:
    created = client.thg_fulfil.inventory.create(item)
    approval = client.thg_fulfil.inventory(created.id).approval
    seen["values"] = approval.values()
    status = approval.get()
    seen["state"] = [status.attributes.state is InventoryApprovalState.APPROVED,
                     status.attributes.state]
    by_reference = client.get(status.reference, parents={"inventory_item": created.id})
    seen["by_reference"] = [by_reference.id == status.id, by_reference.attributes.message,
                            by_reference.attributes.state is InventoryApprovalState.APPROVED]
    try:
        client.get(status.reference)
    except ValueError as exc:
        seen["without_parents"] = "parents={'inventory_item': ...}" in str(exc)
    try:
        client.get(status.reference, parents={"inventory_item": "nope"})
    except NotFoundError:
        seen["unknown_parent"] = "NotFoundError"


async def run_async() -> None:
    async with AsyncClient(config) as client:
        created = await client.thg_fulfil.inventory.create(item)
        status = await client.thg_fulfil.inventory(created.id).approval.get()
        got = await client.get(status.reference, parents={"inventory_item": created.id})
        seen["async_by_reference"] = [got.id == status.id, got.attributes.state]

asyncio.run(run_async())
print(json.dumps(seen))
"""

WEBHOOK_DRIVER = PREAMBLE + r"""
import queue, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import httpx
from thg_connect_core import WebhookSignatureError, parse_notification, verify_signature

secret = os.environ["THG_TEST_SECRET"]
sub_id = os.environ["THG_TEST_SUBSCRIPTION"]
received = queue.Queue()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            verify_signature(body, self.headers.get("THG-Signature"), secret)
        except WebhookSignatureError:
            self.send_response(401)
            self.end_headers()
            return
        received.put(parse_notification(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["THG_TEST_PORT"])), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_port}/hook"
forged = httpx.post(url, content=b'{"data": []}', headers={"THG-Signature": "t=1,v1=00"})
seen["forged"] = forged.status_code
with Client(config) as client:
    created = client.thg_fulfil.inventory.create(item)
    # The subscription's own creation may come first (retried while no receiver listened).
    delivered = []
    while not any(e.entity_type == "thg-fulfil:inventory" for e in delivered):
        notification = received.get(timeout=30)
        assert notification.subscription_id == sub_id
        delivered.extend(notification.events)
    items = [e for e in delivered if e.entity_type == "thg-fulfil:inventory"]
    seen["events"] = [[e.action, e.entity_type, e.entity_id == created.id] for e in items]
    subscription = client.events.subscriptions(sub_id)
    confirmed = [subscription.confirm(receipt_handle=e.receipt_handle) for e in delivered]
    seen["confirmed"] = [c.id == e.receipt_handle for c, e in zip(confirmed, delivered)
                         if e in items]
    try:
        subscription.confirm(receipt_handle=items[0].receipt_handle)
    except NotFoundError:
        seen["again"] = "NotFoundError"
server.shutdown()
print(json.dumps(seen))
"""


def _env(client: Path, **extra: str) -> dict[str, str]:
    paths = [str(client / "src"), str(REPO / "runtime" / "src")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **extra}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the specs folder, the client generated from it)."""
    root = tmp_path_factory.mktemp("hinted")
    specs = root / "specs"
    specs.mkdir()
    for name in ("thg-fulfil.json", "events.json"):
        shutil.copy(CORPUS / name, specs / name)
    (specs / "thg-fulfil.overlay.json").write_text(json.dumps(OVERLAY), encoding="utf-8")
    client = root / "client"
    run = subprocess.run(
        [sys.executable, "-m", "thg_codegen", "generate", str(specs), "-o", str(client)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return specs, client


def _config(running: RunningSandbox) -> str:
    credentials = running.credentials["brandco"]
    return json.dumps(
        {
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "owner": "brandco",
            "base_url": running.base_url,
            "token_url": running.token_url,
            "audience": running.base_url,
        }
    )


def _approve_on_create(running: RunningSandbox) -> None:
    """Set a new inventory item's approval, as the sandbox organisation's behaviours do."""
    service = running.sandbox.service
    found = service.entity_by_type("thg-fulfil:inventory.approval")
    assert found is not None
    product, approval = found

    def approve(entity: Entity, action: str, resource: Resource, actor: str) -> None:
        if entity.type_string == "thg-fulfil:inventory" and action == "CREATED":
            target = Target(product, approval, resource.owner, (resource.id,))
            data = {"attributes": {"message": "checked", "state": "APPROVED"}}
            service.create(Caller(resource.owner, "e2e"), target, data)

    service.hooks.append(approve)


def _run(driver: str, env: dict[str, str]) -> dict[str, object]:
    run = subprocess.run(
        [sys.executable, "-c", driver], capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    seen: dict[str, object] = json.loads(run.stdout)
    return seen


def test_the_hinted_client_type_checks(generated: tuple[Path, Path]) -> None:
    mypy = pytest.importorskip("mypy.api")
    _, client = generated
    approval = (client / "src" / "thg_connect" / "thg_fulfil" / "inventory_approval.py").read_text()
    assert "InventoryApprovalState" in approval
    stdout, stderr, status = mypy.run(
        ["--strict", "--no-incremental", "--cache-dir", str(client.parent / ".mypy"),
         str(client / "src")]
    )  # fmt: skip
    assert status == 0, stdout + stderr


def test_hinted_states_and_a_child_by_reference(generated: tuple[Path, Path]) -> None:
    specs, client = generated
    with running_sandbox(specs) as running:
        _approve_on_create(running)
        seen = _run(HINTS_DRIVER, _env(client, THG_TEST_CONFIG=_config(running)))
    assert seen == {
        "values": STATES,
        "state": [True, "APPROVED"],
        "by_reference": [True, "checked", True],
        "without_parents": True,
        "unknown_parent": "NotFoundError",
        "async_by_reference": [True, "APPROVED"],
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_a_webhook_delivery_is_received_verified_and_confirmed(
    generated: tuple[Path, Path],
) -> None:
    specs, client = generated
    port = _free_port()
    with running_sandbox(specs) as running:
        service = running.sandbox.service
        found = service.entity_by_type("events:subscription")
        assert found is not None
        product, entity = found
        url = f"http://127.0.0.1:{port}/hook"
        subscription = service.create(
            Caller("brandco", "e2e"),
            Target(product, entity, "brandco", ()),
            {"attributes": {"webhookUrl": url}},
        )
        sandbox = running.sandbox
        queue = EventQueue(sandbox.db, sandbox.clock, 30)
        key = SubscriptionKey("brandco", subscription.id)
        secret = queue.secret(key)
        assert secret is not None
        env = _env(
            client,
            THG_TEST_CONFIG=_config(running),
            THG_TEST_SECRET=secret,
            THG_TEST_SUBSCRIPTION=subscription.id,
            THG_TEST_PORT=str(port),
        )
        seen = _run(WEBHOOK_DRIVER, env)
        left = [e.body["entity"]["type"] for e in queue.claim(key, 100)]
        assert "thg-fulfil:inventory" not in left  # every delivered event confirmed
    assert seen == {
        "forged": 401,
        "events": [["CREATED", "thg-fulfil:inventory", True]],
        "confirmed": [True],
        "again": "NotFoundError",
    }
