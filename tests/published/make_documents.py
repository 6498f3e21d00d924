"""Rebuild the published-style corpus in this folder with real FastAPI + pydantic v2.

Not part of the test run and not a project dependency: run it in a throw-away environment,

    python -m venv /tmp/fa && /tmp/fa/bin/pip install "fastapi==0.115.14" "pydantic==2.14.4" pyyaml
    /tmp/fa/bin/python tests/published/make_documents.py

The three small FastAPI apps below declare only what recovered/ records (see PROVENANCE.md for
which fact each line comes from and which details are invented); FastAPI writes the OpenAPI
documents, so operation ids, pydantic titles, `anyOf`-with-null optionals, the 422 response and
`HTTPValidationError` are the framework's own, not imitations. The YAML twin of thg-fulfil.json is
written from the same dictionary.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import yaml
from fastapi import Depends, FastAPI, Header
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

HERE = Path(__file__).resolve().parent

# "Authorizations: BearerAuth" on the Redoc page (S1): an HTTP bearer scheme, no token URL.
bearer = HTTPBearer(scheme_name="BearerAuth")
SECURED = [Depends(bearer)]

# --- JSON:API envelope as rendered (S1 F1/F3, S3 200, S4 200; schemas.md §1) -------------------


class Links(BaseModel):
    self: str
    related: str
    describedBy: str


class ListLinks(BaseModel):
    self: str
    related: str
    next: Optional[str] = None
    prev: Optional[str] = None
    first: str
    describedBy: str


class ErrorLinks(BaseModel):
    about: str
    type: str


class Error(BaseModel):
    id: str
    links: ErrorLinks
    status: str
    code: str
    title: str
    detail: str
    meta: dict[str, Any] = {}


class ErrorDocument(BaseModel):
    meta: dict[str, Any] = {}
    errors: list[Error]


ERRORS = {
    400: {"model": ErrorDocument, "description": "Bad request: the data is not valid"},
    401: {"description": "Invalid credentials"},
    403: {"description": "Insufficient permissions"},
}

# --- THG Fulfil: inventory item (S1 request body, S1 list sample; schemas.md §2) ---------------


class Barcode(BaseModel):
    barcode: str = Field(examples=["1234"])
    type: str = Field(examples=["codabar"])


class Dimensions(BaseModel):
    depth: str = Field(examples=["1.3"])
    height: str = Field(examples=["1.3"])
    mass: str = Field(examples=["1.3"])
    width: str = Field(examples=["1.3"])


class InventoryItem(BaseModel):
    consumerReference: Optional[str] = Field(
        None, description="The item's SKU.", examples=["12345"]
    )
    title: str = Field(description="Name of the item.", examples=["cd"])
    defaultCountryOfOrigin: Optional[str] = Field(
        None, description="Country of origin, ISO 3166-1 alpha-2.", examples=["US"]
    )
    harmonizedSystemCode: Optional[Annotated[str, Field(min_length=12, max_length=12)]] = Field(
        None, description="Harmonized System code: 12 digits.", examples=["999999999999"]
    )
    hazmatCode: Optional[str] = Field(
        None, description="UN number of the hazardous material, if any.", examples=["3811"]
    )
    barcodes: list[Barcode] = Field(description="Barcodes physically printed on the item.")
    dimensions: Dimensions = Field(description="Boxed (supply-chain) dimensions of the item.")
    batchControlled: bool = Field(description="Whether the item is batch controlled.")
    description: str = Field(description="Text description of the item.")
    type: str = Field(description="Type or category of the item.")
    serialNumberControlled: Optional[bool] = Field(
        None, description="Whether the item is serial-number controlled.", examples=[True]
    )


class InventoryItemResource(BaseModel):
    id: str = Field(description="Unique ID of the entity.")
    type: str = Field(description="Type of entity.")
    version: str
    attributes: InventoryItem
    links: Optional[Links] = None
    meta: dict[str, Any] = {}


class InventoryItemDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: InventoryItemResource
    links: Links


class InventoryItemListResource(BaseModel):
    # The Redoc list sample shows `attributes` as an array holding one item (S1 F3).
    id: str = Field(description="Unique ID of the entity.")
    type: str = Field(description="Type of entity.")
    version: str
    attributes: list[InventoryItem]
    links: Optional[Links] = None
    meta: dict[str, Any] = {}


class InventoryItemListDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: list[InventoryItemListResource]
    links: ListLinks


class ApprovalStatus(BaseModel):
    message: str


class ApprovalStatusResource(BaseModel):
    id: str = Field(description="Unique ID of the entity.")
    type: str = Field(description="Type of entity.")
    version: str
    attributes: ApprovalStatus
    links: Optional[Links] = None
    meta: dict[str, Any] = {}


class ApprovalStatusDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: ApprovalStatusResource
    links: Links


class StatusValuesResource(BaseModel):
    id: str = Field(description="Unique ID of the entity.")
    type: str = Field(description="Type of entity.")
    version: str
    attributes: list[str] = Field(examples=[["STATUS_1"]])
    links: Optional[Links] = None
    meta: dict[str, Any] = {}


class StatusValuesDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: StatusValuesResource
    links: Links


# --- THG Fulfil: ASN (S2 request body; operations.md §1.2 F6, schemas.md §4.3) ------------------


class LogisticsUnitReferenceType(str, Enum):
    SSCC = "SSCC"
    DELIVERY_REFERENCE = "DELIVERY_REFERENCE"
    OTHER = "OTHER"


class LogisticsUnitType(str, Enum):
    PALLET = "PALLET"
    CARTON = "CARTON"


class StockCondition(str, Enum):
    GOOD = "GOOD"
    DAMAGED = "DAMAGED"
    HELD = "HELD"
    TRANSFER = "TRANSFER"


class DeliveryVehicleType(str, Enum):
    CURTAIN = "CURTAIN"
    REAR = "REAR"
    VAN = "VAN"


class AsnInventoryItem(BaseModel):
    consumerReference: Optional[str] = Field(None, description="The consumer's own reference.")
    inventoryItem: str = Field(
        description="Reference string of the inventory item.",
        json_schema_extra={"format": "reference"},
    )
    quantity: int = Field(gt=0)
    condition: StockCondition
    batchNumber: str = Field(max_length=64)
    batchExpiry: str = Field(max_length=20)


class LogisticsUnit(BaseModel):
    reference: str = Field(
        description="SSCC or another box or pallet reference agreed with the warehouse."
    )
    logisticsUnits: list[LogisticsUnit] = Field(description="Units nested in this one.")
    inventoryItems: list[AsnInventoryItem]
    referenceType: LogisticsUnitReferenceType
    type: LogisticsUnitType


class DeliveryVehicle(BaseModel):
    type: DeliveryVehicleType
    registrationNumber: str = Field(max_length=16)
    driverName: Optional[Annotated[str, Field(max_length=128)]] = None
    haulierName: Optional[Annotated[str, Field(max_length=128)]] = None


class Asn(BaseModel):
    consumerReference: str = Field(description="The consumer's own reference for the ASN.")
    deliveryReference: str = Field(
        description="Delivery reference from the pre-advice acknowledgement (delivery booking)."
    )
    deliveryPartnersReference: str = Field(description="The courier's or haulier's reference.")
    contents: list[LogisticsUnit] = Field(description="Top-level logistics units.")
    deliveryVehicle: DeliveryVehicle


class AsnResource(BaseModel):
    id: str = Field(description="Unique ID of the entity.")
    type: str = Field(description="Type of entity.")
    version: str
    attributes: Asn
    links: Optional[Links] = None
    meta: dict[str, Any] = {}


class AsnDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: AsnResource
    links: Links


def thg_fulfil() -> FastAPI:
    app = FastAPI(title="THG Fulfil", version="1", dependencies=SECURED)
    tag = ["inventory item"]
    # Definition order = the order Redoc rendered the tag in (S1: F1, F2, F3, F4).

    @app.get(
        "/{owner}/v1/inventory/{inventory_item}/approval",
        tags=tag,
        summary="Get approval status",
        response_model=ApprovalStatusDocument,
    )
    def get_approval_status(owner: str, inventory_item: str) -> Any: ...

    @app.get(
        "/{owner}/v1/inventory/{inventory_item}/approval/_values",
        tags=tag,
        summary="Available statuses for approval status",
        response_model=StatusValuesDocument,
    )
    def get_approval_status_values(owner: str, inventory_item: str) -> Any: ...

    @app.get(
        "/{owner}/v1/inventory",
        tags=tag,
        summary="Get all inventory item",
        response_model=InventoryItemListDocument,
    )
    def list_inventory(owner: str) -> Any: ...

    @app.post(
        "/{owner}/v1/inventory",
        tags=tag,
        summary="Create inventory item",
        response_model=InventoryItemDocument,
        responses=ERRORS,
    )
    def create_inventory(owner: str, body: InventoryItem) -> Any: ...

    @app.get(
        "/{owner}/v1/inventory/{inventory_item}",
        tags=tag,
        summary="Get inventory item",
        response_model=InventoryItemDocument,
    )
    def get_inventory(owner: str, inventory_item: str) -> Any: ...

    @app.delete(
        "/{owner}/v1/inventory/{inventory_item}",
        tags=tag,
        summary="Delete inventory item",
        response_model=InventoryItemDocument,
    )
    def delete_inventory(owner: str, inventory_item: str) -> Any: ...

    @app.post(
        "/{owner}/v1/asn",
        tags=["asn"],
        summary="Create asn",
        response_model=AsnDocument,
        responses=ERRORS,
    )
    def create_asn(owner: str, body: Asn) -> Any: ...

    return app


# --- Events API: confirm (S4; operations.md §1.3 E1, events.md §4) ------------------------------


class EventResource(BaseModel):
    id: str
    type: str
    attributes: dict[str, Any] = {}
    links: Optional[Links] = None
    meta: dict[str, Any] = {}


class EventDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: EventResource
    links: Links


def events() -> FastAPI:
    app = FastAPI(title="Events", version="1", dependencies=SECURED)

    @app.delete(
        "/subscription/{subscription_id}/confirm",
        response_model=EventDocument,
        responses={
            401: {"description": "Invalid credentials"},
            403: {"description": "Insufficient permissions"},
            404: {"description": "Not found"},
            429: {"description": "API quota reached: wait 60 seconds, then retry"},
            500: {"description": "Internal server error"},
            503: {"description": "API unavailable: retry later"},
            504: {
                "description": "Request timed out: retry, and send a smaller payload if it "
                "keeps happening"
            },
        },
    )
    def confirm_event(subscription_id: str, receipt_handle: str = Header()) -> Any:
        """Confirm receipt of an event and remove it from the subscription's queue."""

    return app


