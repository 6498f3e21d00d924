"""The `sandbox` provider's fulfilment-request scenarios (S19): what `plan` decides for any
request, and that the sandbox acts only where `sandbox` is one of the consumer's providers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thg_sandbox.behaviours.fulfilment_scenarios import (
    ACCEPT,
    DISPATCH,
    PARTIAL_DISPATCH,
    REJECT,
    SCENARIOS,
    plan,
    scenario_of,
)
from thg_sandbox.clock import ManualClock
from thg_sandbox.config import ALL_PRODUCTS, ApiClient, Partnership, SandboxConfig
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product

from .conftest import FULFIL, SPECS, Org, doc
from .events_helpers import poll, subscribe
from .helpers import fulfilment_request

NOW = datetime(2026, 2, 11, 13, 9, 43, 710356, tzinfo=timezone.utc)

lines_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "lineId": st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,8}", fullmatch=True),
            "sku": st.just("SKU-1"),
            "quantity": st.integers(min_value=1, max_value=10000),
        }
    ),
    max_size=5,
)
names = st.one_of(st.sampled_from(SCENARIOS), st.text(max_size=30))


def request(name: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {"orderId": "O-1", "deliveryAddress": {"name": name}, "lines": lines}


@given(name=names, lines=lines_strategy)
def test_only_the_four_names_pick_a_scenario(name: str, lines: list[dict[str, Any]]) -> None:
    decided = plan("fr-1", request(name, lines), NOW)
    assert (decided is None) == (name not in SCENARIOS)
    assert scenario_of(request(name, lines)) == (name if name in SCENARIOS else None)


@given(name=names, lines=lines_strategy)
def test_what_each_scenario_writes(name: str, lines: list[dict[str, Any]]) -> None:
    decided = plan("fr-1", request(name, lines), NOW)
    if decided is None:
        return
    approved = {"state": "APPROVED", "providerReference": "PROVIDER12345"}
    if name == ACCEPT:
        assert decided.approval == approved and decided.dispatched is None
    elif name == REJECT:
        assert decided.approval == {
            "state": "REJECTED",
            "message": "rejected fulfilment request via sandbox",
        }
        assert decided.dispatched is None
    elif not lines:
        # Nothing to put in a parcel: dispatch approves, partial-dispatch rejects (S19).
        assert decided.dispatched is None
        if name == DISPATCH:
            assert decided.approval == approved
        else:
            assert name == PARTIAL_DISPATCH
            assert decided.approval == {
                "state": "REJECTED",
                "message": "Fulfilment request (fr-1) has 0 lines in it",
            }
    else:
        assert decided.approval == approved
        parcel = decided.dispatched
        assert parcel is not None
        sent = lines if name == DISPATCH else lines[:1]
        assert [
            (p["lineId"], p["dispatchedQuantity"], p["expectedQuantity"]) for p in parcel["lines"]
        ] == [(line["lineId"], line["quantity"], line["quantity"]) for line in sent]
        assert all(p["condition"] == "GOOD" for p in parcel["lines"])
        assert parcel["courierService"] == {
            "name": "UPS",
            "service": "Express International Shipping",
        }
        assert parcel["tracking"]["number"] == "30492343"
        assert parcel["dispatchedDate"] == "2026-02-11T13:09:43+00:00"


@pytest.mark.parametrize(
    "odd", [{}, {"deliveryAddress": None}, {"deliveryAddress": "sandbox accept"}]
)
def test_a_request_without_an_address_name_picks_nothing(odd: dict[str, Any]) -> None:
    assert plan("fr-1", odd, NOW) is None


def test_names_match_exactly() -> None:
    for near in (
        "Sandbox Accept",
        "sandbox accept ",
        "sandbox  reject",
        "sandbox partial dispatch",
    ):
        assert plan("fr-1", request(near, []), NOW) is None


# -- over HTTP -------------------------------------------------------------------------------

REQUESTS = f"{FULFIL}/brandco/fulfilment-request"


def approval_of(org: Org, request_id: str, owner: str = "brandco") -> dict[str, Any]:
    response = org.get(f"{FULFIL}/{owner}/fulfilment-request/{request_id}/approval")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def test_the_scenarios_write_as_sandbox_in_the_ordinary_paths(brandco: Org) -> None:
    body = fulfilment_request("SC-DISPATCH", lines=[{"lineId": "1", "sku": "S", "quantity": 3}])
    body["data"]["attributes"]["deliveryAddress"]["name"] = DISPATCH
    created = brandco.post(REQUESTS, json=body)
    assert created.status_code == 200, created.text
    request_id = created.json()["data"]["id"]
    approval = approval_of(brandco, request_id)
    assert approval["attributes"] == {"state": "APPROVED", "providerReference": "PROVIDER12345"}
    assert approval["meta"]["creator"] == "sandbox" and approval["meta"]["owner"] == "brandco"
    parcels = brandco.get(f"{FULFIL}/sandbox/fulfilment-request/{request_id}/dispatched")
    [parcel] = parcels.json()["data"]
    assert parcel["meta"]["owner"] == parcel["meta"]["creator"] == "sandbox"
    assert parcel["meta"]["parent"] == {"thg-fulfil:fulfilment-request": request_id}
    assert parcel["attributes"]["lines"][0]["dispatchedQuantity"] == 3


def test_replacing_a_request_does_not_run_a_scenario_again(brandco: Org) -> None:
    body = fulfilment_request("SC-PUT")
    created = brandco.post(REQUESTS, json=body).json()["data"]
    path = f"{REQUESTS}/{created['id']}"
    body["data"]["attributes"]["deliveryAddress"]["name"] = ACCEPT
    body["data"]["id"] = created["id"]
    assert brandco.put(path, json=body).status_code == 200
    assert brandco.get(f"{path}/approval").status_code == 404


def test_a_provider_cannot_send_a_scenario_on_the_consumer_path(brandco: Org, thg: Org) -> None:
    """Only the consumer creates its requests, so only it can pick a scenario."""
    body = fulfilment_request("SC-OTHER-ACTOR")
    body["data"]["attributes"]["deliveryAddress"]["name"] = REJECT
    refused = thg.post(REQUESTS, json=body)
    assert refused.status_code == 403  # a provider cannot create the consumer's requests


@pytest.fixture(scope="module")
def no_sandbox_provider(clock: ManualClock, products: list[Product]) -> Iterator[RunningSandbox]:
    """brandco partnered with thg only: `sandbox` exists but is not its provider."""
    orgs = ("brandco", "thg", "sandbox")
    config = SandboxConfig(
        organisations=orgs,
        clients=tuple(ApiClient(org, f"{org}-sandbox-secret", org) for org in orgs),
        partnerships=(Partnership(ALL_PRODUCTS, "brandco", ("thg",)),),
    )
    with running_sandbox(SPECS, config, clock=clock, products=products) as running:
        yield running


@pytest.mark.parametrize("name", SCENARIOS)
def test_nothing_happens_where_sandbox_is_not_a_provider(
    no_sandbox_provider: RunningSandbox, name: str
) -> None:
    with Org(no_sandbox_provider, "brandco") as consumer:
        body = fulfilment_request(f"SC-NONE-{SCENARIOS.index(name)}")
        body["data"]["attributes"]["deliveryAddress"]["name"] = name
        created = consumer.post(REQUESTS, json=body)
        assert created.status_code == 200, created.text
        request_id = created.json()["data"]["id"]
        assert consumer.get(f"{REQUESTS}/{request_id}/approval").status_code == 404
        # Not even a parcel anywhere (sandbox's path is not brandco's to look at: the store).
        service = no_sandbox_provider.sandbox.service
        with service.db.reading() as conn:
            (parcels,) = conn.execute(
                "SELECT count(*) FROM resources WHERE entity = ?",
                ("thg-fulfil:fulfilment-request.dispatched",),
            ).fetchone()
        assert parcels == 0
        cancel = doc(
            "thg-fulfil:fulfilment-request.cancellation", {"state": "REQUESTED", "reason": "x"}
        )
        assert (
            consumer.post(f"{REQUESTS}/{request_id}/cancellation", json=cancel).status_code == 200
        )


def test_the_consumer_hears_of_the_approval_and_the_parcel(brandco: Org) -> None:
    """The parcel lives on sandbox's path, yet its event reaches the consumer, a partner."""
    sub_id = subscribe(brandco)
    body = fulfilment_request("SC-EVENTS")
    body["data"]["attributes"]["deliveryAddress"]["name"] = PARTIAL_DISPATCH
    request_id = brandco.post(REQUESTS, json=body).json()["data"]["id"]
    events = poll(brandco, sub_id)
    heard = [(e["attributes"]["type"], e["attributes"]["meta"]["owner"]) for e in events]
    assert heard == [
        ("thg-fulfil:fulfilment-request", "brandco"),
        ("thg-fulfil:fulfilment-request.approval", "brandco"),
        ("thg-fulfil:fulfilment-request.dispatched", "sandbox"),
    ]
    assert events[2]["attributes"]["meta"]["parent"] == {
        "thg-fulfil:fulfilment-request": request_id
    }
