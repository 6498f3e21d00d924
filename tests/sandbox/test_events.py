"""Events over real HTTP (CONVENTIONS §11): fan-out, filters, order, long polls, the visibility
window on a manual clock, confirm, access, and concurrent pollers."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from datetime import datetime
from typing import Any

import pytest

from thg_connect_core import Reference
from thg_sandbox.clock import ManualClock
from thg_sandbox.config import ApiClient, Partnership, SandboxConfig, default_config
from thg_sandbox.server import RunningSandbox

from .conftest import FULFIL, Org, doc, errors, item
from .events_helpers import (
    EVENTS,
    change,
    confirm,
    confirm_response,
    drain,
    poll,
    poll_response,
    subscribe,
    subscribe_all,
    subscription_path,
)

ITEMS = f"{FULFIL}/brandco/inventory"
APPROVAL = "thg-fulfil:inventory.approval"
WINDOW = 30.0


@pytest.fixture(scope="module")
def sandbox_config() -> SandboxConfig:
    """The default organisations plus `otherco`, partnered with thg in the product API only."""
    base = default_config()
    return SandboxConfig(
        organisations=(*base.organisations, "otherco"),
        clients=(*base.clients, ApiClient("otherco", "otherco-sandbox-secret", "otherco")),
        partnerships=(*base.partnerships, Partnership("product", "otherco", ("thg",))),
    )


@pytest.fixture(scope="module")
def otherco(sandbox: RunningSandbox) -> Any:
    org = Org(sandbox, "otherco")
    yield org
    org.close()


@pytest.fixture(scope="module")
def sandbox_org(sandbox: RunningSandbox) -> Any:
    org = Org(sandbox, "sandbox")
    yield org
    org.close()


def new_item(org: Org, sku: str) -> dict[str, Any]:
    response = org.post(ITEMS, json=item(sku))
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_write_reaches_the_owner_and_its_partners_only(
    brandco: Org, thg: Org, sandbox_org: Org, otherco: Org
) -> None:
    orgs = (brandco, thg, sandbox_org, otherco)
    subs = {org.slug: (org, sub_id) for org, sub_id in zip(orgs, subscribe_all(*orgs), strict=True)}
    created = new_item(brandco, "FAN-1")
    as_read = brandco.get(f"{ITEMS}/{created['id']}").json()["data"]
    handles = set()
    for slug in ("brandco", "thg", "sandbox"):
        org, sub_id = subs[slug]
        events = poll(org, sub_id)
        assert len(events) == 1, slug
        event = events[0]
        assert event["type"] == "DataChangedEvent"
        assert event["attributes"] == as_read  # the entity as a GET of it returns it
        assert event["meta"] == {
            "receiptHandle": event["id"],
            "subscriptionId": sub_id,
            "method": "create",
        }
        assert len(event["id"]) > 100 and re.fullmatch(r"[A-Za-z0-9_-]+", event["id"])
        handles.add(event["id"])
        # The reference names where the entity lives: a partner can read it there.
        path = Reference.parse(event["attributes"]["meta"]["reference"]).path
        assert org.get(path).json()["data"]["id"] == created["id"]
    assert len(handles) == 3  # a handle per delivery
    assert poll(otherco, subs["otherco"][1]) == []


def test_partnership_is_per_product(brandco: Org, thg: Org, otherco: Org) -> None:
    on_brandco, on_thg, on_other = subscribe_all(brandco, thg, otherco)
    model = doc(
        "product:product-model",
        {"name": "dress", "version": "0.1", "availableAttributes": {}, "variantTypes": []},
    )
    assert otherco.post("/api/product/v1/otherco/product-model", json=model).status_code == 201
    [event] = poll(thg, on_thg)  # thg is otherco's provider in the product API
    meta = event["attributes"]["meta"]
    assert (meta["owner"], meta["creator"]) == ("otherco", "otherco")
    assert poll(brandco, on_brandco) == []  # brandco is no partner of otherco
    assert change(poll(otherco, on_other)[0]) == change(event)
    new_item(brandco, "FAN-2")  # thg-fulfil: otherco and thg are not partners there
    assert poll(otherco, on_other) == []


def test_status_events_carry_state_parent_and_owner(brandco: Org, thg: Org) -> None:
    sub_id = subscribe(brandco)
    created = new_item(brandco, "STATE-1")
    path = f"{ITEMS}/{created['id']}/approval"
    approval = doc(APPROVAL, {"state": "REJECTED", "reason": "OTHER"})
    approval_id = thg.post(path, json=approval).json()["data"]["id"]
    assert (
        thg.put(
            path, json=doc(APPROVAL, {"state": "APPROVED", "providerReference": "PROV-1"})
        ).status_code
        == 200
    )
    events = poll(brandco, sub_id)
    assert [(e["attributes"]["type"], e["meta"]["method"]) for e in events] == [
        ("thg-fulfil:inventory", "create"),
        (APPROVAL, "create"),
        (APPROVAL, "update"),
    ]
    assert "state" not in events[0]["attributes"]["attributes"]
    for event, state, version in ((events[1], "REJECTED", "1"), (events[2], "APPROVED", "2")):
        entity = event["attributes"]
        assert entity["attributes"]["state"] == state and entity["version"] == version
        assert entity["meta"]["owner"] == "brandco" and entity["id"] == approval_id
        assert entity["meta"]["parent"] == {"thg-fulfil:inventory": created["id"]}
        assert brandco.get(path).json()["data"]["id"] == approval_id


def test_entity_types_narrow_a_subscription(brandco: Org, thg: Org) -> None:
    narrow = subscribe(brandco, entityTypes=[APPROVAL])
    created = new_item(brandco, "NARROW-1")
    path = f"{ITEMS}/{created['id']}/approval"
    assert (
        thg.post(
            path, json=doc(APPROVAL, {"state": "APPROVED", "providerReference": "PROV-1"})
        ).status_code
        == 201
    )
    [event] = poll(brandco, narrow)
    assert event["attributes"]["type"] == APPROVAL


def test_a_cascade_announces_children_then_the_parent(brandco: Org, thg: Org) -> None:
    created = new_item(brandco, "CASCADE-1")
    path = f"{ITEMS}/{created['id']}"
    thg.post(
        f"{path}/approval", json=doc(APPROVAL, {"state": "APPROVED", "providerReference": "PROV-1"})
    )
    sub_id = subscribe(brandco)
    assert brandco.delete(path).status_code == 204
    events = poll(brandco, sub_id)
    assert [(e["attributes"]["type"], e["meta"]["method"]) for e in events] == [
        (APPROVAL, "delete"),
        ("thg-fulfil:inventory", "delete"),
    ]
    assert brandco.get(path).status_code == 404  # the event is all there is:
    assert (
        events[1]["attributes"]["attributes"]["consumerReference"] == "CASCADE-1"
    )  # the entity as it was


def test_events_come_in_the_order_they_happened(brandco: Org, thg: Org) -> None:
    sub_id = subscribe(brandco)
    created = new_item(brandco, "ORDER-0")
    path = f"{ITEMS}/{created['id']}/approval"  # items are immutable: their approval changes
    assert thg.post(path, json=doc(APPROVAL, {"state": "VALID"})).status_code == 201
    for n in range(1, 5):
        body = doc(APPROVAL, {"state": "VALID", "message": f"v{n}"})
        assert thg.put(path, json=body).status_code == 200
    skus = [new_item(brandco, f"ORDER-{n}")["id"] for n in range(1, 6)]
    events = [e["attributes"] for e in poll(brandco, sub_id, most=3)]
    events += [e["attributes"] for e in poll(brandco, sub_id, most=100)]
    assert [e["type"] for e in events[:2]] == ["thg-fulfil:inventory", APPROVAL]
    assert [e["version"] for e in events[:6]] == ["1", "1", "2", "3", "4", "5"]
    assert [e["id"] for e in events[6:]] == skus


def test_a_long_poll_answers_as_soon_as_an_event_arrives(brandco: Org) -> None:
    sub_id = subscribe(brandco)
    result: dict[str, Any] = {}

    def wait_for_event() -> None:
        started = time.monotonic()
        result["events"] = poll(brandco, sub_id, wait=10)
        result["elapsed"] = time.monotonic() - started

    with Org(brandco.running, "brandco") as writer:
        poller = threading.Thread(target=wait_for_event)
        poller.start()
        time.sleep(0.5)  # the poll is waiting by now
        assert "events" not in result
        created = new_item(writer, "WAKE-1")
        poller.join(10)
    assert [e["attributes"]["id"] for e in result["events"]] == [created["id"]]
    assert 0.4 < result["elapsed"] < 3.0


def test_a_long_poll_with_nothing_waits_for_its_time(brandco: Org) -> None:
    sub_id = subscribe(brandco)
    started = time.monotonic()
    assert poll(brandco, sub_id, wait=1) == []
    assert 0.9 <= time.monotonic() - started < 3.0


def test_a_polled_event_is_hidden_for_exactly_the_window(brandco: Org, clock: ManualClock) -> None:
    sub_id = subscribe(brandco)
    new_item(brandco, "WINDOW-1")
    [first] = poll(brandco, sub_id)  # the manual clock stands still: hidden from now for 30 s
    assert poll(brandco, sub_id) == []
    clock.advance(WINDOW - 0.5)
    assert poll(brandco, sub_id) == []  # half a second before the end: still hidden
    clock.advance(0.5)
    [again] = poll(brandco, sub_id)
    assert change(again) == change(first) and again["id"] != first["id"]  # a new handle
    assert again["meta"]["receiptHandle"] == again["id"]
    # Any handle ever issued for the event confirms it, the newer one then finds it gone.
    assert confirm(brandco, sub_id, [first["id"], again["id"]]) == {
        "confirmed": [first["id"]],
        "notFound": [again["id"]],
    }
    clock.advance(WINDOW + 1)
    assert poll(brandco, sub_id) == []


def test_a_confirm_after_the_window_still_removes(brandco: Org, clock: ManualClock) -> None:
    sub_id = subscribe(brandco)
    new_item(brandco, "LATE-1")
    [event] = poll(brandco, sub_id)
    clock.advance(WINDOW + 5)
    assert confirm(brandco, sub_id, [event["id"]]) == {"confirmed": [event["id"]], "notFound": []}
    clock.advance(WINDOW + 5)
    assert poll(brandco, sub_id) == []


def test_unknown_and_repeated_confirms_are_listed_not_errors(brandco: Org) -> None:
    sub_id = subscribe(brandco)
    new_item(brandco, "NF-1")
    [event] = poll(brandco, sub_id)
    first = confirm(brandco, sub_id, [event["id"], "no-such-event"])
    assert first == {"confirmed": [event["id"]], "notFound": ["no-such-event"]}
    assert confirm(brandco, sub_id, [event["id"]]) == {"confirmed": [], "notFound": [event["id"]]}


def test_poll_and_confirm_parameters_are_checked(brandco: Org) -> None:
    sub_id = subscribe(brandco)
    for wait, most, name in (
        (21, 10, "waitTimeSeconds"),
        (0, 0, "maxEvents"),
        (0, 101, "maxEvents"),
    ):
        response = poll_response(brandco, sub_id, wait=wait, most=most)
        assert response.status_code == 400
        assert errors(response)[0]["source"] == {"parameter": name}
    bad = brandco.get(subscription_path(brandco, sub_id) + "/events?waitTimeSeconds=-1")
    assert bad.status_code == 400
    for handle in (None, ""):  # a missing or empty receipt-handle header
        response = confirm_response(brandco, sub_id, handle)
        assert response.status_code == 422, handle
        assert errors(response)[0]["source"] == {"parameter": "receipt-handle"}
    for handle in ("x" * 5000, "AQEB-not-issued"):
        response = confirm_response(brandco, sub_id, handle)
        assert response.status_code == 404 and errors(response)[0]["status"] == "404"
    url = subscription_path(brandco, sub_id) + "/confirm"
    assert brandco.post(url, json={}).status_code == 405  # the old batch confirm is gone


def test_only_the_owner_polls_and_confirms(brandco: Org, thg: Org, otherco: Org) -> None:
    sub_id = subscribe(brandco)
    path = subscription_path(brandco, sub_id)
    assert thg.get(path + "/events").status_code == 403  # a partner: may read, not act
    handle = {"receipt-handle": "x"}
    assert thg.delete(path + "/confirm", headers=handle).status_code == 403
    assert otherco.get(path + "/events").status_code == 404  # a stranger learns nothing
    assert otherco.delete(path + "/confirm", headers=handle).status_code == 404
    missing = subscription_path(brandco, "no-such-subscription")
    assert brandco.get(missing + "/events").status_code == 404
    assert confirm_response(brandco, "no-such-subscription", "x").status_code == 404
    anonymous = brandco.http.get(path + "/events")
    assert anonymous.status_code == 401


def test_deleting_a_subscription_drops_its_queue(brandco: Org) -> None:
    sub_id = subscribe(brandco, entityTypes=["thg-fulfil:inventory"])
    new_item(brandco, "DROP-1")
    assert brandco.delete(subscription_path(brandco, sub_id)).status_code == 204
    assert poll_response(brandco, sub_id).status_code == 404
    again = doc("events:subscription", {"entityTypes": ["thg-fulfil:inventory"]}, id=sub_id)
    assert brandco.post(f"{EVENTS}/brandco/subscription", json=again).status_code == 201
    assert poll(brandco, sub_id) == []


def test_the_webhook_secret_is_shown_once(brandco: Org) -> None:
    body = doc("events:subscription", {"webhookUrl": "http://127.0.0.1:9/hook"}, id="with-hook")
    created = brandco.post(f"{EVENTS}/brandco/subscription", json=body).json()["data"]
    assert created["attributes"]["webhookSecret"].startswith("whsec_")
    assert len(created["attributes"]["webhookSecret"]) > 30
    read = brandco.get(subscription_path(brandco, "with-hook")).json()["data"]
    assert read["attributes"]["webhookSecret"] is None
    listed = brandco.get(f"{EVENTS}/brandco/subscription").json()["data"]
    assert all(s["attributes"]["webhookSecret"] is None for s in listed)
    plain = brandco.post(
        f"{EVENTS}/brandco/subscription", json=doc("events:subscription", {}, id="no-hook")
    ).json()["data"]
    assert plain["attributes"]["webhookSecret"] is None
    sent_secret = doc("events:subscription", {"webhookSecret": "mine"}, id="sent-secret")
    made = brandco.post(f"{EVENTS}/brandco/subscription", json=sent_secret).json()["data"]
    assert made["attributes"]["webhookSecret"] is None  # read-only: ignored
    not_http = doc("events:subscription", {"webhookUrl": "mailto:x@example.com"}, id="mail")
    assert brandco.post(f"{EVENTS}/brandco/subscription", json=not_http).status_code == 422
    for sub_id in ("with-hook", "no-hook", "sent-secret"):
        assert brandco.delete(subscription_path(brandco, sub_id)).status_code == 204


def test_pollers_sharing_a_subscription_never_get_the_same_event(brandco: Org) -> None:
    sub_id = subscribe(brandco, entityTypes=["thg-fulfil:inventory"])
    total = 40
    for n in range(total):
        new_item(brandco, f"SHARE-{n}")
    received: list[str] = []
    lock = threading.Lock()
    failures: list[str] = []

    def poller() -> None:
        with Org(brandco.running, "brandco") as org:
            for _ in range(total):  # bounded: each round takes at least one event or ends
                response = poll_response(org, sub_id, most=3)
                if response.status_code != 200:
                    failures.append(response.text)
                    return
                batch = [e["attributes"]["id"] for e in response.json()["data"]]
                if not batch:
                    return
                with lock:
                    received.extend(batch)

    threads = [threading.Thread(target=poller) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not failures
    counts = Counter(received)
    assert len(counts) == total
    assert max(counts.values()) == 1  # none confirmed, yet none handed out twice in the window
    assert drain(brandco, sub_id) == []
