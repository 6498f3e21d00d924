"""Reference fields (`format: thg-reference` + `x-thg-reference-to`) must name an existing
entity of a listed type: a 422 on the field otherwise, wherever the spec has such a field."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_sandbox.validation.shape import ShapeReport, walk
from thg_spec.pipeline import load_products

from .conftest import FULFIL, SPECS, TIMEOUT, Org, doc, errors, item
from .helpers import fulfilment_request

ITEMS = f"{FULFIL}/brandco/inventory"
HAZMAT = "/data/attributes/hazmat_documentation"


def uploaded_document(org: Org) -> str:
    """The reference of a new, uploaded document of `org`."""
    created = org.post(
        f"/api/document/v1/{org.slug}/document",
        json=doc("document:document", {"filename": "sds.pdf"}),
    ).json()["data"]
    instructions = created["attributes"]["upload"]
    with httpx.Client(timeout=TIMEOUT) as http:
        response = http.post(
            instructions["url"], data=instructions["fields"], files={"file": ("sds.pdf", b"%PDF")}
        )
    assert response.status_code == 204, response.text
    reference: str = created["meta"]["reference"]
    return reference


def only_error(response: httpx.Response, pointer: str) -> str:
    assert response.status_code == 422, response.text
    found = errors(response)
    assert [e["source"]["pointer"] for e in found] == [pointer]
    detail: str = found[0]["detail"]
    return detail


def test_an_uploaded_document_is_accepted(brandco: Org) -> None:
    reference = uploaded_document(brandco)
    body = item("REF-OK", hazmatCode="1266", hazmat_documentation=reference)
    created = brandco.post(ITEMS, json=body)
    assert created.status_code == 200, created.text
    assert created.json()["data"]["attributes"]["hazmat_documentation"] == reference
    long_form = reference.replace("thg:document:", "thg:document:document#")
    assert (
        brandco.post(ITEMS, json=item("REF-LONG", hazmat_documentation=long_form)).status_code
        == 200
    )
    assert brandco.post(ITEMS, json=item("REF-NULL", hazmat_documentation=None)).status_code == 200


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("thg:document:brandco@no-such-document", "does not exist"),
        ("thg:document:otherco@no-such-document", "does not exist"),
        ("not a reference", "reference"),
        ("thg:thg-fulfil:inventory#brandco@x", "pattern"),
    ],
    ids=["unknown", "unknown-owner", "malformed", "other-type"],
)
def test_a_reference_to_nothing_is_a_422_on_its_field(brandco: Org, value: str, says: str) -> None:
    detail = only_error(
        brandco.post(ITEMS, json=item("REF-BAD", hazmat_documentation=value)), HAZMAT
    )
    assert says in detail


def test_replace_checks_references_too(brandco: Org, thg: Org) -> None:
    """Inventory items are immutable, so a stock level (the provider's, mutable) shows it."""
    created = brandco.post(ITEMS, json=item("REF-PUT")).json()["data"]
    levels = f"{FULFIL}/brandco/stock-level"

    def level(reference: str, id: str | None = None) -> dict[str, Any]:
        attributes = {
            "inventoryItem": reference,
            "warehouseReference": "MAN-02",
            "condition": "GOOD",
            "quantity": 1,
        }
        return doc("thg-fulfil:stock-level", attributes, id=id)

    posted = thg.post(levels, json=level(created["meta"]["reference"]))
    assert posted.status_code == 200, posted.text
    level_id = posted.json()["data"]["id"]
    path = f"{levels}/{level_id}"
    gone = created["meta"]["reference"].rsplit("@", 1)[0] + "@gone"
    only_error(thg.put(path, json=level(gone, level_id)), "/data/attributes/inventoryItem")
    assert thg.put(path, json=level(created["meta"]["reference"], level_id)).status_code == 200


def test_a_deleted_document_no_longer_resolves(brandco: Org) -> None:
    reference = uploaded_document(brandco)
    doc_id = reference.rsplit("@", 1)[1]
    assert brandco.delete(f"/api/document/v1/brandco/document/{doc_id}").status_code == 204
    only_error(brandco.post(ITEMS, json=item("REF-DEL", hazmat_documentation=reference)), HAZMAT)


def _with_evidence(tmp_path: Path) -> Path:
    """The repo's specs, with a document reference (`evidence`) added to a fulfilment
    request's cancellation: a status nested under its entity, written by the consumer."""
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    fulfil = specs / "thg-fulfil.yaml"
    text = fulfil.read_text()
    old = (
        "        state: {type: string, const: REQUESTED, description: A cancellation was asked"
        " for.}\n"
    )
    new = old + (
        "        evidence:\n"
        "          type: [string, 'null']\n"
        "          format: thg-reference\n"
        "          x-thg-reference-to: ['document:document']\n"
    )
    assert text.count(old) == 1
    fulfil.write_text(text.replace(old, new))
    return specs


def test_references_in_child_statuses_are_checked(tmp_path: Path) -> None:
    specs = _with_evidence(tmp_path)
    with running_sandbox(specs, products=load_products(specs)) as running:
        with Org(running, "brandco") as brandco:
            requests = f"{FULFIL}/brandco/fulfilment-request"
            created = brandco.post(requests, json=fulfilment_request("REF-ORDER")).json()
            path = f"{requests}/{created['data']['id']}/cancellation"
            cancel = "thg-fulfil:fulfilment-request.cancellation"
            missing = doc(
                cancel,
                {"state": "REQUESTED", "reason": "x", "evidence": "thg:document:brandco@gone"},
            )
            only_error(brandco.post(path, json=missing), "/data/attributes/evidence")
            evidence = uploaded_document(brandco)
            found = doc(cancel, {"state": "REQUESTED", "reason": "x", "evidence": evidence})
            assert brandco.post(path, json=found).status_code == 200


def _respecified(tmp_path: Path) -> Path:
    """The repo's specs, with hazmat_documentation re-pointed at fulfilment requests (and its
    document-only pattern dropped): the check must follow the spec, not know the field."""
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    fulfil = specs / "thg-fulfil.yaml"
    text = fulfil.read_text()
    old = (
        "        hazmat_documentation:\n"
        "          type: [string, 'null']\n"
        "          format: thg-reference\n"
        "          x-thg-reference-to: ['document:document']\n"
        "          pattern: "
        "^thg:document:(document#)?[a-z0-9][a-z0-9-]*@[A-Za-z0-9][A-Za-z0-9._~-]*$\n"
    )
    new = (
        "        hazmat_documentation:\n"
        "          type: [string, 'null']\n"
        "          format: thg-reference\n"
        "          x-thg-reference-to: ['thg-fulfil:fulfilment-request']\n"
    )
    assert text.count(old) == 1
    fulfil.write_text(text.replace(old, new))
    return specs


def test_the_target_types_come_from_the_spec(tmp_path: Path) -> None:
    specs = _respecified(tmp_path)
    with running_sandbox(specs, products=load_products(specs)) as running:
        with Org(running, "brandco") as brandco:
            requests = f"{FULFIL}/brandco/fulfilment-request"
            created = brandco.post(requests, json=fulfilment_request("REF-SPEC")).json()
            request_ref = created["data"]["meta"]["reference"]
            body: dict[str, Any] = item("REF-SPEC-1", hazmat_documentation=request_ref)
            assert brandco.post(ITEMS, json=body).status_code == 200
            document = uploaded_document(brandco)
            wrong = brandco.post(ITEMS, json=item("REF-SPEC-2", hazmat_documentation=document))
            assert "must reference a thg-fulfil:fulfilment-request" in only_error(wrong, HAZMAT)
            gone = request_ref.rsplit("@", 1)[0] + "@no-such-request"
            missing = brandco.post(ITEMS, json=item("REF-SPEC-3", hazmat_documentation=gone))
            assert "does not exist" in only_error(missing, HAZMAT)


def test_every_reference_field_of_the_specs_is_found(sandbox: RunningSandbox) -> None:
    """Each `x-thg-reference-to` of every spec is reported by the request walk, so none is
    silently unchecked."""
    checked = 0
    for product in sandbox.sandbox.products:
        schemas = sandbox.sandbox.service.schemas[product.name]
        for entity in product.entities:
            for name, member in _reference_members(schemas, entity.schema):
                report = ShapeReport()
                walk(schemas, {"$ref": "#" + entity.schema}, {name: "thg:document:a@b"}, (), report)
                assert [r.path for r in report.references] == [(name,)], (entity.type_string, name)
                assert report.references[0].targets == tuple(member["x-thg-reference-to"])
                checked += 1
    assert checked >= 1  # hazmat_documentation at least


def _reference_members(schemas: Any, pointer: str) -> list[tuple[str, dict[str, Any]]]:
    schema = schemas.at(pointer)
    branches = [schema, *[schemas.deref(s) for s in schema.get("oneOf", [])]]
    found: list[tuple[str, dict[str, Any]]] = []
    for branch in branches:
        for name, member in (branch.get("properties") or {}).items():
            member = schemas.deref(member)
            if member.get("format") == "thg-reference" and member.get("x-thg-reference-to"):
                found.append((name, member))
    return found


def test_a_document_awaiting_its_file_cannot_be_referenced_yet(brandco: Org) -> None:
    created = brandco.post(
        "/api/document/v1/brandco/document", json=doc("document:document", {"filename": "a.pdf"})
    ).json()["data"]
    reference = created["meta"]["reference"]
    early = brandco.post(ITEMS, json=item("REF-EARLY", hazmat_documentation=reference))
    assert "has not been uploaded" in only_error(early, HAZMAT)
    instructions = created["attributes"]["upload"]
    with httpx.Client(timeout=TIMEOUT) as http:
        files = {"file": ("a.pdf", b"%PDF")}
        assert http.post(instructions["url"], data=instructions["fields"], files=files).is_success
    later = brandco.post(ITEMS, json=item("REF-EARLY", hazmat_documentation=reference))
    assert later.status_code == 200, later.text
