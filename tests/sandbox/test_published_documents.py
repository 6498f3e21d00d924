"""The sandbox serves a published document (CONVENTIONS §16) from the same front-end: its paths as
written (`/{owner}/v1/inventory/{inventory_item}`, `/api/thg-fulfil/v1/{owner}/…`), a create
answering the status the document declares (200), and a status's `GET …/_values` answering the
states its response schema declares. The published events document's owner-less confirm
(`DELETE /subscription/{subscription_id}/confirm`) is served from the events queue, the caller's
organisation being the owner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from thg_sandbox.access import Caller
from thg_sandbox.errors import ApiError
from thg_sandbox.events import EventQueue, SubscriptionKey
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_sandbox.service import Target

from .conftest import Org, doc

CORPUS = Path(__file__).resolve().parents[1] / "published"
ITEM = {
    "title": "Blue mug",
    "consumerReference": "SKU-1",
    "barcodes": [{"barcode": "5012345678900", "type": "ean"}],
    "dimensions": {"depth": "10", "height": "12", "mass": "300", "width": "10"},
    "batchControlled": False,
    "description": "A mug",
    "type": "product",
}


def _serve(tmp: Path, *names: str) -> Iterator[RunningSandbox]:
    tmp.mkdir()
    for name in names:
        shutil.copy(CORPUS / name, tmp / name)
    with running_sandbox(tmp) as running:
        yield running


@pytest.fixture(scope="module")
def fulfil(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Org]:
    folder = tmp_path_factory.mktemp("published") / "specs"
    for running in _serve(folder, "thg-fulfil.json", "events.json"):
        with Org(running, "brandco") as org:
            yield org


@pytest.fixture(scope="module")
def api_prefix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Org]:
    folder = tmp_path_factory.mktemp("published-api") / "specs"
    for running in _serve(folder, "thg-fulfil-api-prefix.json"):
        with Org(running, "brandco") as org:
            yield org


def test_inventory_create_answers_200_then_list_get_delete(fulfil: Org) -> None:
    created = fulfil.post("/brandco/v1/inventory", json=doc("thg-fulfil:inventory", ITEM))
    assert created.status_code == 200, created.text  # as the document declares, not 201
    item_id = created.json()["data"]["id"]
    listed = fulfil.get("/brandco/v1/inventory").json()["data"]
    assert item_id in [r["id"] for r in listed]
    got = fulfil.get(f"/brandco/v1/inventory/{item_id}")
    assert got.status_code == 200 and got.json()["data"]["attributes"]["title"] == "Blue mug"
    assert fulfil.delete(f"/brandco/v1/inventory/{item_id}").status_code == 204
    assert fulfil.get(f"/brandco/v1/inventory/{item_id}").status_code == 404


def test_approval_status_and_its_values(fulfil: Org) -> None:
    item_id = fulfil.post("/brandco/v1/inventory", json=doc("thg-fulfil:inventory", ITEM)).json()[
        "data"
    ]["id"]
    approval = f"/brandco/v1/inventory/{item_id}/approval"
    values = fulfil.get(approval + "/_values")
    assert values.status_code == 200, values.text
    assert values.json()["data"]["attributes"] == ["STATUS_1"]  # the schema's example
    assert fulfil.get(approval).status_code == 404  # not set yet
    sandbox = fulfil.running.sandbox
    product = next(p for p in sandbox.products if p.name == "thg-fulfil")
    entity = product.entity(("inventory", "approval"))
    sandbox.service.create(
        Caller("brandco", "test"),
        Target(product, entity, "brandco", (item_id,)),
        {"attributes": {"message": "looks fine", "state": "STATUS_1"}},
    )
    got = fulfil.get(approval).json()["data"]["attributes"]
    assert got == {"message": "looks fine", "state": "STATUS_1"}
    assert fulfil.get("/brandco/v1/inventory/nope/approval/_values").status_code == 404


def test_values_needs_a_token_and_state_one_of_the_values(fulfil: Org) -> None:
    item_id = fulfil.post("/brandco/v1/inventory", json=doc("thg-fulfil:inventory", ITEM)).json()[
        "data"
    ]["id"]
    anonymous = fulfil.http.get(f"/brandco/v1/inventory/{item_id}/approval/_values")
    assert anonymous.status_code == 401
    sandbox = fulfil.running.sandbox
    product = next(p for p in sandbox.products if p.name == "thg-fulfil")
    target = Target(product, product.entity(("inventory", "approval")), "brandco", (item_id,))
    with pytest.raises(ApiError) as refused:
        sandbox.service.create(
            Caller("brandco", "test"), target, {"attributes": {"message": "m", "state": "NOPE"}}
        )
    assert "one of STATUS_1" in str(refused.value.document())


def test_api_prefix_fulfilment_request(api_prefix: Org) -> None:
    base = "/api/thg-fulfil/v1/brandco/fulfilment-request"
    body = {"delivery_address": {"name": "Ann"}, "lines": []}
    created = api_prefix.post(base, json=doc("thg-fulfil:fulfilment-request", body))
    assert created.status_code == 200, created.text
    request_id = created.json()["data"]["id"]
    assert api_prefix.get(f"{base}/{request_id}").status_code == 200
    assert api_prefix.get(f"{base}/{request_id}/approval/_values").status_code == 200
    assert api_prefix.get(f"{base}/{request_id}/dispatched").json()["data"] == []
    assert api_prefix.delete(f"{base}/{request_id}").status_code == 204


def _subscribe(org: Org) -> str:
    """A subscription of `org` (the published events document declares no create)."""
    sandbox = org.running.sandbox
    product = next(p for p in sandbox.products if p.name == "events")
    entity = product.entity(("subscription",))
    created = sandbox.service.create(
        Caller(org.slug, "test"), Target(product, entity, org.slug, ()), {"attributes": {}}
    )
    return created.id


def test_published_confirm_removes_a_written_event(fulfil: Org) -> None:
    sub_id = _subscribe(fulfil)
    created = fulfil.post("/brandco/v1/inventory", json=doc("thg-fulfil:inventory", ITEM))
    item_id = created.json()["data"]["id"]
    sandbox = fulfil.running.sandbox
    queue = EventQueue(sandbox.db, sandbox.clock, 30)
    claimed = queue.claim(SubscriptionKey("brandco", sub_id), 10)
    # The subscription's own creation, then the item's (a write's event)
    assert [e.body["entity"]["id"] for e in claimed] == [sub_id, item_id]
    handle = claimed[1].handle
    assert handle is not None
    confirm = f"/subscription/{sub_id}/confirm"
    confirmed = fulfil.delete(confirm, headers={"receipt-handle": handle})
    assert confirmed.status_code == 200, confirmed.text
    data = confirmed.json()["data"]
    assert data["id"] == handle and data["type"] == "DataChangedEvent"
    assert data["attributes"]["id"] == item_id and data["meta"]["method"] == "create"
    again = fulfil.delete(confirm, headers={"receipt-handle": handle})
    assert again.status_code == 404  # confirmed already
    assert fulfil.delete(confirm, headers={"receipt-handle": "AQEBnope"}).status_code == 404
    missing = fulfil.delete(confirm)
    assert missing.status_code == 422, missing.text
    assert missing.json()["errors"][0]["source"]["parameter"] == "receipt-handle"
    unknown = fulfil.delete("/subscription/nope/confirm", headers={"receipt-handle": handle})
    assert unknown.status_code == 404
    assert fulfil.http.delete(confirm, headers={"receipt-handle": handle}).status_code == 401
    remaining = queue.claim(SubscriptionKey("brandco", sub_id), 10)
    assert [e.body["entity"]["id"] for e in remaining] == []  # the first is hidden, not back yet


def test_published_confirm_is_the_callers_own_subscription(fulfil: Org) -> None:
    sub_id = _subscribe(fulfil)
    fulfil.post("/brandco/v1/inventory", json=doc("thg-fulfil:inventory", ITEM))
    sandbox = fulfil.running.sandbox
    queue = EventQueue(sandbox.db, sandbox.clock, 30)
    handle = queue.claim(SubscriptionKey("brandco", sub_id), 10)[0].handle
    assert handle is not None
    with Org(fulfil.running, "thg") as other:
        refused = other.delete(
            f"/subscription/{sub_id}/confirm", headers={"receipt-handle": handle}
        )
    assert refused.status_code == 404  # no such subscription of the caller's organisation
    ok = fulfil.delete(f"/subscription/{sub_id}/confirm", headers={"receipt-handle": handle})
    assert ok.status_code == 200


def test_two_documents_merged_by_an_overlay_are_served_as_one(tmp_path: Path) -> None:
    """`thg-codegen overlay thg-fulfil.json --merge thg-fulfil-api-prefix.json`: the sandbox
    applies the overlay and serves both documents' paths as one product."""
    from click.testing import CliRunner

    from thg_codegen.cli import main

    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(CORPUS / "thg-fulfil.json", specs / "thg-fulfil.json")
    other = shutil.copy(CORPUS / "thg-fulfil-api-prefix.json", tmp_path / "other.json")
    merged = CliRunner().invoke(main, ["overlay", str(specs / "thg-fulfil.json"), "--merge", other])
    assert merged.exit_code == 0, merged.output
    with running_sandbox(specs) as running, Org(running, "brandco") as org:
        item = org.post("/brandco/v1/inventory", json=doc("thg-fulfil:inventory", ITEM))
        assert item.status_code == 200, item.text
        base = "/api/thg-fulfil/v1/brandco/fulfilment-request"
        body = {"delivery_address": {"name": "Ann"}, "lines": []}
        request = org.post(base, json=doc("thg-fulfil:fulfilment-request", body))
        assert request.status_code == 200, request.text
        assert org.get(f"{base}/{request.json()['data']['id']}").status_code == 200
