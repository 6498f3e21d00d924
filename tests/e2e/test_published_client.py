"""A client generated from the published corpus (tests/published, CONVENTIONS §16) drives the
sandbox serving the same documents, over real HTTP on 127.0.0.1.

`thg-codegen generate <folder> -o <tmp>` writes the client (the CLI a user runs), `mypy --strict`
checks it, and a driver script runs it in a subprocess (the generated package is named
`thg_connect` like the repository's own, so it cannot share this process) with the sync and the
async client: create (the document's 200), get, list, the approval status (get, values) and
delete; then the published events document's confirm, of events those writes queued (the
test subscribes brandco through the sandbox's service: that document declares no create, and
claims the events from the sandbox's queue: it declares no poll). The two thg-fulfil documents
are two folders: one sandbox serves one document per product.

No hint is added to the documents: the owner of inventory and fulfilment-request defaults to
`self` (THG020 warning), which lets brandco act on its own path. The corpus's approval has no
writer operation, so the test's sandbox sets it the way the sandbox organisation's behaviours do
(a write hook on creation, through the service's ordinary write path).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
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
FOLDERS = {"fulfil": ("thg-fulfil.json", "events.json"), "api": ("thg-fulfil-api-prefix.json",)}

FULFIL_DRIVER = r"""
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

with Client(config) as client:
    inventories = client.thg_fulfil.inventory
    created = inventories.create(item)
    assert created.attributes.title == "Blue mug" and created.id
    got = inventories(created.id).get()
    assert got.id == created.id and got.attributes.consumer_reference == "SKU-1"
    assert created.id in [r.id for r in inventories.list(page_size=100)]
    by_reference = client.get(f"thg:thg-fulfil:inventory#brandco@{created.id}")  # its item path
    seen["by_reference"] = [by_reference.id == created.id, by_reference.attributes.title]
    approval = inventories(created.id).approval
    seen["values"] = approval.values()
    status = approval.get()
    seen["state"], seen["message"] = status.attributes.state, status.attributes.message
    inventories(created.id).delete()
    try:
        inventories(created.id).get()
    except NotFoundError:
        seen["deleted"] = True


async def run_async() -> None:
    async with AsyncClient(config) as client:
        inventories = client.thg_fulfil.inventory
        created = await inventories.create(item)
        assert (await inventories(created.id).get()).id == created.id
        assert created.id in [r.id async for r in inventories.list()]
        seen["async_values"] = await inventories(created.id).approval.values()
        seen["async_state"] = (await inventories(created.id).approval.get()).attributes.state
        await inventories(created.id).delete()

asyncio.run(run_async())
print(json.dumps(seen))
"""

API_DRIVER = r"""
import asyncio, json, os
from thg_connect import AsyncClient, Client, ClientConfig, NotFoundError
from thg_connect.thg_fulfil import DeliveryAddress, FulfilmentRequest

config = ClientConfig(**json.loads(os.environ["THG_TEST_CONFIG"]))
seen = {}
with Client(config) as client:
    requests = client.thg_fulfil.fulfilment_requests
    request = FulfilmentRequest(delivery_address=DeliveryAddress(name="Ann"), lines=[])
    created = requests.create(request)
    assert requests(created.id).get().attributes.delivery_address.name == "Ann"
    assert created.id in [r.id for r in requests.list()]
    seen["values"] = requests(created.id).approval.values()
    seen["dispatched"] = list(requests(created.id).dispatched.list())
    try:
        requests(created.id).approval.get()
    except NotFoundError:
        seen["approval_unset"] = True
    requests(created.id).delete()


async def run_async() -> None:
    async with AsyncClient(config) as client:
        requests = client.thg_fulfil.fulfilment_requests
        request = FulfilmentRequest(delivery_address=DeliveryAddress(name="Bo"), lines=[])
        created = await requests.create(request)
        seen["async_values"] = await requests(created.id).approval.values()
        await requests(created.id).delete()

asyncio.run(run_async())
print(json.dumps(seen))
"""


CONFIRM_DRIVER = r"""
import asyncio, json, os
from thg_connect import AsyncClient, Client, ClientConfig, NotFoundError

config = ClientConfig(**json.loads(os.environ["THG_TEST_CONFIG"]))
sub_id = os.environ["THG_TEST_SUBSCRIPTION"]
first, second = json.loads(os.environ["THG_TEST_HANDLES"])
seen = {}
with Client(config) as client:
    confirmed = client.events.subscriptions(sub_id).confirm(receipt_handle=first)
    seen["confirmed"] = [confirmed.id, confirmed.type, confirmed.attributes["type"]]
    try:
        client.events.subscriptions(sub_id).confirm(receipt_handle=first)
    except NotFoundError:
        seen["again"] = "NotFoundError"


async def run_async() -> None:
    async with AsyncClient(config) as client:
        confirmed = await client.events.subscriptions(sub_id).confirm(receipt_handle=second)
        seen["async_confirmed"] = [confirmed.id, confirmed.attributes["type"]]

