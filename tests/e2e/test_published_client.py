"""A client generated from the published corpus (tests/published, CONVENTIONS §16) drives the
sandbox serving the same documents, over real HTTP on 127.0.0.1.

`thg-codegen generate <folder> -o <tmp>` writes the client (the CLI a user runs), `mypy --strict`
checks it, and a driver script runs it in a subprocess (the generated package is named
`thg_connect` like the repository's own, so it cannot share this process) with the sync and the
async client: create (the document's 200), get, list, the approval status (get, values) and
delete. The two thg-fulfil documents are two folders: one sandbox serves one document per product.

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
    inventories = client.thg_fulfil.inventories
    created = inventories.create(item)
    assert created.attributes.title == "Blue mug" and created.id
    got = inventories(created.id).get()
    assert got.id == created.id and got.attributes.consumer_reference == "SKU-1"
    assert created.id in [r.id for r in inventories.list(page_size=100)]
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
        inventories = client.thg_fulfil.inventories
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
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
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
            [sys.executable, "-c", driver],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    if which == "fulfil":
        assert seen == {
            "values": ["STATUS_1"],
            "state": "STATUS_1",
            "message": "checked",
            "deleted": True,
            "async_values": ["STATUS_1"],
            "async_state": "STATUS_1",
        }
    else:
        assert seen == {
            "values": ["STATUS_1"],
            "dispatched": [],
            "approval_unset": True,
            "async_values": ["STATUS_1"],
        }
