"""The published-style corpus: OpenAPI documents shaped like the platform's own FastAPI exports.

Every document in this folder must be valid OpenAPI (stock openapi-spec-validator), carry no
`x-thg-*` extension anywhere, and keep the facts recovered from the platform's rendered docs
(/work/shared/platform-docs/recovered/, see PROVENANCE.md). The JSON files are written by
make_documents.py with real FastAPI; thg-fulfil.yaml is the same document in YAML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from thg_spec.loader import load_spec

HERE = Path(__file__).resolve().parent
DOCUMENTS = sorted(p for p in HERE.iterdir() if p.suffix in {".json", ".yaml", ".yml"})
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _by_name(name: str) -> dict[str, Any]:
    return _load(HERE / name)


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def _schema(doc: dict[str, Any], ref_holder: dict[str, Any]) -> dict[str, Any]:
    ref = ref_holder["$ref"]
    assert ref.startswith("#/components/schemas/")
    found = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert isinstance(found, dict)
    return found


def _ok_schema(doc: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    return _schema(doc, op["responses"]["200"]["content"]["application/json"]["schema"])


def test_the_corpus_is_all_here() -> None:
    assert [p.name for p in DOCUMENTS] == [
        "events.json",
        "thg-fulfil-api-prefix.json",
        "thg-fulfil.json",
        "thg-fulfil.yaml",
    ]


# --- every document -------------------------------------------------------------------------


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_valid_openapi_3_1(path: Path) -> None:
    doc = _load(path)
    assert doc["openapi"] == "3.1.0"
    validate(doc)  # raises on an invalid document


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_the_project_loader_reads_it(path: Path) -> None:
    # Loading only (JSON and YAML alike): the THG convention rules are not applied here.
    spec, problems = load_spec(path)
    assert problems == []
    assert spec.data == _load(path)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_no_thg_extensions(path: Path) -> None:
    assert [k for k in _keys(_load(path)) if k.lower().startswith("x-thg")] == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_fastapi_conventions(path: Path) -> None:
    doc = _load(path)
    assert list(doc) == ["openapi", "info", "paths", "components"]
    assert doc["components"]["securitySchemes"] == {
        "BearerAuth": {"type": "http", "scheme": "bearer"}
    }
    schemas = doc["components"]["schemas"]
    assert {"HTTPValidationError", "ValidationError"} <= set(schemas)
    for path_template, method, op in _operations(doc):
        # FastAPI's default unique id: function name + path with non-word characters as "_" + method
        suffix = re.sub(r"\W", "_", path_template) + "_" + method
        assert op["operationId"].endswith(suffix), op["operationId"]
        assert op["security"] == [{"BearerAuth": []}]
        # every template variable is a declared path parameter and the other way round (no
        # declared-but-absent `version`)
        params = op.get("parameters", [])
        declared = {p["name"] for p in params if p["in"] == "path"}
        assert declared == set(re.findall(r"{([^}]+)}", path_template))
        for name in declared:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
        if params or "requestBody" in op:
            assert op["responses"]["422"] == {
                "description": "Validation Error",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/HTTPValidationError"}
                    }
                },
            }


@pytest.mark.parametrize(
    "path", [p for p in DOCUMENTS if p.suffix == ".json"], ids=lambda p: p.name
)
def test_json_is_deterministic_and_pretty(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_json_and_yaml_forms_are_equal() -> None:
    as_json = _by_name("thg-fulfil.json")
    as_yaml = _by_name("thg-fulfil.yaml")
    assert as_yaml == as_json
    # the same order too: paths and keys as FastAPI emitted them
    assert json.dumps(as_yaml) == json.dumps(as_json)


# --- THG Fulfil (S1, S2, S3) ------------------------------------------------------------------


INVENTORY = "/{owner}/v1/inventory"
ITEM = INVENTORY + "/{inventory_item}"


def test_fulfil_title_renders_as_recorded() -> None:
    info = _by_name("thg-fulfil.json")["info"]
    assert f"{info['title']} ({info['version']})" == "THG Fulfil (1)"


def test_fulfil_inventory_tag() -> None:
    doc = _by_name("thg-fulfil.json")
    ops = {(p, m): op for p, m, op in _operations(doc)}
    inventory = {k for k, op in ops.items() if op.get("tags") == ["inventory item"]}
    assert inventory == {
        (ITEM + "/approval", "get"),
        (ITEM + "/approval/_values", "get"),
        (INVENTORY, "get"),
        (INVENTORY, "post"),
        (ITEM, "get"),
        (ITEM, "delete"),
    }
    # definition order = the order the Redoc page rendered F1..F4 in
    assert list(doc["paths"])[:3] == [ITEM + "/approval", ITEM + "/approval/_values", INVENTORY]
    assert list(doc["paths"][INVENTORY]) == ["get", "post"]
    assert ops[(INVENTORY, "post")]["operationId"] == "create_inventory__owner__v1_inventory_post"
    assert ops[(INVENTORY, "post")]["summary"] == "Create inventory item"
    assert ops[(INVENTORY, "get")]["summary"] == "Get all inventory item"


def test_fulfil_list_declares_no_query_parameters() -> None:
    op = _by_name("thg-fulfil.json")["paths"][INVENTORY]["get"]
    assert [(p["name"], p["in"]) for p in op["parameters"]] == [("owner", "path")]
    links = _by_name("thg-fulfil.json")["components"]["schemas"]["ListLinks"]["properties"]
    assert list(links) == ["self", "related", "next", "prev", "first", "describedBy"]


def test_fulfil_create_answers_200_and_the_error_document() -> None:
    doc = _by_name("thg-fulfil.json")
    for path in (INVENTORY, "/{owner}/v1/asn"):
        op = doc["paths"][path]["post"]
        assert op["requestBody"]["required"] is True
        assert list(op["responses"]) == ["200", "400", "401", "403", "422"]
        assert "201" not in op["responses"]
        error_doc = _schema(doc, op["responses"]["400"]["content"]["application/json"]["schema"])
        assert list(error_doc["properties"]) == ["meta", "errors"]
        error = _schema(doc, error_doc["properties"]["errors"]["items"])
        assert list(error["properties"]) == [
            "id",
            "links",
            "status",
            "code",
            "title",
            "detail",
            "meta",
        ]
        assert "source" not in error["properties"]
        assert list(_schema(doc, error["properties"]["links"])["properties"]) == ["about", "type"]


def test_fulfil_envelope() -> None:
    doc = _by_name("thg-fulfil.json")
    envelope = _ok_schema(doc, doc["paths"][ITEM]["get"])
    assert list(envelope["properties"]) == ["meta", "data", "links"]
    resource = _schema(doc, envelope["properties"]["data"])
    assert list(resource["properties"]) == ["id", "type", "version", "attributes", "links", "meta"]
    assert "id" in resource["required"]
    links = doc["components"]["schemas"]["Links"]["properties"]
    assert list(links) == ["self", "related", "describedBy"]


def test_fulfil_values_answers_an_array_of_strings() -> None:
    doc = _by_name("thg-fulfil.json")
    resource = _schema(
        doc, _ok_schema(doc, doc["paths"][ITEM + "/approval/_values"]["get"])["properties"]["data"]
    )
    attributes = resource["properties"]["attributes"]
    assert attributes["type"] == "array" and attributes["items"] == {"type": "string"}
    approval = _schema(
        doc, _ok_schema(doc, doc["paths"][ITEM + "/approval"]["get"])["properties"]["data"]
    )
    message = _schema(doc, approval["properties"]["attributes"])["properties"]["message"]
    assert message["type"] == "string"


def test_fulfil_inventory_item_attributes() -> None:
    doc = _by_name("thg-fulfil.json")
    item = _schema(
        doc, doc["paths"][INVENTORY]["post"]["requestBody"]["content"]["application/json"]["schema"]
    )
    props = item["properties"]
    assert list(props) == [
        "consumerReference",
        "title",
        "defaultCountryOfOrigin",
        "harmonizedSystemCode",
        "hazmatCode",
        "barcodes",
        "dimensions",
        "batchControlled",
        "description",
        "type",
        "serialNumberControlled",
    ]
    assert "sku" not in props
    assert sorted(item["required"]) == sorted(
        ["title", "barcodes", "dimensions", "batchControlled", "description", "type"]
    )
    assert props["consumerReference"]["title"] == "Consumerreference"
    for optional in (
        "consumerReference",
        "defaultCountryOfOrigin",
        "harmonizedSystemCode",
        "hazmatCode",
    ):
        assert props[optional]["anyOf"][-1] == {"type": "null"}, optional
    hs = props["harmonizedSystemCode"]["anyOf"][0]
    assert (hs["minLength"], hs["maxLength"]) == (12, 12)
    barcode = _schema(doc, props["barcodes"]["items"])
    assert list(barcode["properties"]) == ["barcode", "type"]
    dimensions = _schema(doc, props["dimensions"])
    assert dimensions["title"] == "Dimensions"
    assert list(dimensions["properties"]) == ["depth", "height", "mass", "width"]


def test_fulfil_create_asn_request_body() -> None:
    doc = _by_name("thg-fulfil.json")
    op = doc["paths"]["/{owner}/v1/asn"]["post"]
    assert op["operationId"] == "create_asn__owner__v1_asn_post"
    assert [p["name"] for p in op["parameters"]] == ["owner"]  # S2's absent `version`: left out
    schemas = doc["components"]["schemas"]
    asn = _schema(doc, op["requestBody"]["content"]["application/json"]["schema"])
    assert list(asn["properties"]) == [
        "consumerReference",
        "deliveryReference",
        "deliveryPartnersReference",
        "contents",
        "deliveryVehicle",
    ]
    assert sorted(asn["required"]) == sorted(asn["properties"])
    unit = _schema(doc, asn["properties"]["contents"]["items"])
    assert unit["properties"]["logisticsUnits"]["items"] == asn["properties"]["contents"]["items"]
    assert sorted(unit["required"]) == sorted(
        ["reference", "logisticsUnits", "inventoryItems", "referenceType", "type"]
    )
    assert _schema(doc, unit["properties"]["referenceType"])["enum"] == [
        "SSCC",
        "DELIVERY_REFERENCE",
        "OTHER",
    ]
    assert _schema(doc, unit["properties"]["type"])["enum"] == ["PALLET", "CARTON"]
    line = _schema(doc, unit["properties"]["inventoryItems"]["items"])["properties"]
    assert line["consumerReference"]["anyOf"][-1] == {"type": "null"}
    assert line["inventoryItem"]["format"] == "reference"
    assert line["quantity"]["type"] == "integer" and line["quantity"]["exclusiveMinimum"] == 0
    assert _schema(doc, line["condition"])["enum"] == ["GOOD", "DAMAGED", "HELD", "TRANSFER"]
    assert line["batchNumber"]["maxLength"] == 64 and line["batchExpiry"]["maxLength"] == 20
    vehicle = schemas["DeliveryVehicle"]
    assert _schema(doc, vehicle["properties"]["type"])["enum"] == ["CURTAIN", "REAR", "VAN"]
    assert vehicle["properties"]["registrationNumber"]["maxLength"] == 16
    for name in ("driverName", "haulierName"):
        assert vehicle["properties"][name]["anyOf"] == [
            {"type": "string", "maxLength": 128},
            {"type": "null"},
        ]
    assert vehicle["required"] == ["type", "registrationNumber"]


# --- Events API (S4) ------------------------------------------------------------------------


def test_events_confirm() -> None:
    doc = _by_name("events.json")
    assert list(doc["paths"]) == ["/subscription/{subscription_id}/confirm"]
    op = doc["paths"]["/subscription/{subscription_id}/confirm"]["delete"]
    assert op["operationId"] == "confirm_event_subscription__subscription_id__confirm_delete"
    assert op["summary"] == "Confirm Event"
    params = {(p["name"], p["in"]): p for p in op["parameters"]}
    assert set(params) == {("subscription_id", "path"), ("receipt-handle", "header")}
    assert params[("receipt-handle", "header")]["required"] is True
    assert sorted(op["responses"]) == [
        "200",
        "401",
        "403",
        "404",
        "422",
        "429",
        "500",
        "503",
        "504",
    ]
    assert "60" in op["responses"]["429"]["description"]
    resource = _schema(doc, _ok_schema(doc, op)["properties"]["data"])
    assert list(resource["properties"]) == ["id", "type", "attributes", "links", "meta"]


# --- the newer path generation (S17, S19) -----------------------------------------------------


def test_api_prefix_generation() -> None:
    doc = _by_name("thg-fulfil-api-prefix.json")
    base = "/api/thg-fulfil/v1/{owner}/fulfilment-request"
    one = base + "/{fulfilment_request}"
    assert {(p, m) for p, m, _ in _operations(doc)} == {
        (base, "post"),
        (base, "get"),
        (one, "get"),
        (one, "delete"),
        (one + "/approval", "get"),
        (one + "/approval/_values", "get"),
        (one + "/dispatched", "get"),
        (one + "/dispatched/{dispatched}", "get"),
    }
    assert next(iter(doc["paths"][base]["post"]["responses"])) == "200"
    dispatched = doc["components"]["schemas"]["Dispatched"]["properties"]
    assert list(dispatched) == ["courierService", "dispatchedDate", "lines", "tracking"]
    line = doc["components"]["schemas"]["DispatchedLine"]["properties"]
    assert list(line) == [
        "batchNumber",
        "condition",
        "dispatchedQuantity",
        "expectedQuantity",
        "expiryDate",
        "lineId",
        "serialNumber",
    ]
    values = _schema(
        doc, _ok_schema(doc, doc["paths"][one + "/approval/_values"]["get"])["properties"]["data"]
    )
    assert values["properties"]["attributes"]["items"] == {"type": "string"}
