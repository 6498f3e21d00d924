"""THG Fulfil's inbound chain in the sandbox (behaviours/inbound.py): pre-advice → approval →
delivery booking (made by the sandbox) → one ASN per booking → partial and final receipts."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from starlette.routing import BaseRoute

from thg_sandbox.app import Sandbox
from thg_sandbox.behaviours import BUILTIN
from thg_sandbox.behaviours.inbound import new_delivery_reference
from thg_sandbox.clock import ManualClock
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_sandbox.store import Resource
from thg_spec import Entity, Product

from .conftest import FULFIL, SPECS, Org, doc, errors, item, pointers

PRE_ADVICES = f"{FULFIL}/brandco/pre-advice"
ASNS = f"{FULFIL}/brandco/asn"
BOOKING_REFERENCE = re.compile(r"BOOK-[0-9]{8}")
Seen = list[tuple[str, str, str, str]]  # (entity type, action, id, acting organisation)


@pytest.fixture(scope="module")
def seen() -> Seen:
    return []


@pytest.fixture(scope="module")
def sandbox(clock: ManualClock, products: list[Product], seen: Seen) -> Iterator[RunningSandbox]:
    """The default sandbox, every write recorded as it happens: the recorder comes before the
    behaviours, whose own writes (the booking) would otherwise be seen before their cause."""

    def record(sandbox: Sandbox) -> Sequence[BaseRoute]:
        def hook(entity: Entity, action: str, resource: Resource, actor: str) -> None:
            seen.append((entity.type_string, action, resource.id, actor))

        sandbox.service.hooks.append(hook)
        return ()

    with running_sandbox(SPECS, clock=clock, products=products, extensions=(record, *BUILTIN)) as s:
        yield s


def tag() -> str:
    return uuid.uuid4().hex[:8]


def an_item(brandco: Org) -> str:
    """A new inventory item's reference string (what pre-advices and ASNs name)."""
    created = brandco.post(f"{FULFIL}/brandco/inventory", json=item(f"IN-{tag()}"))
    assert created.status_code == 200, created.text
    return str(created.json()["data"]["meta"]["reference"])


def pre_advice(reference: str, quantity: int = 10) -> dict[str, Any]:
    return doc(
        "thg-fulfil:pre-advice",
        {
            "consumerReference": f"PO-{tag()}",
            "warehouse": "MAN-02",
            "deliveryDate": "2026-03-02",
            "deliveryType": "CURTAIN",
            "products": [{"inventoryItem": reference, "quantity": quantity}],
        },
    )


def approval(state: str, **payload: Any) -> dict[str, Any]:
    return doc("thg-fulfil:pre-advice.approval", {"state": state, **payload})


def asn(delivery_reference: str, item_reference: str) -> dict[str, Any]:
    line = {
        "consumerReference": None,
        "inventoryItem": item_reference,
        "quantity": 10,
        "condition": "GOOD",
        "batchNumber": None,
        "batchExpiry": None,
    }
    carton = {
        "reference": "CTN-1",
        "referenceType": "OTHER",
        "type": "CARTON",
        "logisticsUnits": [],
        "inventoryItems": [line],
    }
    return doc(
        "thg-fulfil:asn",
        {
            "consumerReference": f"ASN-{tag()}",
            "deliveryReference": delivery_reference,
            "deliveryPartnersReference": "HAUL-1",
            "contents": [
                {
                    "reference": "001234560000000018",
                    "referenceType": "SSCC",
                    "type": "PALLET",
                    "logisticsUnits": [carton],
                    "inventoryItems": [],
                }
            ],
            "deliveryVehicle": {"type": "VAN", "registrationNumber": "MA26 XYZ"},
        },
    )


def receipt(reference: str, item_reference: str, *, final: bool, **extra: Any) -> dict[str, Any]:
    line = {"inventoryItem": item_reference, "quantity": 5, "condition": "GOOD"}
    return doc(
        "thg-fulfil:asn.grn",
        {"receiptReference": reference, "finalReceipt": final, "lines": [line], **extra},
    )


def approved_booking(brandco: Org, thg: Org) -> tuple[str, str, dict[str, Any]]:
    """(the item's reference, the pre-advice's id, its booking) after the provider approves."""
    reference = an_item(brandco)
    created = brandco.post(PRE_ADVICES, json=pre_advice(reference))
    assert created.status_code == 200, created.text  # the declared create status (S2, S3)
    pre_advice_id = created.json()["data"]["id"]
    path = f"{PRE_ADVICES}/{pre_advice_id}"
    assert thg.post(f"{path}/approval", json=approval("PENDING")).status_code == 200
    assert brandco.get(f"{path}/delivery-booking").json()["data"] == []  # not before approval
    assert thg.put(f"{path}/approval", json=approval("APPROVED")).status_code == 200
    bookings = brandco.get(f"{path}/delivery-booking").json()["data"]
    assert len(bookings) == 1
    return reference, pre_advice_id, bookings[0]


