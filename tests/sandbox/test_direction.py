"""Direction and references across organisations (CONVENTIONS §10, §12; issue 14).

* Direction: an entity's path owner is the side that owns it (an inventory item's consumer, an
  ASN's provider) and its writer is the side the spec declares. A pure provider cannot create a
  consumer's entity on its own path, nor a pure consumer a provider's; an organisation on both
  sides (a consumer of one partner, a provider of another) writes each on its own path; one in no
  partnership has no side yet and keeps its own path.
* References: a reference field may name an entity of the caller or of a partner in the product
  being written; any other organisation's entity is answered exactly like one that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from thg_sandbox.config import ALL_PRODUCTS, ApiClient, Partnership, SandboxConfig
from thg_sandbox.server import RunningSandbox
from thg_spec import Entity, Product

from .conftest import FULFIL, Org, doc, errors, item
from .test_references_exist import HAZMAT, uploaded_document

APPROVED = doc(
    "thg-fulfil:inventory.approval", {"state": "APPROVED", "providerReference": "DIR-PROVIDER"}
)
ORGS = ("brandco", "thg", "sandbox", "dualco", "loneco")


@pytest.fixture(scope="module")
def sandbox_config() -> SandboxConfig:
    """brandco buys from thg, sandbox and dualco; dualco also buys from thg; loneco is alone."""
    return SandboxConfig(
        organisations=ORGS,
        clients=tuple(ApiClient(org, f"{org}-secret", org) for org in ORGS),
        partnerships=(
            Partnership(ALL_PRODUCTS, "brandco", ("thg", "sandbox", "dualco")),
            Partnership(ALL_PRODUCTS, "dualco", ("thg",)),
        ),
    )


@pytest.fixture(scope="module")
def orgs(sandbox: RunningSandbox) -> Iterator[dict[str, Org]]:
    found = {slug: Org(sandbox, slug) for slug in ORGS}
    yield found
    for org in found.values():
        org.close()


def top_level(sandbox: RunningSandbox, side: str) -> list[tuple[Product, Entity]]:
    """Every top-level entity the spec gives to `side` (it owns and writes it)."""
    return [
        (product, entity)
        for product in sandbox.sandbox.products
        for entity in product.entities
        if len(entity.name) == 1 and entity.owner_role == side and entity.writer_role == side
    ]


def collection(product: Product, entity: Entity, owner: str) -> str:
    return entity.collection_path.replace("{owner}", owner)


def test_a_pure_provider_cannot_create_consumer_entities_on_its_own_path(
    sandbox: RunningSandbox, orgs: dict[str, Org]
) -> None:
    found = top_level(sandbox, "consumer")
    assert {e.type_string for _, e in found} >= {"product:product-model", "product:product"}
    for product, entity in found:
        body = doc(entity.type_string, {})  # refused before the body is read
        response = orgs["thg"].post(collection(product, entity, "thg"), json=body)
        assert response.status_code == 403, (entity.type_string, response.text)
        detail = errors(response)[0]["detail"]
        assert "written by the consumer" in detail and "only a provider" in detail, detail


def test_a_pure_consumer_cannot_create_provider_entities_on_its_own_path(
    sandbox: RunningSandbox, orgs: dict[str, Org]
) -> None:
    found = top_level(sandbox, "provider")
    assert {e.type_string for _, e in found} >= {"product:attribute-type"}
    for product, entity in found:
        response = orgs["brandco"].post(
            collection(product, entity, "brandco"), json=doc(entity.type_string, {})
        )
        assert response.status_code == 403, (entity.type_string, response.text)
        detail = errors(response)[0]["detail"]
        assert "written by the provider" in detail and "only a consumer" in detail, detail


def test_the_legitimate_sides_still_write(orgs: dict[str, Org]) -> None:
    brandco, thg = orgs["brandco"], orgs["thg"]
    created = brandco.post(f"{FULFIL}/brandco/inventory", json=item("DIR-OWN"))
    assert created.status_code == 200, created.text
    path = f"{FULFIL}/brandco/inventory/{created.json()['data']['id']}/approval"
    assert brandco.post(path, json=APPROVED).status_code == 403  # the provider approves
    assert thg.post(path, json=APPROVED).status_code == 201
    kind = doc("product:attribute-type", {"name": "dir_colour", "valueType": "string"})
    assert thg.post("/api/product/v1/thg/attribute-type", json=kind).status_code == 201


def test_an_organisation_on_both_sides_writes_each_on_its_own_path(orgs: dict[str, Org]) -> None:
    dualco, thg = orgs["dualco"], orgs["thg"]
    created = dualco.post(f"{FULFIL}/dualco/inventory", json=item("DIR-DUAL"))
    assert created.status_code == 200, created.text
    approval = f"{FULFIL}/dualco/inventory/{created.json()['data']['id']}/approval"
    forbidden = dualco.post(approval, json=APPROVED)  # its own item: its provider approves it
    assert forbidden.status_code == 403
    assert "only the provider may write it" in errors(forbidden)[0]["detail"]
    assert thg.post(approval, json=APPROVED).status_code == 201
    kind = doc("product:attribute-type", {"name": "dual_colour", "valueType": "string"})
    assert dualco.post("/api/product/v1/dualco/attribute-type", json=kind).status_code == 201


def test_an_unpartnered_organisation_keeps_its_own_path(orgs: dict[str, Org]) -> None:
    loneco = orgs["loneco"]
    assert loneco.post(f"{FULFIL}/loneco/inventory", json=item("DIR-LONE")).status_code == 200


# -- references ------------------------------------------------------------------------------


def _shape(response: httpx.Response, value: str) -> tuple[int, list[dict[str, Any]]]:
    """Status and error objects with what must differ between two calls taken out: each error's
    own id and the reference value the caller sent."""
    found = errors(response)
    return response.status_code, [
        {**{k: v for k, v in e.items() if k != "id"}, "detail": e["detail"].replace(value, "<ref>")}
        for e in found
    ]


def _made_up(reference: str) -> str:
    return re.sub(r"@[^@]+$", "@00000000-0000-4000-8000-000000000000", reference)


def test_a_partners_document_may_be_referenced(orgs: dict[str, Org]) -> None:
    brandco, thg = orgs["brandco"], orgs["thg"]
    theirs = uploaded_document(thg)
    body = item("DIR-REF-PARTNER", hazmat_documentation=theirs)
    created = brandco.post(f"{FULFIL}/brandco/inventory", json=body)
    assert created.status_code == 200, created.text
    ours = uploaded_document(brandco)
    body = item("DIR-REF-OWN", hazmat_documentation=ours)
    assert brandco.post(f"{FULFIL}/brandco/inventory", json=body).status_code == 200


@pytest.mark.parametrize(
    ("caller", "stranger"),
    [("brandco", "loneco"), ("loneco", "brandco"), ("dualco", "sandbox")],
    ids=["consumer-cites-a-stranger", "stranger-cites-a-consumer", "two-providers-apart"],
)
def test_a_strangers_document_is_answered_like_nothing(
    orgs: dict[str, Org], caller: str, stranger: str
) -> None:
    """`dualco` and `sandbox` are both brandco's providers but not each other's partners."""
    real = uploaded_document(orgs[stranger])
    made_up = _made_up(real)
    items = f"{FULFIL}/{caller}/inventory"
    answers = [
        orgs[caller].post(items, json=item(f"DIR-STR-{n}", hazmat_documentation=value))
        for n, value in enumerate((real, made_up))
    ]
    assert answers[0].status_code == 422, answers[0].text
    assert _shape(answers[0], real) == _shape(answers[1], made_up)
    assert [e["source"]["pointer"] for e in errors(answers[0])] == [HAZMAT]
