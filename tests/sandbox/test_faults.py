"""Fault plans: per operation, ordered faults for requests that name the plan in a header."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from starlette.requests import Request

from thg_sandbox.clock import ManualClock
from thg_sandbox.errors import ApiError
from thg_sandbox.faults import FAULT_HEADER, Fault, FaultPlanError
from thg_sandbox.faults_admin import require_local
from thg_sandbox.server import RunningSandbox

from .conftest import FULFIL, TIMEOUT, Org, doc, errors, item
from .events_helpers import poll, subscribe, subscription_path

ITEMS = f"{FULFIL}/brandco/inventory"
PLANS = "/_sandbox/fault-plans"


def planned(plan_id: str) -> dict[str, str]:
    return {FAULT_HEADER: plan_id}


def skus(brandco: Org, sku: str) -> list[str]:
    listed = brandco.get(ITEMS, params={"filter": f"consumerReference='{sku}'"})
    assert listed.status_code == 200
    return [d["attributes"]["consumerReference"] for d in listed.json()["data"]]


def test_error_faults_come_in_order_then_the_real_answer(
    brandco: Org, sandbox: RunningSandbox
) -> None:
    plan = sandbox.faults.create(
        {
            "createInventoryItem": [
                Fault.too_many_requests(retry_after=2),
                Fault.unavailable(retry_after=1),
                Fault.server_error(),
            ]
        }
    )
    answers = [
        brandco.post(ITEMS, json=item("FAULT-ORDER"), headers=planned(plan.id)) for _ in range(4)
    ]
    assert [r.status_code for r in answers] == [429, 503, 500, 200]
    assert answers[0].headers["retry-after"] == "2"
    assert answers[1].headers["retry-after"] == "1"
    assert "retry-after" not in answers[2].headers
    for answer in answers[:3]:
        errors(answer)  # JSON:API errors documents, with the request id of any other answer
        assert answer.headers["x-request-id"]
    assert skus(brandco, "FAULT-ORDER") == ["FAULT-ORDER"]
    consumed = sandbox.faults.consumed(plan.id)
    assert [(c.operation, c.method, c.path, c.fault.kind) for c in consumed] == [
        ("createInventoryItem", "POST", ITEMS, "429"),
        ("createInventoryItem", "POST", ITEMS, "503"),
        ("createInventoryItem", "POST", ITEMS, "500"),
    ]


def test_only_requests_naming_the_plan_and_its_operations_are_touched(
    brandco: Org, sandbox: RunningSandbox
) -> None:
    plan = sandbox.faults.create({"createInventoryItem": [Fault.server_error()]})
    assert brandco.post(ITEMS, json=item("FAULT-OTHER-1")).status_code == 200
    assert brandco.get(ITEMS, headers=planned(plan.id)).status_code == 200
    assert sandbox.faults.consumed(plan.id) == []
    assert (
        brandco.post(ITEMS, json=item("FAULT-OTHER-2"), headers=planned(plan.id)).status_code == 500
    )


def test_operations_by_template_and_wildcard(brandco: Org, sandbox: RunningSandbox) -> None:
    plan = sandbox.faults.create(
        {
            "GET /api/thg-fulfil/v1/{owner}/inventory/{inventoryId}": [Fault.unavailable()],
            "*": [Fault.too_many_requests()],
        }
    )
    created = brandco.post(ITEMS, json=item("FAULT-TEMPLATE")).json()["data"]
    one = f"{ITEMS}/{created['id']}"
    assert brandco.get(one, headers=planned(plan.id)).status_code == 503
    assert brandco.get(one, headers=planned(plan.id)).status_code == 429  # the wildcard's turn
    assert brandco.get(one, headers=planned(plan.id)).status_code == 200
    assert [c.operation for c in sandbox.faults.consumed(plan.id)] == ["getInventoryItem"] * 2


def test_latency_delays_the_real_answer(brandco: Org, sandbox: RunningSandbox) -> None:
    plan = sandbox.faults.create({"listInventoryItems": [Fault.latency(0.3)]})
    started = time.monotonic()
    response = brandco.get(ITEMS, headers=planned(plan.id))
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    assert brandco.get(ITEMS, headers=planned(plan.id)).status_code == 200
    assert time.monotonic() - started < 0.3


def test_reset_closes_the_connection_before_the_request_is_processed(
    brandco: Org, sandbox: RunningSandbox
) -> None:
    plan = sandbox.faults.create({"createInventoryItem": [Fault.reset()]})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        brandco.post(ITEMS, json=item("FAULT-RESET"), headers=planned(plan.id))
    assert skus(brandco, "FAULT-RESET") == []
    assert (
        brandco.post(ITEMS, json=item("FAULT-RESET"), headers=planned(plan.id)).status_code == 200
    )


def test_a_dropped_response_is_lost_after_the_work_is_done(
    brandco: Org, sandbox: RunningSandbox
) -> None:
    plan = sandbox.faults.create({"createInventoryItem": [Fault.drop_response()]})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        brandco.post(ITEMS, json=item("FAULT-DROP"), headers=planned(plan.id))
    assert skus(brandco, "FAULT-DROP") == ["FAULT-DROP"]  # created, though nobody heard
    retried = brandco.post(ITEMS, json=item("FAULT-DROP"), headers=planned(plan.id))
    assert retried.status_code == 422  # the retry of a lost create meets its own sku


def test_the_token_endpoint_takes_faults_too(sandbox: RunningSandbox) -> None:
    plan = sandbox.faults.create({"requestToken": [Fault.unavailable(retry_after=3)]})
    client = sandbox.credentials["brandco"]
    body = {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "grant_type": "client_credentials",
        "audience": sandbox.base_url,
    }
    with httpx.Client(timeout=TIMEOUT) as http:
        first = http.post(sandbox.token_url, json=body, headers=planned(plan.id))
        second = http.post(sandbox.token_url, json=body, headers=planned(plan.id))
    assert (first.status_code, first.headers["retry-after"]) == (503, "3")
    assert errors(first)[0]["code"] == "ServiceUnavailable"
    assert second.status_code == 200


def test_an_unknown_plan_is_a_400(brandco: Org) -> None:
    response = brandco.get(ITEMS, headers=planned("no-such-plan"))
    assert response.status_code == 400
    assert errors(response)[0]["code"] == "UnknownFaultPlan"


def test_plans_over_http(brandco: Org, sandbox: RunningSandbox) -> None:
    http = brandco.http  # no token needed: local callers only
    body: dict[str, Any] = {
        "id": "http-plan",
        "operations": {
            "createInventoryItem": [{"fault": "429", "retryAfter": 1}, {"fault": "reset"}],
            "listInventoryItems": [{"fault": "latency", "seconds": 0.01}],
        },
    }
    created = http.post(PLANS, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["remaining"]["createInventoryItem"] == [
        {"fault": "429", "retryAfter": 1.0},
        {"fault": "reset"},
    ]
    assert http.post(PLANS, json=body).status_code == 409
    assert (
        brandco.post(ITEMS, json=item("FAULT-HTTP"), headers=planned("http-plan")).status_code
        == 429
    )
    plan = http.get(f"{PLANS}/http-plan").json()
    assert plan["consumed"][0]["operation"] == "createInventoryItem"
    assert plan["consumed"][0]["fault"] == {"fault": "429", "retryAfter": 1.0}
    assert plan["remaining"]["createInventoryItem"] == [{"fault": "reset"}]
    assert http.delete(f"{PLANS}/http-plan").status_code == 204
    assert http.get(f"{PLANS}/http-plan").status_code == 404
    assert brandco.get(ITEMS, headers=planned("http-plan")).status_code == 400


@pytest.mark.parametrize(
    ("operations", "pointer"),
    [
        ({"noSuchOperation": [{"fault": "500"}]}, "/operations/noSuchOperation"),
        ({"createInventoryItem": [{"fault": "418"}]}, "/operations/createInventoryItem/0/fault"),
        (
            {"createInventoryItem": [{"fault": "latency"}]},
            "/operations/createInventoryItem/0/seconds",
        ),
        (
            {"createInventoryItem": [{"fault": "500", "retryAfter": 1}]},
            "/operations/createInventoryItem/0",
        ),
        (
            {"createInventoryItem": [{"fault": "latency", "seconds": 600}]},
            "/operations/createInventoryItem/0/seconds",
        ),
        ({"createInventoryItem": {"fault": "500"}}, "/operations/createInventoryItem"),
        (
            {"createInventoryItem": [{"fault": "429", "seconds": 2}]},
            "/operations/createInventoryItem/0",
        ),
        (
            {"createInventoryItem": [{"fault": "reset", "seconds": 2}]},
            "/operations/createInventoryItem/0",
        ),
        ({}, "/operations"),
    ],
)
def test_invalid_plans_are_422s(brandco: Org, operations: dict[str, Any], pointer: str) -> None:
    response = brandco.http.post(PLANS, json={"operations": operations})
    assert response.status_code == 422, response.text
    assert errors(response)[0]["source"]["pointer"] == pointer


def test_invalid_plans_raise_in_python(sandbox: RunningSandbox) -> None:
    with pytest.raises(FaultPlanError):
        sandbox.faults.create({"createInventoryItem": [{"fault": "nope"}]})
    with pytest.raises(FaultPlanError):
        sandbox.faults.create({"createInventoryItem": []}, plan_id="../bad")


def test_a_dropped_poll_response_hides_the_claimed_events_until_the_window_ends(
    brandco: Org, sandbox: RunningSandbox, clock: ManualClock
) -> None:
    sub_id = subscribe(brandco)
    assert brandco.post(ITEMS, json=item("FAULT-POLL")).status_code == 200
    plan = sandbox.faults.create({"pollEvents": [Fault.drop_response()]})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        brandco.get(
            subscription_path(brandco, sub_id) + "/events",
            params={"waitTimeSeconds": "0", "maxEvents": "10"},
            headers=planned(plan.id),
        )
    assert poll(brandco, sub_id) == []  # claimed by the lost poll
    clock.advance(sandbox.sandbox.config.event_visibility + 1)
    events = poll(brandco, sub_id)
    assert [e["meta"]["method"] for e in events] == ["create"]
    assert [c.operation for c in sandbox.faults.consumed(plan.id)] == ["pollEvents"]


def test_the_document_upload_takes_faults_too(brandco: Org, sandbox: RunningSandbox) -> None:
    created = brandco.post(
        "/api/document/v1/brandco/document", json=doc("document:document", {"filename": "a"})
    ).json()["data"]
    instructions = created["attributes"]["upload"]
    plan = sandbox.faults.create({"uploadDocumentFile": [Fault.unavailable(retry_after=1)]})
    with httpx.Client(timeout=TIMEOUT) as http:

        def send() -> httpx.Response:
            files = {"file": ("a", b"1")}
            return http.post(
                instructions["url"],
                data=instructions["fields"],
                files=files,
                headers=planned(plan.id),
            )

        assert send().status_code == 503
        assert send().status_code == 204
    assert [c.path for c in sandbox.faults.consumed(plan.id)] == [
        f"/uploads/documents/brandco/{created['id']}"
    ]


def test_plans_are_managed_from_loopback_only() -> None:
    def scope(host: str) -> dict[str, Any]:
        return {"type": "http", "method": "GET", "path": "/", "headers": [], "client": (host, 1)}

    for host in ("127.0.0.1", "::1"):
        require_local(Request(scope(host)))
    for host in ("10.0.0.7", "192.168.1.2", "example.org"):
        with pytest.raises(ApiError) as refused:
            require_local(Request(scope(host)))
        assert refused.value.status == 403