def test_approving_a_pre_advice_books_its_delivery(brandco: Org, thg: Org) -> None:
    _, pre_advice_id, booking = approved_booking(brandco, thg)
    assert BOOKING_REFERENCE.fullmatch(booking["attributes"]["deliveryReference"])
    assert booking["attributes"]["warehouse"] == "MAN-02"
    assert booking["attributes"]["deliveryDate"] == "2026-03-02"
    assert booking["meta"]["owner"] == "brandco"  # in the consumer's path, under the pre-advice
    assert booking["meta"]["creator"] == "thg"  # written by the provider that approved
    assert booking["meta"]["parent"] == {"thg-fulfil:pre-advice": pre_advice_id}
    lookup = brandco.get(f"{FULFIL}/brandco/pre-advice.delivery-booking/{booking['id']}")
    assert lookup.json()["data"]["id"] == booking["id"]


def test_the_approval_returns_the_delivery_reference(brandco: Org, thg: Org) -> None:
    _, pre_advice_id, booking = approved_booking(brandco, thg)
    got = brandco.get(f"{PRE_ADVICES}/{pre_advice_id}/approval").json()["data"]
    assert got["attributes"] == {
        "state": "APPROVED",
        "deliveryReference": booking["attributes"]["deliveryReference"],
    }
    assert got["version"] == "3"  # PENDING, APPROVED, then the reference written back


def test_a_provider_may_name_the_booking(brandco: Org, thg: Org) -> None:
    wanted = f"BOOK-{uuid.uuid4().int % 10**8:08d}"
    first = brandco.post(PRE_ADVICES, json=pre_advice(an_item(brandco))).json()["data"]
    named = approval("APPROVED", deliveryReference=wanted)
    assert thg.post(f"{PRE_ADVICES}/{first['id']}/approval", json=named).status_code == 200
    (booking,) = brandco.get(f"{PRE_ADVICES}/{first['id']}/delivery-booking").json()["data"]
    assert booking["attributes"]["deliveryReference"] == wanted
    second = brandco.post(PRE_ADVICES, json=pre_advice(an_item(brandco))).json()["data"]
    taken = thg.post(f"{PRE_ADVICES}/{second['id']}/approval", json=named)
    assert pointers(taken) == {"/data/attributes/deliveryReference"}
    assert "another pre-advice's delivery booking" in errors(taken)[0]["detail"]


def test_a_resubmission_keeps_its_warehouse(brandco: Org) -> None:
    body = pre_advice(an_item(brandco))
    created = brandco.post(PRE_ADVICES, json=body).json()["data"]
    path = f"{PRE_ADVICES}/{created['id']}"
    body["data"]["attributes"]["deliveryDate"] = "2026-03-09"
    assert brandco.put(path, json=body).status_code == 200
    body["data"]["attributes"]["warehouse"] = "LDS-01"
    moved = brandco.put(path, json=body)
    assert pointers(moved) == {"/data/attributes/warehouse"}
    assert "fixed once submitted ('MAN-02')" in errors(moved)[0]["detail"]


def test_the_booking_is_an_ordinary_write_of_the_provider(
    brandco: Org, thg: Org, seen: Seen
) -> None:
    del seen[:]
    _, pre_advice_id, booking = approved_booking(brandco, thg)
    approval_id = brandco.get(f"{PRE_ADVICES}/{pre_advice_id}/approval").json()["data"]["id"]
    writes = [(t, a, i, o) for t, a, i, o in seen if t != "thg-fulfil:inventory"]
    assert writes == [
        ("thg-fulfil:pre-advice", "CREATED", pre_advice_id, "brandco"),
        ("thg-fulfil:pre-advice.approval", "CREATED", approval_id, "thg"),  # PENDING
        ("thg-fulfil:pre-advice.approval", "UPDATED", approval_id, "thg"),  # APPROVED
        ("thg-fulfil:pre-advice.delivery-booking", "CREATED", booking["id"], "thg"),
        ("thg-fulfil:pre-advice.approval", "UPDATED", approval_id, "thg"),  # + its reference
    ]


def test_approving_again_books_nothing_more(brandco: Org, thg: Org) -> None:
    _, pre_advice_id, booking = approved_booking(brandco, thg)
    path = f"{PRE_ADVICES}/{pre_advice_id}"
    assert (
        thg.put(f"{path}/approval", json=approval("APPROVED", message="again")).status_code == 200
    )
    assert [b["id"] for b in brandco.get(f"{path}/delivery-booking").json()["data"]] == [
        booking["id"]
    ]


