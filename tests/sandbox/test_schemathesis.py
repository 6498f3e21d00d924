"""schemathesis against the running sandbox: every operation of every spec, over real HTTP.

Each operation gets generated requests (valid and invalid) from its spec, sent by the organisation
allowed to make it on the owner's path, about half the time with ids of entities seeded from the
spec's own examples. Checks: no 5xx, a documented status code, the documented content type and
headers, a body that conforms to the response schema, and a 4xx for every request the spec forbids.
THG_SCHEMATHESIS_EXAMPLES sets the examples per operation (CI: a few; by hand, e.g.
`THG_SCHEMATHESIS_EXAMPLES=200 .venv/bin/pytest tests/sandbox/test_schemathesis.py`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thg_sandbox.server import RunningSandbox
from thg_spec import Product
from thg_spec.pipeline import load_products

from .conformance import (
    Call,
    Seeded,
    Tokens,
    by_label,
    seed,
    seed_inbound,
)
from .schemathesis_checks import CHECKS, adjust

SPECS = Path(__file__).resolve().parents[2] / "specs"
EXAMPLES = int(os.environ.get("THG_SCHEMATHESIS_EXAMPLES", "6"))
# CI sends the same requests every run; a run by hand with more examples explores new ones
# (hypothesis prints the seed of a failure to reproduce it).
DERANDOMIZE = "THG_SCHEMATHESIS_EXAMPLES" not in os.environ
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


def _ordered(found: list[tuple[str, Call]]) -> list[tuple[str, Call]]:
    """Deletes last and children before parents, so seeded ids stay valid for every other test."""

    def key(item: tuple[str, Call]) -> tuple[int, int]:
        call = item[1]
        if call.method != "DELETE":
            return (0, 0)
        return (1, -len(call.id_params))

    return sorted(found, key=key)


# Collected at import: the parametrisation needs the operations' labels.
_PRODUCTS = load_products(SPECS)
_CALLS = _ordered(list(by_label(_PRODUCTS)))
_SCHEMAS = {p.name: schemathesis.openapi.from_dict(p.document) for p in _PRODUCTS}


@pytest.fixture(scope="module")
def products() -> list[Product]:
    return _PRODUCTS


@pytest.fixture(scope="module")
def tokens(sandbox: RunningSandbox) -> Iterator[Tokens]:
    secrets = {org: (c.client_id, c.client_secret) for org, c in sandbox.credentials.items()}
    with httpx.Client(base_url=sandbox.base_url, timeout=10.0) as http:
        yield Tokens(http, sandbox.token_url, secrets)


@pytest.fixture(scope="module")
def seeded(sandbox: RunningSandbox, tokens: Tokens) -> Seeded:
    with httpx.Client(base_url=sandbox.base_url, timeout=10.0) as http:
        seeded = seed(_PRODUCTS, http, tokens)
        for name, value in seed_inbound(_PRODUCTS, http, tokens).items():
            seeded.ids.setdefault(name, value)
        return seeded


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def test_every_spec_operation_is_covered() -> None:
    """Every operation schemathesis sees (bar the token endpoint) is one the sandbox model knows."""
    seen = {
        f"{op.method.upper()} {op.path}"
        for schema in _SCHEMAS.values()
        for result in schema.get_all_operations()
        for op in [result.ok()]
        if op.path != "/oauth/token"
    }
    assert seen == {label for label, _ in _CALLS}


def test_spec_examples_seed_the_sandbox(seeded: Seeded) -> None:
    # The hazmat item's example names a document id of the docs, the ASN's a delivery booking of
    # the docs (the examples' item references are rebound to a seeded item); ids here are the
    # sandbox's own (seed_inbound replays the inbound examples with the booking an approval makes).
    failures = "\n".join(seeded.failures)
    assert len(seeded.failures) == 3, failures
    assert "hazmat_documentation names thg:document:brandco@" in failures
    assert "/asn: 422 deliveryReference 'BOOK-12345678' names no delivery booking" in failures
    assert "/asn/{asnId}/grn: a parent was not created" in failures
    assert seeded.ids.keys() == {
        *("documentId", "subscriptionId", "productModelId", "productId", "attributeTypeId"),
        *("inventoryId", "approvalId", "fulfilmentRequestId", "cancellationId"),
        *("dispatchedId", "preAdviceId", "deliveryBookingId", "asnId", "progressId", "grnId"),
        *("stockLevelId", "stockAdjustmentId"),
    }


def _strategy(call: Call, seeded: Seeded) -> st.SearchStrategy[Any]:
    operation = _SCHEMAS[call.product][call.path][call.method]
    existing = seeded.path_parameters(call)
    choices = ([existing] if existing else []) + [{"owner": call.owner}]
    return st.sampled_from(choices).flatmap(
        lambda params: st.one_of(
            [operation.as_strategy(generation_mode=mode, path_parameters=params) for mode in MODES]
        )
    )


@pytest.mark.parametrize("call", [c for _, c in _CALLS], ids=[label for label, _ in _CALLS])
def test_operation_conforms(
    call: Call,
    sandbox: RunningSandbox,
    seeded: Seeded,
    tokens: Tokens,
    session: requests.Session,
) -> None:
    headers = tokens.header(call.caller)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=DERANDOMIZE,
        print_blob=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(call, seeded))
    def run(case: schemathesis.Case) -> None:
        adjust(case)
        case.call_and_validate(
            base_url=sandbox.base_url, session=session, headers=headers, checks=CHECKS
        )

    run()


def test_put_with_another_id_is_a_422_on_data_id(
    sandbox: RunningSandbox, tokens: Tokens, session: requests.Session
) -> None:
    """Found by this module: the sandbox answered 409, which no PUT documents (CONVENTIONS §3)."""
    call = dict(_CALLS)["PUT /api/thg-fulfil/v1/{owner}/stock-level/{stockLevelId}"]
    item = {
        "consumerReference": "SKU-PUT-ANOTHER-ID",
        "title": "Put with another id",
        "description": "d",
        "type": "t",
        "barcodes": [{"barcode": "1", "type": "ean"}],
        "dimensions": {"depth": 1, "height": 1, "mass": 1, "width": 1},
        "batchControlled": False,
    }
    made = session.post(
        f"{sandbox.base_url}/api/thg-fulfil/v1/{call.owner}/inventory",
        json={"data": {"type": "thg-fulfil:inventory", "attributes": item}},
        headers=tokens.header("brandco"),
    )
    assert made.status_code == 200, made.text
    attributes = {
        "inventoryItem": made.json()["data"]["meta"]["reference"],
        "warehouseReference": "MAN-02",
        "condition": "GOOD",
        "quantity": 1,
    }
    created = session.post(
        f"{sandbox.base_url}/api/thg-fulfil/v1/{call.owner}/stock-level",
        json={"data": {"type": "thg-fulfil:stock-level", "attributes": attributes}},
        headers=tokens.header(call.caller),
    )
    assert created.status_code == 200, created.text
    params = {"owner": call.owner, "stockLevelId": created.json()["data"]["id"]}
    body = {
        "data": {"type": "thg-fulfil:stock-level", "id": "another-id", "attributes": attributes}
    }
    operation = _SCHEMAS[call.product][call.path][call.method]
    case = operation.Case(path_parameters=params, body=body, media_type="application/json")
    response = case.call_and_validate(
        base_url=sandbox.base_url,
        session=session,
        headers=tokens.header(call.caller),
        checks=CHECKS,
    )
    assert response.status_code == 422
    assert [e["source"]["pointer"] for e in response.json()["errors"]] == ["/data/id"]
