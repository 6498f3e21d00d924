"""What schemathesis needs to exercise the sandbox like an integrator: who calls, and what exists.

Every operation is called by the organisation allowed to make it (reads by the owner, writes by
the entity's writer role), on the owner's path, so the fuzzing reaches the handlers instead of
stopping at 403/404. Entities are seeded from each spec's own request examples, so item, status
and lookup paths can be hit with ids that exist.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from thg_connect_core import Reference
from thg_spec import Entity, Operation, Product

CONSUMER = "brandco"
PROVIDER = "thg"  # not `sandbox`: its test_sku behaviour writes statuses on its own
WRITES = {"create", "replace", "delete", "action"}
SEED_ROUNDS = 4  # examples that name other seeded entities succeed in a later round
_PATH_PARAM = re.compile(r"{([^}]+)}")
WEBHOOK = "webhookUrl"
UNREACHABLE_WEBHOOK = "http://127.0.0.1:9/thg-events"  # discard port: refused at once


def keep_webhooks_local(body: Any) -> None:
    """Point a request's webhook URL at this machine: tests use no network, not even DNS."""
    data = body.get("data") if isinstance(body, dict) else None
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if isinstance(attributes, dict) and isinstance(attributes.get(WEBHOOK), str):
        attributes[WEBHOOK] = UNREACHABLE_WEBHOOK


def org_for(role: str, owner_role: str) -> str:
    """The default config's organisation playing `role` where the owner plays `owner_role`."""
    if role in ("self", "owner"):
        role = owner_role
    if role == "self":
        return CONSUMER
    return CONSUMER if role == "consumer" else PROVIDER


@dataclass(frozen=True)
class Call:
    """One operation of a spec, with who makes it and on whose path."""

    product: str
    entity: Entity
    operation: Operation
    owner: str
    caller: str

    @property
    def method(self) -> str:
        return self.operation.method.upper()

    @property
    def path(self) -> str:
        return self.operation.path

    @property
    def id_params(self) -> list[str]:
        return [p for p in _PATH_PARAM.findall(self.path) if p != "owner"]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def calls(product: Product) -> list[Call]:
    found = []
    for entity in product.entities:
        owner = org_for(entity.owner_role, entity.owner_role)
        for op in entity.operations:
            role = entity.writer_role if op.role in WRITES else entity.owner_role
            found.append(Call(product.name, entity, op, owner, org_for(role, entity.owner_role)))
    return found


def request_examples(product: Product, op: Operation) -> list[Any]:
    """The spec's request body examples of `op` (`example` and every `examples` value)."""
    raw = product.document["paths"][op.path][op.method.lower()]
    body = raw.get("requestBody")
    if isinstance(body, dict) and "$ref" in body:
        body = product.resolve(body["$ref"][1:])
    media = (body or {}).get("content", {}).get("application/json", {})
    found = [media["example"]] if "example" in media else []
    found += [e["value"] for e in media.get("examples", {}).values() if "value" in e]
    return found


class Tokens:
    """One bearer token per organisation, fetched from the sandbox's token endpoint once."""

    def __init__(self, http: httpx.Client, token_url: str, secrets: dict[str, tuple[str, str]]):
        self._http = http
        self._token_url = token_url
        self._secrets = secrets
        self._tokens: dict[str, str] = {}

    def header(self, org: str) -> dict[str, str]:
        if org not in self._tokens:
            client_id, secret = self._secrets[org]
            response = self._http.post(
                self._token_url,
                json={
                    "client_id": client_id,
                    "client_secret": secret,
                    "grant_type": "client_credentials",
                    "audience": str(self._http.base_url).rstrip("/"),
                },
            )
            assert response.status_code == 200, f"token for {org}: {response.status_code}"
            self._tokens[org] = str(response.json()["access_token"])
        return {"Authorization": f"Bearer {self._tokens[org]}"}