def test_a_rejection_books_nothing_and_needs_a_reason(brandco: Org, thg: Org) -> None:
    created = brandco.post(PRE_ADVICES, json=pre_advice(an_item(brandco))).json()["data"]
    path = f"{PRE_ADVICES}/{created['id']}"
    assert pointers(thg.post(f"{path}/approval", json=approval("REJECTED"))) == {
        "/data/attributes/reason"
    }
    assert thg.post(f"{path}/approval", json=approval("REJECTED", reason="full")).status_code == 200
    assert brandco.get(f"{path}/delivery-booking").json()["data"] == []


def test_only_the_provider_approves_and_nobody_creates_a_booking(brandco: Org, thg: Org) -> None:
    created = brandco.post(PRE_ADVICES, json=pre_advice(an_item(brandco))).json()["data"]
    path = f"{PRE_ADVICES}/{created['id']}"
    assert brandco.post(f"{path}/approval", json=approval("APPROVED")).status_code == 403
    booking = doc(
        "thg-fulfil:pre-advice.delivery-booking",
        {"deliveryReference": "BOOK-00000001", "warehouse": "X", "deliveryDate": "2026-03-02"},
    )
    for org in (brandco, thg):
        assert org.post(f"{path}/delivery-booking", json=booking).status_code == 405


def test_a_provider_cannot_submit_a_pre_advice(brandco: Org, thg: Org) -> None:
    reference = an_item(brandco)
    assert thg.post(PRE_ADVICES, json=pre_advice(reference)).status_code == 403


def test_an_asn_quotes_its_booking_once(brandco: Org, thg: Org) -> None:
    reference, _, booking = approved_booking(brandco, thg)
    delivery = booking["attributes"]["deliveryReference"]
    created = brandco.post(ASNS, json=asn(delivery, reference))
    assert created.status_code == 200, created.text  # S2: "Create asn" answers 200
    data = created.json()["data"]
    assert data["meta"]["owner"] == data["meta"]["creator"] == "brandco"
    unit = data["attributes"]["contents"][0]["logisticsUnits"][0]
    assert unit["inventoryItems"][0]["inventoryItem"] == reference  # the nesting round-trips
    again = brandco.post(ASNS, json=asn(delivery, reference))
    assert again.status_code == 422
    (error,) = errors(again)
    assert error["source"]["pointer"] == "/data/attributes/deliveryReference"
    assert "one ASN per booking" in error["detail"]


def test_an_asn_without_a_booking_is_refused(brandco: Org) -> None:
    response = brandco.post(ASNS, json=asn("BOOK-99999999", an_item(brandco)))
    assert response.status_code == 422
    (error,) = errors(response)
    assert error["source"]["pointer"] == "/data/attributes/deliveryReference"
    assert "names no delivery booking of brandco" in error["detail"]


def test_an_asn_needs_the_pre_advice_still_approved(brandco: Org, thg: Org) -> None:
    reference, pre_advice_id, booking = approved_booking(brandco, thg)
    path = f"{PRE_ADVICES}/{pre_advice_id}/approval"
    assert thg.put(path, json=approval("CANCELLED")).status_code == 200
    response = brandco.post(ASNS, json=asn(booking["attributes"]["deliveryReference"], reference))
    assert response.status_code == 422
    assert "is CANCELLED, not APPROVED" in errors(response)[0]["detail"]


def test_an_asn_is_the_rendered_body_exactly(brandco: Org, thg: Org) -> None:
    reference, _, booking = approved_booking(brandco, thg)
    body = asn(booking["attributes"]["deliveryReference"], reference)
    attributes = body["data"]["attributes"]
    attributes["deliveryVehicle"] = {"type": "TRUCK", "registrationNumber": "X" * 17}
    line = attributes["contents"][0]["logisticsUnits"][0]["inventoryItems"][0]
    line.update(quantity=0, condition="FAULTY", batchNumber="B" * 65)
    assert pointers(brandco.post(ASNS, json=body)) == {
        "/data/attributes/deliveryVehicle/type",
        "/data/attributes/deliveryVehicle/registrationNumber",
        "/data/attributes/contents/0/logisticsUnits/0/inventoryItems/0/quantity",
        "/data/attributes/contents/0/logisticsUnits/0/inventoryItems/0/condition",
        "/data/attributes/contents/0/logisticsUnits/0/inventoryItems/0/batchNumber",
    }


def test_an_asn_names_existing_items(brandco: Org, thg: Org) -> None:
    reference, _, booking = approved_booking(brandco, thg)
    missing = reference.rsplit("@", 1)[0] + "@00000000-0000-0000-0000-000000000000"
    response = brandco.post(ASNS, json=asn(booking["attributes"]["deliveryReference"], missing))
    assert pointers(response) == {
        "/data/attributes/contents/0/logisticsUnits/0/inventoryItems/0/inventoryItem"
    }


