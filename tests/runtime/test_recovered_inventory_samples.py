"""The generated client decodes the inventory response samples the platform's rendered
reference shows (recovered/operations.md F1-F3, S1 https://docs-stable.apisandbox.tech/thg-fulfil-docs),
served as they are by a scripted server: the list (its `attributes` rendered as an array holding
one object, dimensions as decimal strings), the approval GET (`attributes.message` and nothing
else) and `_values` (an array of state strings)."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import httpx

from thg_connect import Client
from thg_connect.thg_fulfil import Approval, ApprovalRejected, InventoryItem
from thg_connect_core import Document, Resource, UnknownState, decode

from .client_harness import TOKEN_URL, config

LINKS = {"self": "string", "related": "string", "describedBy": "string"}

# S1 F3 "Get all inventory item", 200 sample: values as schemas.md §2 records them.
SAMPLE_ATTRIBUTES: Dict[str, Any] = {
    "consumerReference": "12345",
    "title": "cd",
    "defaultCountryOfOrigin": "US",
    "harmonizedSystemCode": "999999999999",
    "hazmatCode": "3811",
    "barcodes": [{"barcode": "1234", "type": "codabar"}],
    "dimensions": {"depth": "1.3", "height": "1.3", "mass": "1.3", "width": "1.3"},
    "batchControlled": True,
    "description": "string",
    "type": "string",
    "serialNumberControlled": True,
}


def list_sample(attributes: Any) -> Dict[str, Any]:
    return {
        "meta": {},
        "data": [
            {
                "id": "string",
                "type": "string",
                "version": "string",
                "attributes": attributes,
                "links": LINKS,
                "meta": {},
            }
        ],
        "links": {**LINKS, "next": "string", "prev": "string", "first": "string"},
    }


# S1 F1 "Get approval status", 200 sample.
APPROVAL_SAMPLE = {
    "meta": {},
    "data": {
        "id": "string",
        "type": "string",
        "version": "string",
        "attributes": {"message": "string"},
        "links": LINKS,
        "meta": {},
    },
    "links": LINKS,
}

# S1 F2 "Available statuses for approval status", 200 sample.
VALUES_SAMPLE = {
    "meta": {},
    "data": {
        "id": "string",
        "type": "string",
        "version": "string",
        "attributes": ["STATUS_1"],
        "links": LINKS,
        "meta": {},
    },
    "links": LINKS,
}


def serving(body: Dict[str, Any], seen: List[httpx.Request]) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            token = {"access_token": "tok", "expires_in": 3600, "token_type": "Bearer"}
            return httpx.Response(200, content=json.dumps(token).encode())
        seen.append(request)
        return httpx.Response(200, content=json.dumps(body).encode())

    return httpx.Client(transport=httpx.MockTransport(handle))


def assert_is_the_sample_item(item: InventoryItem) -> None:
    assert item.consumer_reference == "12345" and item.title == "cd"
    assert item.default_country_of_origin == "US"
    assert item.harmonized_system_code == "999999999999" and item.hazmat_code == "3811"
    assert [(b.barcode, b.type) for b in item.barcodes] == [("1234", "codabar")]
    dims = item.dimensions
    assert (dims.depth, dims.height, dims.mass, dims.width) == (1.3, 1.3, 1.3, 1.3)
    assert item.batch_controlled is True and item.serial_number_controlled is True


def test_the_rendered_attributes_decode_into_the_generated_model() -> None:
    """Decimal strings for dimensions (the Redoc sample) are read as numbers."""
    assert_is_the_sample_item(InventoryItem.model_validate(SAMPLE_ATTRIBUTES))


def test_the_list_sample_decodes_through_the_generated_client() -> None:
    seen: List[httpx.Request] = []
    http = serving(list_sample(SAMPLE_ATTRIBUTES), seen)
    with Client(config(), http_client=http) as client:
        listed = list(client.thg_fulfil.inventory.list(max_items=1))
    assert [r.url.path for r in seen] == ["/api/thg-fulfil/v1/acme/inventory"]
    (resource,) = listed
    assert resource.id == "string" and resource.version == "string"
    assert isinstance(resource.attributes, InventoryItem)
    assert_is_the_sample_item(resource.attributes)


def test_the_list_sample_with_attributes_as_a_one_element_array() -> None:
    seen: List[httpx.Request] = []
    http = serving(list_sample([SAMPLE_ATTRIBUTES]), seen)
    with Client(config(), http_client=http) as client:
        (resource,) = list(client.thg_fulfil.inventory.list(max_items=1))
    assert isinstance(resource.attributes, InventoryItem)
    assert_is_the_sample_item(resource.attributes)


def test_the_approval_sample_keeps_its_message() -> None:
    """The sample carries no `state`: an unknown state, whose payload (the message) is kept."""
    seen: List[httpx.Request] = []
    with Client(config(), http_client=serving(APPROVAL_SAMPLE, seen)) as client:
        approval = client.thg_fulfil.inventory("item-1").approval.get()
    assert [r.url.path for r in seen] == ["/api/thg-fulfil/v1/acme/inventory/item-1/approval"]
    assert isinstance(approval, Resource) and approval.id == "string"
    attributes: Approval = approval.attributes
    assert isinstance(attributes, UnknownState)
    assert attributes.model_extra == {"message": "string"}


def test_the_values_sample_decodes_as_a_list_of_states() -> None:
    document = decode(json.dumps(VALUES_SAMPLE), Document[List[str]])
    assert document.data.attributes == ["STATUS_1"]
    assert document.links is not None


def test_an_approval_with_its_state_and_message_decodes_typed() -> None:
    """The same envelope once the state is there, as the sandbox and the spec send it."""
    body = json.loads(json.dumps(APPROVAL_SAMPLE))
    body["data"]["attributes"] = {"state": "REJECTED", "reason": "OTHER", "message": "string"}
    seen: List[httpx.Request] = []
    with Client(config(), http_client=serving(body, seen)) as client:
        approval = client.thg_fulfil.inventory("item-1").approval.get()
    assert isinstance(approval.attributes, ApprovalRejected)
    assert (approval.attributes.reason, approval.attributes.message) == ("OTHER", "string")