# --- Newer path generation: /api/thg-fulfil/v1/{owner}/fulfilment-request (S17, S19) -------------


class DeliveryAddress(BaseModel):
    name: str


class FulfilmentRequestLine(BaseModel):
    lineId: str
    inventoryItem: str = Field(json_schema_extra={"format": "reference"})
    quantity: int = Field(gt=0)


class FulfilmentRequest(BaseModel):
    delivery_address: DeliveryAddress
    lines: list[FulfilmentRequestLine]


class FulfilmentRequestResource(BaseModel):
    id: str = Field(description="Unique ID of the entity.")
    type: str = Field(description="Type of entity.")
    version: str
    attributes: FulfilmentRequest
    links: Optional[Links] = None
    meta: dict[str, Any] = {}


class FulfilmentRequestDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: FulfilmentRequestResource
    links: Links


class FulfilmentRequestListDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: list[FulfilmentRequestResource]
    links: ListLinks


class FulfilmentRequestApproval(BaseModel):
    message: Optional[str] = None
    providerReference: Optional[str] = None


class FulfilmentRequestApprovalResource(BaseModel):
    id: str = Field(description="Unique ID of the entity.")
    type: str = Field(description="Type of entity.")
    version: str
    attributes: FulfilmentRequestApproval
    links: Optional[Links] = None
    meta: dict[str, Any] = {}


class FulfilmentRequestApprovalDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: FulfilmentRequestApprovalResource
    links: Links


class CourierService(BaseModel):
    name: str
    service: str


class DispatchedLine(BaseModel):
    batchNumber: Optional[str] = None
    condition: str
    dispatchedQuantity: int
    expectedQuantity: int
    expiryDate: Optional[str] = None
    lineId: str
    serialNumber: Optional[str] = None


class Tracking(BaseModel):
    number: str
    url: str


class Dispatched(BaseModel):
    courierService: CourierService
    dispatchedDate: datetime
    lines: list[DispatchedLine]
    tracking: Tracking


class DispatchedResource(BaseModel):
    id: str = Field(description="Unique ID of the entity.")
    type: str = Field(description="Type of entity.")
    version: str
    attributes: Dispatched
    links: Optional[Links] = None
    meta: dict[str, Any] = {}


class DispatchedDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: DispatchedResource
    links: Links


class DispatchedListDocument(BaseModel):
    meta: dict[str, Any] = {}
    data: list[DispatchedResource]
    links: ListLinks


def thg_fulfil_api_prefix() -> FastAPI:
    app = FastAPI(title="THG Fulfil", version="1", dependencies=SECURED)
    tag = ["fulfilment request"]
    base = "/api/thg-fulfil/v1/{owner}/fulfilment-request"
    one = base + "/{fulfilment_request}"

    @app.post(
        base,
        tags=tag,
        summary="Create fulfilment request",
        response_model=FulfilmentRequestDocument,
        responses=ERRORS,
    )
    def create_fulfilment_request(owner: str, body: FulfilmentRequest) -> Any: ...

    @app.get(
        base,
        tags=tag,
        summary="Get all fulfilment request",
        response_model=FulfilmentRequestListDocument,
    )
    def list_fulfilment_request(owner: str) -> Any: ...

    @app.get(
        one, tags=tag, summary="Get fulfilment request", response_model=FulfilmentRequestDocument
    )
    def get_fulfilment_request(owner: str, fulfilment_request: str) -> Any: ...

    @app.delete(
        one, tags=tag, summary="Delete fulfilment request", response_model=FulfilmentRequestDocument
    )
    def delete_fulfilment_request(owner: str, fulfilment_request: str) -> Any: ...

    @app.get(
        one + "/approval",
        tags=tag,
        summary="Get approval status",
        response_model=FulfilmentRequestApprovalDocument,
    )
    def get_fulfilment_request_approval(owner: str, fulfilment_request: str) -> Any: ...

    @app.get(
        one + "/approval/_values",
        tags=tag,
        summary="Available statuses for approval status",
        response_model=StatusValuesDocument,
    )
    def get_fulfilment_request_approval_values(owner: str, fulfilment_request: str) -> Any: ...

    @app.get(
        one + "/dispatched",
        tags=tag,
        summary="Get all dispatched",
        response_model=DispatchedListDocument,
    )
    def list_dispatched(owner: str, fulfilment_request: str) -> Any: ...

    @app.get(
        one + "/dispatched/{dispatched}",
        tags=tag,
        summary="Get dispatched",
        response_model=DispatchedDocument,
    )
    def get_dispatched(owner: str, fulfilment_request: str, dispatched: str) -> Any: ...

    return app


def _write_json(name: str, document: dict[str, Any]) -> None:
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    (HERE / name).write_text(text, encoding="utf-8")


def main() -> None:
    fulfil = thg_fulfil().openapi()
    _write_json("thg-fulfil.json", fulfil)
    _write_json("events.json", events().openapi())
    _write_json("thg-fulfil-api-prefix.json", thg_fulfil_api_prefix().openapi())
    yaml_text = yaml.safe_dump(
        fulfil, sort_keys=False, allow_unicode=True, default_flow_style=False, indent=2, width=100
    )
    (HERE / "thg-fulfil.yaml").write_text(yaml_text, encoding="utf-8")


if __name__ == "__main__":
    main()