def an_asn(brandco: Org, thg: Org) -> tuple[str, str]:
    """(the item's reference, the path of a new ASN)."""
    reference, _, booking = approved_booking(brandco, thg)
    created = brandco.post(ASNS, json=asn(booking["attributes"]["deliveryReference"], reference))
    assert created.status_code == 200, created.text
    return reference, f"{ASNS}/{created.json()['data']['id']}"


def test_the_provider_writes_the_asn_statuses(brandco: Org, thg: Org) -> None:
    _, path = an_asn(brandco, thg)
    approve = doc("thg-fulfil:asn.approval", {"state": "APPROVED"})
    assert brandco.post(f"{path}/approval", json=approve).status_code == 403
    assert thg.post(f"{path}/approval", json=approve).status_code == 200
    for state in ("PENDING", "ARRIVED", "STARTED", "FINISHED"):
        progress = doc("thg-fulfil:asn.progress", {"state": state})
        method = thg.post if state == "PENDING" else thg.put
        assert method(f"{path}/progress", json=progress).status_code == 200
    read = brandco.get(f"{path}/progress").json()["data"]
    assert read["attributes"] == {"state": "FINISHED"} and read["meta"]["creator"] == "thg"


def test_partial_receipts_then_one_final(brandco: Org, thg: Org) -> None:
    reference, path = an_asn(brandco, thg)
    receipts = f"{path}/grn"
    first, second = f"GRN-{tag()}", f"GRN-{tag()}"
    assert brandco.post(receipts, json=receipt(first, reference, final=False)).status_code == 403
    for number in (first, second):
        made = thg.post(receipts, json=receipt(number, reference, final=False))
        assert made.status_code == 200, made.text
    final = receipt(
        f"GRN-{tag()}",
        reference,
        final=True,
        issues=[{"description": "carton crushed", "inventoryItem": reference, "quantity": 2}],
        partialReceipts=[first, second],
    )
    made = thg.post(receipts, json=final)
    assert made.status_code == 200, made.text
    assert made.json()["data"]["meta"]["creator"] == "thg"
    listed = brandco.get(receipts).json()["data"]
    assert [r["attributes"]["finalReceipt"] for r in listed] == [False, False, True]
    late = thg.post(receipts, json=receipt(f"GRN-{tag()}", reference, final=False))
    assert pointers(late) == {"/data/attributes/finalReceipt"}
    assert len(brandco.get(receipts).json()["data"]) == 3  # the refused one was rolled back


def test_a_partial_receipt_is_one_line_without_issues(brandco: Org, thg: Org) -> None:
    reference, path = an_asn(brandco, thg)
    body = receipt(f"GRN-{tag()}", reference, final=False, issues=[{"description": "x"}])
    body["data"]["attributes"]["lines"] *= 2
    assert pointers(thg.post(f"{path}/grn", json=body)) == {
        "/data/attributes/lines",
        "/data/attributes/issues",
    }


def test_a_final_receipt_names_partials_of_its_own_asn(brandco: Org, thg: Org) -> None:
    reference, path = an_asn(brandco, thg)
    _, other = an_asn(brandco, thg)
    elsewhere = f"GRN-{tag()}"
    made = thg.post(f"{other}/grn", json=receipt(elsewhere, reference, final=False))
    assert made.status_code == 200
    final = receipt(f"GRN-{tag()}", reference, final=True, partialReceipts=[elsewhere])
    assert pointers(thg.post(f"{path}/grn", json=final)) == {"/data/attributes/partialReceipts/0"}


def test_deleting_a_pre_advice_takes_its_booking(brandco: Org, thg: Org) -> None:
    _, pre_advice_id, booking = approved_booking(brandco, thg)
    assert brandco.delete(f"{PRE_ADVICES}/{pre_advice_id}").status_code == 204
    lookup = brandco.get(f"{FULFIL}/brandco/pre-advice.delivery-booking/{booking['id']}")
    assert lookup.status_code == 404


def test_delivery_references_look_like_the_documented_example() -> None:
    made = {new_delivery_reference() for _ in range(200)}
    assert all(BOOKING_REFERENCE.fullmatch(reference) for reference in made)
    assert len(made) > 190  # random, not a counter another owner's bookings would reveal


@pytest.mark.parametrize("state", ["PENDING", "REJECTED", "CANCELLED"])
def test_no_booking_unless_approved(brandco: Org, thg: Org, state: str) -> None:
    created = brandco.post(PRE_ADVICES, json=pre_advice(an_item(brandco))).json()["data"]
    path = f"{PRE_ADVICES}/{created['id']}"
    payload = {"reason": "no slot"} if state != "PENDING" else {}
    assert thg.post(f"{path}/approval", json=approval(state, **payload)).status_code == 200
    assert brandco.get(f"{path}/delivery-booking").json()["data"] == []
