"""Security checks the access, auth and filter tests do not make: tokens signed with another
key or no algorithm, SQL-shaped filter values and names, and writes across organisations."""

from __future__ import annotations

import base64
import json
import math
import secrets
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from thg_sandbox import tokens
from thg_sandbox.config import ApiClient, SandboxConfig, default_config
from thg_sandbox.server import RunningSandbox

from .conftest import FULFIL, TIMEOUT, Org, doc, errors, item

ITEMS = f"{FULFIL}/brandco/inventory"
TRICKY_SKUS = [
    "O'Brien",
    "x' OR '1'='1",
    "a%",
    "a_",
    '"; DROP TABLE resources; --',
    "') OR json_extract(attributes, '$.consumerReference') IS NOT NULL --",
]


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
    with Org(sandbox, "loneco") as org:
        yield org


@pytest.fixture(scope="module")
def stock(brandco: Org) -> list[str]:
    """Items whose free-text `title` is each tricky value."""
    names = [*TRICKY_SKUS, "plain", "aa", "ab"]
    for n, name in enumerate(names):
        assert brandco.post(ITEMS, json=item(f"SEC-{n}", title=name)).status_code == 200
    return names


def quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def matching(org: Org, filter_text: str, path: str = ITEMS) -> httpx.Response:
    return org.get(path, params={"filter": filter_text, "page[size]": "100"})


def names_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(d["attributes"]["title"] for d in response.json()["data"])


# -- tokens -------------------------------------------------------------------------------


