"""Owner paths and partnerships (CONVENTIONS §10): 200 for partners, 403 wrong role, 404
strangers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from thg_sandbox.config import ApiClient, SandboxConfig, default_config
from thg_sandbox.server import RunningSandbox

from .conftest import FULFIL, Org, doc, errors, item

ITEMS = f"{FULFIL}/brandco/inventory"
APPROVED = doc(
    "thg-fulfil:inventory.approval", {"state": "APPROVED", "providerReference": "PROV-1"}
)


@pytest.fixture(scope="module")
def sandbox_config() -> SandboxConfig:
    base = default_config()
    return replace(
        base,
        organisations=(*base.organisations, "loneco"),
        clients=(*base.clients, ApiClient("loneco", "loneco-secret", "loneco")),
    )


@pytest.fixture(scope="module")
def loneco(sandbox: RunningSandbox) -> Iterator[Org]:
    org = Org(sandbox, "loneco")
    yield org
    org.close()


@pytest.fixture(scope="module")
def item_id(brandco: Org) -> str:
    response = brandco.post(ITEMS, json=item("ACCESS-1"))
    assert response.status_code == 200
    return str(response.json()["data"]["id"])


def test_owner_reads_and_writes_its_own_path(brandco: Org, item_id: str) -> None:
    assert brandco.get(f"{ITEMS}/{item_id}").status_code == 200
    assert brandco.get(ITEMS).status_code == 200


def test_partner_reads_the_owners_path(thg: Org, item_id: str) -> None:
    response = thg.get(f"{ITEMS}/{item_id}")
    assert response.status_code == 200
    assert response.json()["data"]["meta"]["owner"] == "brandco"
    assert thg.get(ITEMS).json()["data"]


def test_partner_with_the_wrong_role_gets_403(thg: Org, item_id: str) -> None:
    response = thg.post(ITEMS, json=item("THG-WRITES"))
    assert response.status_code == 403
    assert errors(response)[0]["code"] == "Forbidden"
    assert thg.delete(f"{ITEMS}/{item_id}").status_code == 403


def test_writer_role_decides_statuses(brandco: Org, thg: Org, item_id: str) -> None:
    # The provider approves the consumer's item; the consumer may not approve its own.
    assert brandco.post(f"{ITEMS}/{item_id}/approval", json=APPROVED).status_code == 403
    response = thg.post(f"{ITEMS}/{item_id}/approval", json=APPROVED)
    assert response.status_code == 201, response.text
    meta = response.json()["data"]["meta"]
    assert (meta["owner"], meta["creator"]) == ("brandco", "thg")
    assert brandco.get(f"{ITEMS}/{item_id}/approval").status_code == 200


def test_strangers_get_404_whether_or_not_it_exists(loneco: Org, item_id: str) -> None:
    assert loneco.get(f"{ITEMS}/{item_id}").status_code == 404
    assert loneco.get(ITEMS).status_code == 404
    assert loneco.post(ITEMS, json=item("LONE-1")).status_code == 404
    assert loneco.get(f"{FULFIL}/no-such-org/inventory").status_code == 404


def test_own_path_works_for_an_unpartnered_org(loneco: Org) -> None:
    assert loneco.post(f"{FULFIL}/loneco/inventory", json=item("LONE-2")).status_code == 200


def test_self_owned_products_are_private(brandco: Org, loneco: Org) -> None:
    path = "/api/document/v1/brandco/document"
    created = brandco.post(path, json=doc("document:document", {"filename": "sds.pdf"}))
    assert created.status_code == 201, created.text
    assert loneco.get(f"{path}/{created.json()['data']['id']}").status_code == 404
