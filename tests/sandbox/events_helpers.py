"""Subscriptions, polls and confirms over HTTP, for the events tests."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from .conftest import Org, doc

EVENTS = "/api/events/v1"
RECEIPT_HANDLE = "receipt-handle"


def subscription_path(org: Org, sub_id: str) -> str:
    return f"{EVENTS}/{org.slug}/subscription/{sub_id}"


def subscribe(org: Org, **attributes: Any) -> str:
    """A new subscription with a fresh id; its own CREATED event is confirmed away."""
    return subscribe_all(org, **attributes)[0]


def subscribe_all(*orgs: Org, **attributes: Any) -> list[str]:
    """A new subscription for each organisation, then every queue drained: a subscription is an
    entity too, so partners' subscriptions announce themselves to each other."""
    ids: list[str] = []
    for org in orgs:
        sub_id = f"s-{uuid.uuid4().hex[:12]}"
        body = doc("events:subscription", attributes, id=sub_id)
        response = org.post(f"{EVENTS}/{org.slug}/subscription", json=body)
        assert response.status_code == 201, response.text
        ids.append(sub_id)
    for org, sub_id in zip(orgs, ids, strict=True):
        drain(org, sub_id)
    return ids


def poll(org: Org, sub_id: str, *, wait: int = 0, most: int = 100) -> list[dict[str, Any]]:
    response = poll_response(org, sub_id, wait=wait, most=most)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def poll_response(org: Org, sub_id: str, *, wait: int = 0, most: int = 100) -> httpx.Response:
    params = {"waitTimeSeconds": str(wait), "maxEvents": str(most)}
    return org.get(subscription_path(org, sub_id) + "/events", params=params)


def confirm_response(org: Org, sub_id: str, handle: str | None) -> httpx.Response:
    """One confirm as the platform takes it: `DELETE …/confirm`, the handle in a header."""
    headers = {} if handle is None else {RECEIPT_HANDLE: handle}
    return org.delete(subscription_path(org, sub_id) + "/confirm", headers=headers)


def confirm(org: Org, sub_id: str, handles: list[str]) -> dict[str, list[str]]:
    """Each handle's confirm, one request each: which removed an event (200) and which were
    unknown or already confirmed (404)."""
    found: dict[str, list[str]] = {"confirmed": [], "notFound": []}
    for handle in handles:
        response = confirm_response(org, sub_id, handle)
        assert response.status_code in (200, 404), response.text
        if response.status_code == 200:
            assert response.json()["data"]["id"] == handle
        found["confirmed" if response.status_code == 200 else "notFound"].append(handle)
    return found


def change(event: dict[str, Any]) -> tuple[str, str, str, str]:
    """What stays the same across deliveries of one event (the handle does not)."""
    entity = event["attributes"]
    return (entity["type"], entity["id"], entity["version"], event["meta"]["method"])


def drain(org: Org, sub_id: str) -> list[dict[str, Any]]:
    """Every visible event, confirmed (bounded: a queue that never empties fails the test)."""
    seen: list[dict[str, Any]] = []
    for _ in range(50):
        batch = poll(org, sub_id)
        if not batch:
            return seen
        confirm(org, sub_id, [e["id"] for e in batch])
        seen.extend(batch)
    raise AssertionError("the queue did not drain")