asyncio.run(run_async())
print(json.dumps(seen))
"""


def _subscribe(running: RunningSandbox, owner: str) -> str:
    """A subscription of `owner` (the published events document declares no create), made
    through the service's ordinary write path."""
    service = running.sandbox.service
    found = service.entity_by_type("events:subscription")
    assert found is not None
    product, entity = found
    created = service.create(Caller(owner, "e2e"), Target(product, entity, owner, ()), {})
    return created.id


def _write_handles(running: RunningSandbox, sub_id: str) -> list[tuple[str, str]]:
    """(receipt handle, method) of the inventory events the driver's writes queued."""
    sandbox = running.sandbox
    queue = EventQueue(sandbox.db, sandbox.clock, 30)
    claimed = queue.claim(SubscriptionKey("brandco", sub_id), 100)
    return [
        (str(e.handle), str(e.body["method"]))
        for e in claimed
        if e.body["entity"]["type"] == "thg-fulfil:inventory"
    ]


def _env(client: Path) -> dict[str, str]:
    paths = [str(client / "src"), str(REPO / "runtime" / "src")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


@pytest.fixture(scope="module", params=sorted(FOLDERS))
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, Path]]:
    """(which, the specs folder, the generated client) for each corpus folder."""
    which = str(request.param)
    root = tmp_path_factory.mktemp(which)
    specs = root / "specs"
    specs.mkdir()
    for name in FOLDERS[which]:
        shutil.copy(CORPUS / name, specs / name)
    client = root / "client"
    run = subprocess.run(
        [sys.executable, "-m", "thg_codegen", "generate", str(specs), "-o", str(client)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    yield which, specs, client


def _approve_on_create(running: RunningSandbox) -> None:
    """Set a new inventory item's approval, as the sandbox organisation's behaviours do."""
    service = running.sandbox.service
    found = service.entity_by_type("thg-fulfil:inventory.approval")
    assert found is not None
    product, approval = found

    def approve(entity: Entity, action: str, resource: Resource, actor: str) -> None:
        if entity.type_string == "thg-fulfil:inventory" and action == "CREATED":
            target = Target(product, approval, resource.owner, (resource.id,))
            data = {"attributes": {"message": "checked", "state": "STATUS_1"}}
            service.create(Caller(resource.owner, "e2e"), target, data)

    service.hooks.append(approve)


def test_generated_client_type_checks(generated: tuple[str, Path, Path]) -> None:
    mypy = pytest.importorskip("mypy.api")
    _, _, client = generated
    cache = client.parent / ".mypy"
    stdout, stderr, status = mypy.run(
        ["--strict", "--no-incremental", "--cache-dir", str(cache), str(client / "src")]
    )
    assert status == 0, stdout + stderr


def test_generated_client_drives_the_sandbox(generated: tuple[str, Path, Path]) -> None:
    which, specs, client = generated
    with running_sandbox(specs) as running:
        if which == "fulfil":
            _approve_on_create(running)
            sub_id = _subscribe(running, "brandco")
        credentials = running.credentials["brandco"]
        config = {
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "owner": "brandco",
            "base_url": running.base_url,
            "token_url": running.token_url,
            "audience": running.base_url,
        }
        env = {**_env(client), "THG_TEST_CONFIG": json.dumps(config)}
        driver = FULFIL_DRIVER if which == "fulfil" else API_DRIVER
        run = subprocess.run(
            [sys.executable, "-c", driver], capture_output=True, text=True, env=env, timeout=120,
            check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        if which == "fulfil":
            # The driver's writes queued events; confirm two of them through the client.
            handles = _write_handles(running, sub_id)
            assert [m for _, m in handles] == ["create", "delete", "create", "delete"]
            env["THG_TEST_SUBSCRIPTION"] = sub_id
            env["THG_TEST_HANDLES"] = json.dumps([handles[0][0], handles[1][0]])
            confirm = subprocess.run(
                [sys.executable, "-c", CONFIRM_DRIVER], capture_output=True, text=True, env=env,
                timeout=120, check=False,
            )  # fmt: skip
            assert confirm.returncode == 0, confirm.stderr
            assert json.loads(confirm.stdout) == {
                "confirmed": [handles[0][0], "DataChangedEvent", "thg-fulfil:inventory"],
                "again": "NotFoundError",
                "async_confirmed": [handles[1][0], "thg-fulfil:inventory"],
            }
            assert [h for h, _ in _write_handles(running, sub_id)] == []  # the others hidden
    seen = json.loads(run.stdout)
    if which == "fulfil":
        assert seen == {
            "values": ["STATUS_1"], "state": "STATUS_1", "message": "checked", "deleted": True,
            "by_reference": [True, "Blue mug"],
            "async_values": ["STATUS_1"], "async_state": "STATUS_1",
        }  # fmt: skip
    else:
        assert seen == {
            "values": ["STATUS_1"], "dispatched": [], "approval_unset": True,
            "async_values": ["STATUS_1"],
        }  # fmt: skip