@dataclass
class Seeded:
    """Ids of entities that exist, by path parameter name (`inventoryId`, `approvalId`)."""

    ids: dict[str, str]
    failures: list[str]  # "<label>: <status> <first error>" for examples the sandbox refused
    references: dict[str, str] = field(default_factory=dict)  # entity type -> a seeded one's

    def rebind(self, value: Any) -> Any:
        """`value` with every reference string to a seeded entity type pointing at the seeded
        entity: an example names the docs' ids, which do not exist here."""
        if isinstance(value, dict):
            return {k: self.rebind(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.rebind(v) for v in value]
        if isinstance(value, str) and value.startswith("thg:"):
            try:
                reference = Reference.parse(value)
            except ValueError:
                return value
            return self.references.get(reference.entity_type, value)
        return value

    def path_parameters(self, call: Call) -> dict[str, str] | None:
        """The owner and existing ids for every id of the call's path; None if one is missing."""
        params = {"owner": call.owner}
        for name in call.id_params:
            if name not in self.ids:
                return None
            params[name] = self.ids[name]
        return params


def _fill(path: str, params: dict[str, str]) -> str:
    return _PATH_PARAM.sub(lambda m: params[m.group(1)], path)


def _first_error(response: httpx.Response) -> str:
    try:
        error = response.json()["errors"][0]
        return f"{error.get('detail')} at {error.get('source', {}).get('pointer')}"
    except (ValueError, KeyError, IndexError, TypeError):
        return response.text[:200]


def seed(products: Iterable[Product], http: httpx.Client, tokens: Tokens) -> Seeded:
    """POST every create operation's request examples, retrying those that depend on others.

    A status takes one example (the others are 409s by design); an example the sandbox still
    refuses after the last round is listed in `failures` with the reason.
    """
    seeded = Seeded({}, [])
    pending = [
        (call, example)
        for product in products
        for call in calls(product)
        if call.operation.role == "create"
        for example in request_examples(product, call.operation)
    ]
    reasons: dict[int, str] = {}
    statuses_set: set[str] = set()  # by type: two statuses may share an id name (approvalId)
    for _ in range(SEED_ROUNDS):
        still = []
        for call, example in pending:
            if call.entity.kind == "status" and call.entity.type_string in statuses_set:
                continue
            params = seeded.path_parameters(call)
            if params is None:
                reasons[id(example)] = "a parent was not created"
                still.append((call, example))
                continue
            body = seeded.rebind(copy.deepcopy(example))
            keep_webhooks_local(body)
            response = http.post(
                _fill(call.path, params), json=body, headers=tokens.header(call.caller)
            )
            if response.status_code in (200, 201):  # the platform answers creates with 200
                data = response.json()["data"]
                seeded.ids.setdefault(call.entity.id_param, str(data["id"]))
                seeded.references.setdefault(data["type"], str(data["meta"]["reference"]))
                statuses_set.add(call.entity.type_string)
            else:
                reasons[id(example)] = f"{response.status_code} {_first_error(response)}"
                still.append((call, example))
        if len(still) == len(pending):
            break
        pending = still
    seeded.failures = [f"{call.label}: {reasons[id(example)]}" for call, example in pending]
    return seeded


FULFIL_PATH = "/api/thg-fulfil/v1/{owner}"
ITEM_REFERENCE = "thg:thg-fulfil:inventory#"
# An inventory item with every attribute the rendered reference requires (S1).
SEED_ITEM = {
    "consumerReference": "SEED-IN",
    "title": "Seed item",
    "description": "An item the inbound chain's examples can name",
    "type": "test",
    "barcodes": [{"barcode": "BC-SEED-IN", "type": "ean"}],
    "dimensions": {"depth": 1, "height": 1, "mass": 1, "width": 1},
    "batchControlled": False,
}


def _rebound(example: Any, item: str, delivery_reference: str | None = None) -> Any:
    """The example with every inventory item reference (and delivery reference) replaced."""
    if isinstance(example, dict):
        return {
            key: (
                delivery_reference
                if key == "deliveryReference" and delivery_reference is not None
                else _rebound(value, item, delivery_reference)
            )
            for key, value in example.items()
        }
    if isinstance(example, list):
        return [_rebound(value, item, delivery_reference) for value in example]
    if isinstance(example, str) and example.startswith(ITEM_REFERENCE):
        return item
    return example


def seed_inbound(products: Iterable[Product], http: httpx.Client, tokens: Tokens) -> dict[str, str]:
    """THG Fulfil's inbound chain, which its examples cannot seed alone: they name an inventory
    item and a delivery booking of the docs. Replays the spec's own create examples with this
    sandbox's item and the booking its approval makes; returns the ids by path parameter."""
    fulfil = next(p for p in products if p.name == "thg-fulfil")
    by_path = {call.path: call for call in calls(fulfil) if call.operation.role == "create"}
    base = FULFIL_PATH.replace("{owner}", CONSUMER)
    consumer, provider = tokens.header(CONSUMER), tokens.header(PROVIDER)

    def create(path: str, headers: dict[str, str], body: Any) -> dict[str, Any]:
        response = http.post(base + path, json=body, headers=headers)
        assert response.status_code in (200, 201), response.text
        data: dict[str, Any] = response.json()["data"]
        return data

    def example(path: str) -> Any:
        return request_examples(fulfil, by_path[FULFIL_PATH + path].operation)[0]

    item_body = {"data": {"type": "thg-fulfil:inventory", "attributes": SEED_ITEM}}
    item = create("/inventory", consumer, item_body)["meta"]["reference"]
    pre_advice_body = _rebound(example("/pre-advice"), item)
    # The examples' own seeding may have created the example pre-advice (its reference is a key).
    pre_advice_body["data"]["attributes"]["consumerReference"] += "-CHAIN"
    ids = {"preAdviceId": create("/pre-advice", consumer, pre_advice_body)["id"]}
    pre_advice = f"/pre-advice/{ids['preAdviceId']}"
    approve = {
        "data": {"type": "thg-fulfil:pre-advice.approval", "attributes": {"state": "APPROVED"}}
    }
    create(f"{pre_advice}/approval", provider, approve)
    listing = http.get(f"{base}{pre_advice}/delivery-booking", headers=consumer)
    booking = listing.json()["data"][0]
    ids["deliveryBookingId"] = booking["id"]
    reference = booking["attributes"]["deliveryReference"]
    asn = create("/asn", consumer, _rebound(example("/asn"), item, reference))
    ids["asnId"] = asn["id"]
    progress = {"data": {"type": "thg-fulfil:asn.progress", "attributes": {"state": "PENDING"}}}
    ids["progressId"] = create(f"/asn/{asn['id']}/progress", provider, progress)["id"]
    receipt = _rebound(example("/asn/{asnId}/grn"), item)
    ids["grnId"] = create(f"/asn/{asn['id']}/grn", provider, receipt)["id"]
    return ids


def by_label(products: Iterable[Product]) -> Iterator[tuple[str, Call]]:
    for product in products:
        for call in calls(product):
            yield call.label, call