def _get(sandbox: RunningSandbox, token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.get(sandbox.base_url + ITEMS, headers=headers, timeout=TIMEOUT)


def test_a_token_signed_with_another_key_is_401(sandbox: RunningSandbox) -> None:
    forged = tokens.issue(
        secrets.token_bytes(32),
        organisation="brandco",
        client_id="brandco",
        audience=sandbox.base_url,
        now=math.floor(time.time()),
        ttl=600,
    )
    response = _get(sandbox, forged)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert forged not in response.text


def _unsigned(claims: dict[str, Any], alg: str) -> str:
    def b64(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': alg, 'typ': 'JWT'})}.{b64(claims)}."


@pytest.mark.parametrize("alg", ["none", "None", "HS512"])
def test_tokens_without_our_algorithm_are_401(sandbox: RunningSandbox, alg: str) -> None:
    now = math.floor(time.time())
    claims = {"sub": "brandco", "org": "brandco", "aud": sandbox.base_url, "iat": now}
    assert _get(sandbox, _unsigned({**claims, "exp": now + 600}, alg)).status_code == 401


def test_a_token_for_a_client_that_does_not_exist_is_401(sandbox: RunningSandbox) -> None:
    # Even correctly signed (the key is the sandbox's own), a client id it never issued is refused.
    key = sandbox.sandbox.db.signing_key()
    now = math.floor(time.time())
    token = tokens.issue(
        key, organisation="brandco", client_id="ghost", audience=sandbox.base_url, now=now, ttl=60
    )
    assert _get(sandbox, token).status_code == 401
    mismatched = tokens.issue(
        key, organisation="thg", client_id="brandco", audience=sandbox.base_url, now=now, ttl=60
    )
    assert _get(sandbox, mismatched).status_code == 401


# -- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize("sku", TRICKY_SKUS)
def test_sql_shaped_values_match_only_themselves(brandco: Org, stock: list[str], sku: str) -> None:
    assert names_of(matching(brandco, f"title={quoted(sku)}")) == [sku]


@pytest.mark.parametrize(
    "text",
    [
        "title='nope' OR 1=1",
        "title='nope') OR (1=1",
        "title='nope' -- ",
        "title='nope'; DROP TABLE resources",
        "json_extract(attributes, '$.title')='plain'",
        "title=title",
        "1=1",
        "title='a' UNION SELECT * FROM resources",
    ],
)
def test_sql_shaped_filters_are_400s(brandco: Org, stock: list[str], text: str) -> None:
    response = matching(brandco, text)
    assert response.status_code == 400, response.text
    assert errors(response)[0]["source"]["parameter"] == "filter"


def test_the_table_survives_and_wildcards_are_literal(brandco: Org, stock: list[str]) -> None:
    assert names_of(matching(brandco, "title='a%' or title='a_'")) == ["a%", "a_"]
    assert len(names_of(brandco.get(ITEMS, params={"page[size]": "100"}))) >= len(stock)


def test_filters_never_reach_another_owner(brandco: Org, loneco: Org, stock: list[str]) -> None:
    own = f"{FULFIL}/loneco/inventory"
    assert loneco.post(own, json=item("SEC-LONE", title="plain")).status_code == 200
    for text in ["title='plain'", "owner='brandco'", "title='plain' or owner='brandco'"]:
        response = matching(loneco, text, own)
        assert response.status_code == 400 or names_of(response) in ([], ["plain"]), text
    assert matching(loneco, "title='plain'").status_code == 404  # brandco's path: not disclosed


# -- writes across organisations ------------------------------------------------------------


def test_strangers_cannot_write_and_nothing_changes(brandco: Org, loneco: Org) -> None:
    created = brandco.post(ITEMS, json=item("SEC-OWN")).json()["data"]
    path = f"{ITEMS}/{created['id']}"
    assert loneco.post(ITEMS, json=item("SEC-INTRUDER")).status_code == 404
    approval = doc(
        "thg-fulfil:inventory.approval", {"state": "APPROVED", "providerReference": "PROV-1"}
    )
    assert loneco.put(f"{path}/approval", json=approval).status_code == 404
    assert loneco.delete(path).status_code == 404
    assert loneco.post(f"{path}/approval", json=approval).status_code == 404
    after = brandco.get(path).json()["data"]
    assert (after["attributes"]["title"], after["version"]) == (created["attributes"]["title"], "1")
    assert matching(brandco, "consumerReference='SEC-INTRUDER'").json()["data"] == []


def test_partners_cannot_write_what_their_role_does_not(brandco: Org, thg: Org) -> None:
    created = brandco.post(ITEMS, json=item("SEC-PARTNER")).json()["data"]
    path = f"{ITEMS}/{created['id']}"
    assert thg.post(ITEMS, json=item("SEC-BY-THG")).status_code == 403
    approval = doc("thg-fulfil:inventory.approval", {"state": "VALID"})
    assert brandco.post(f"{path}/approval", json=approval).status_code == 403  # the provider's
    assert thg.delete(path).status_code == 403
    assert brandco.get(path).json()["data"]["version"] == "1"


def test_self_owned_products_are_written_by_their_owner_alone(
    brandco: Org, thg: Org, loneco: Org
) -> None:
    """Strangers see nothing (404); partners may read (CONVENTIONS §10) but never write (403),
    and polling or confirming someone else's subscription is a write."""
    documents = "/api/document/v1/brandco/document"
    created = brandco.post(documents, json=doc("document:document", {"filename": "a.pdf"}))
    doc_id = created.json()["data"]["id"]
    subscriptions = "/api/events/v1/brandco/subscription"
    subscription = doc("events:subscription", {}, id="sec-sub")
    assert brandco.post(subscriptions, json=subscription).status_code == 201
    confirm = {"receipt-handle": "x"}
    for org, status in ((loneco, 404), (thg, 403)):
        assert org.delete(f"{documents}/{doc_id}").status_code == status
        new_doc = doc("document:document", {"filename": "b"})
        assert org.post(documents, json=new_doc).status_code == status
        assert org.get(f"{subscriptions}/sec-sub/events").status_code == status
        assert org.delete(f"{subscriptions}/sec-sub/confirm", headers=confirm).status_code == status
        assert org.delete(f"{subscriptions}/sec-sub").status_code == status
        other = doc("events:subscription", {}, id=f"sec-by-{org.slug}")
        assert org.post(subscriptions, json=other).status_code == status
    assert loneco.get(f"{documents}/{doc_id}").status_code == 404
    assert loneco.get(f"{subscriptions}/sec-sub").status_code == 404
    assert brandco.get(f"{documents}/{doc_id}").status_code == 200
    assert brandco.get(f"{subscriptions}/sec-sub").status_code == 200


def test_a_consumer_cannot_create_items_under_its_provider(brandco: Org) -> None:
    response = brandco.post(f"{FULFIL}/thg/inventory", json=item("SEC-WRONG-OWNER"))
    assert response.status_code in (403, 404)
