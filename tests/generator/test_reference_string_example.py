"""The generated client decodes the dispatched resource the platform's reference-string page
shows (S17: https://docs-staging.apisandbox.tech/platform-documentation/platform-data-types/reference-string),
byte for byte as published, including its quirks: a `meta.reference` whose id differs from
`data.id`, no `links`, null batch/expiry/serial fields, a zone-less `createdAt`."""

# ruff: noqa: E501  (the page's document is kept verbatim, long reference line included)
from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx

from thg_connect import Client, ClientConfig
from thg_connect.thg_fulfil import Dispatched, StockCondition
from thg_connect_core import Document, Reference, decode

# Verbatim from the page (S17).
S17_DISPATCHED = """{
    "data": {
        "attributes": {
            "courierService": {
                "name": "Evri",
                "service": "Evri Packet Standard"
            },
            "dispatchedDate": "2026-02-11T00:00:00+00:00",
            "lines": [
                {
                    "batchNumber": null,
                    "condition": "GOOD",
                    "dispatchedQuantity": 1,
                    "expectedQuantity": 1,
                    "expiryDate": null,
                    "lineId": "1",
                    "serialNumber": null
                }
            ],
            "tracking": {
                "number": "HZYEJA12345",
                "url": "https://www.evri.com/track/#/parcel/HZYEJA12345/details"
            }
        },
        "id": "511a3f57-2154-418e-928e-1b91e3d1b589",
        "meta": {
            "createdAt": "2026-02-11T13:09:43.710356",
            "creator": "providercompany",
            "owner": "providercompany",
            "parent": {
                "thg-fulfil:fulfilment-request": "1203490454434"
            },
            "product": "thg-fulfil",
            "reference": "thg:thg-fulfil:fulfilment-request.dispatched#providercompany@511a3f57-2154-418e-928e-1b91e3d1b730",
            "updatedAt": "2026-02-11T13:09:43.710356"
        },
        "type": "thg-fulfil:fulfilment-request.dispatched",
        "version": "1"
    },
    "meta": {}
}"""
PAGE_PATH = (
    "/api/thg-fulfil/v1/providercompany/fulfilment-request/1203490454434/dispatched/"
    "511a3f57-2154-418e-928e-1b91e3d1b589"
)


def check(resource_attributes: Dispatched) -> None:
    sent = resource_attributes
    assert (sent.courier_service.name, sent.courier_service.service) == (
        "Evri",
        "Evri Packet Standard",
    )
    assert sent.dispatched_date == datetime(2026, 2, 11, tzinfo=timezone.utc)
    [line] = sent.lines
    assert (line.line_id, line.expected_quantity, line.dispatched_quantity) == ("1", 1, 1)
    assert line.condition == StockCondition.GOOD
    assert line.batch_number is None and line.expiry_date is None and line.serial_number is None
    assert sent.tracking.number == "HZYEJA12345"
    assert sent.tracking.url == "https://www.evri.com/track/#/parcel/HZYEJA12345/details"


def test_the_page_s_document_decodes_as_a_typed_dispatched() -> None:
    document = decode(S17_DISPATCHED, Document[Dispatched])
    check(document.data.attributes)
    resource = document.data
    assert resource.type == "thg-fulfil:fulfilment-request.dispatched" and resource.version == "1"
    meta = resource.meta
    assert meta is not None
    assert (meta.owner, meta.creator, meta.product) == ("providercompany",) * 2 + ("thg-fulfil",)
    assert meta.parent == {"thg-fulfil:fulfilment-request": "1203490454434"}
    assert meta.created_at == datetime(2026, 2, 11, 13, 9, 43, 710356, tzinfo=timezone.utc)
    # The page's reference names another id than data.id (…730 vs …589, CONVENTIONS §5 reads it
    # as a typo): the client keeps what the server sent.
    assert resource.reference == Reference(
        "thg-fulfil",
        "fulfilment-request.dispatched",
        "providercompany",
        "511a3f57-2154-418e-928e-1b91e3d1b730",
    )


def test_the_provider_s_client_reads_it_at_the_page_s_path() -> None:
    """The page's path is the provider's own (`providercompany`), under the request's id: the
    generated client's provider-side call builds exactly that path and decodes the answer."""
    seen: list[str] = []

    def platform(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            token = {"access_token": "t", "expires_in": 3600, "token_type": "Bearer"}
            return httpx.Response(200, json=token)
        seen.append(request.url.path)
        return httpx.Response(200, content=S17_DISPATCHED.encode())

    config = ClientConfig(
        client_id="id",
        client_secret="secret",
        owner="providercompany",
        base_url="https://api.example.test",
        token_url="https://auth.example.test/oauth/token",
        audience="https://api.example.test",
    )
    http = httpx.Client(transport=httpx.MockTransport(platform))
    with Client(config, http_client=http) as provider:
        parcel = (
            provider.thg_fulfil.fulfilment_requests("1203490454434")
            .dispatched("511a3f57-2154-418e-928e-1b91e3d1b589")
            .get()
        )
    assert seen == [PAGE_PATH]
    check(parcel.attributes)
    assert json.loads(S17_DISPATCHED)["data"]["id"] == parcel.id
