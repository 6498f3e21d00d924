"""THG Fulfil's inbound chain as the platform's pages describe it (CONVENTIONS §17).

pre-advice → its approval → a delivery booking → one ASN per booking → goods-received notes:

* Approving a pre-advice books its delivery (S20, S25: "created automatically", "one per
  approved pre-advice", no manual create; the spec offers no POST for it). When a pre-advice's
  approval becomes APPROVED, the provider that approved it writes the pre-advice's
  `delivery-booking` (with the approval's `deliveryReference`, else a fresh `BOOK-<8 digits>`)
  and the approval gets the booking's reference back ("a delivery reference is returned",
  S10), all through the service's ordinary write path, so access rules, validation and events
  apply as to any write.
* A resubmitted pre-advice keeps its warehouse (S23: fixed once submitted): a 422 otherwise.
* An ASN's `deliveryReference` must name a delivery booking of the ASN's owner whose pre-advice
  is (still) APPROVED, and no other ASN of that owner may quote it (S2, S20: one ASN per
  booking, an approved pre-advice first): otherwise a 422 on `/data/attributes/deliveryReference`.
* GRNs (the UI's receipts, S12, S20, S25): a partial one has exactly one product line and no
  issues; an ASN has at most one final one, written last, whose `partialReceipts` name partial
  GRNs of that ASN.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute

from thg_spec import Entity

from ..access import Caller
from ..errors import ApiError, ErrorObject, field_error
from ..hooks import RuleContext
from ..service import Target
from ..store import Resource

if TYPE_CHECKING:
    from ..app import Sandbox

PRE_ADVICE = "thg-fulfil:pre-advice"
PRE_ADVICE_APPROVAL = "thg-fulfil:pre-advice.approval"
BOOKING = "thg-fulfil:pre-advice.delivery-booking"
ASN = "thg-fulfil:asn"
GRN = "thg-fulfil:asn.grn"
BOOKING_ATTEMPTS = 5  # fresh references tried before giving up (10^8 of them per owner)


def new_delivery_reference() -> str:
    """`BOOK-` and eight digits, as the help centre's example (`BOOK-12345678`)."""
    return f"BOOK-{secrets.randbelow(10**8):08d}"


def _attributes(row: sqlite3.Row | None) -> dict[str, Any]:
    if row is None:
        return {}
    loaded = json.loads(row["attributes"])
    return loaded if isinstance(loaded, dict) else {}


# -- the ASN quotes a live booking, once ------------------------------------------------------


def asn_quotes_a_booking(ctx: RuleContext) -> list[ErrorObject]:
    reference = ctx.attributes.get("deliveryReference")
    if not isinstance(reference, str):
        return []  # the schema check has reported it
    where = "/data/attributes/deliveryReference"
    booking = ctx.conn.execute(
        "SELECT parent_id FROM resources WHERE entity = ? AND owner = ? "
        "AND json_extract(attributes, '$.deliveryReference') = ? LIMIT 1",
        (BOOKING, ctx.owner, reference),
    ).fetchone()
    if booking is None:
        return [
            field_error(
                where,
                f"deliveryReference {reference!r} names no delivery booking of {ctx.owner}: "
                "submit a pre-advice and quote the booking its approval makes",
            )
        ]
    approval = ctx.conn.execute(
        "SELECT attributes FROM resources WHERE entity = ? AND owner = ? AND parent_id = ?",
        (PRE_ADVICE_APPROVAL, ctx.owner, booking["parent_id"]),
    ).fetchone()
    state = _attributes(approval).get("state")
    if state != "APPROVED":
        return [
            field_error(
                where,
                f"the pre-advice booked as {reference} is {state or 'not approved'}, "
                "not APPROVED",
            )
        ]
    clash = ctx.conn.execute(
        "SELECT id FROM resources WHERE entity = ? AND owner = ? AND id != ? "
        "AND json_extract(attributes, '$.deliveryReference') = ? LIMIT 1",
        (ASN, ctx.owner, ctx.resource_id or "", reference),
    ).fetchone()
    if clash is not None:
        return [
            field_error(
                where,
                f"delivery booking {reference} already has an ASN ({clash['id']}): "
                "one ASN per booking",
            )
        ]
    return []


# -- the pre-advice and its approval ----------------------------------------------------------


def warehouse_stays(ctx: RuleContext) -> list[ErrorObject]:
    """A resubmission (PUT) keeps the warehouse it was first submitted for (S23)."""
    if ctx.resource_id is None:
        return []
    stored = ctx.conn.execute(
        "SELECT attributes FROM resources WHERE entity = ? AND owner = ? AND id = ?",
        (PRE_ADVICE, ctx.owner, ctx.resource_id),
    ).fetchone()
    before = _attributes(stored).get("warehouse")
    if before is None or ctx.attributes.get("warehouse") == before:
        return []
    return [
        field_error(
            "/data/attributes/warehouse",
            f"warehouse is fixed once submitted ({before!r}): submit a new pre-advice instead",
        )
    ]


def delivery_reference_is_free(ctx: RuleContext) -> list[ErrorObject]:
    """An approval naming its own delivery reference may not take another booking's."""
    reference = ctx.attributes.get("deliveryReference")
    if not isinstance(reference, str):
        return []
    pre_advice = ctx.conn.execute(
        "SELECT parent_id FROM resources WHERE entity = ? AND owner = ? AND id = ?",
        (PRE_ADVICE_APPROVAL, ctx.owner, ctx.resource_id or ""),
    ).fetchone()
    clash = ctx.conn.execute(
        "SELECT parent_id FROM resources WHERE entity = ? AND owner = ? "
        "AND json_extract(attributes, '$.deliveryReference') = ? LIMIT 1",
        (BOOKING, ctx.owner, reference),
    ).fetchone()
    if clash is None or (pre_advice is not None and clash["parent_id"] == pre_advice["parent_id"]):
        return []
    return [
        field_error(
            "/data/attributes/deliveryReference",
            f"{reference} is another pre-advice's delivery booking",
        )
    ]


# -- GRNs: partial ones, then one final ---------------------------------------------------


def receipt_shape(ctx: RuleContext) -> list[ErrorObject]:
    """What the receipt's own attributes must say (partial: one line, no issues)."""
    attributes = ctx.attributes
    if attributes.get("finalReceipt") is True:
        return []
    errors = []
    lines = attributes.get("lines")
    if isinstance(lines, list) and len(lines) != 1:
        errors.append(
            field_error(
                "/data/attributes/lines",
                f"a partial receipt covers exactly one product line, not {len(lines)}",
            )
        )
    for member in ("issues", "partialReceipts"):
        if attributes.get(member):
            errors.append(
                field_error(
                    f"/data/attributes/{member}",
                    f"{member} belong on the final receipt (finalReceipt: true) only",
                )
            )
    return errors


def receipt_against_its_asn(conn: sqlite3.Connection, resource: Resource) -> list[ErrorObject]:
    """What the receipt must agree with among its ASN's other receipts."""
    others = conn.execute(
        "SELECT attributes FROM resources WHERE entity = ? AND owner = ? AND parent_id = ? "
        "AND id != ?",
        (GRN, resource.owner, resource.parent_id, resource.id),
    ).fetchall()
    siblings = [_attributes(row) for row in others]
    if any(s.get("finalReceipt") is True for s in siblings):
        return [
            field_error(
                "/data/attributes/finalReceipt",
                "this ASN's final receipt is written already: no receipt follows it",
            )
        ]
    if resource.attributes.get("finalReceipt") is not True:
        return []
    partials = {s.get("receiptReference") for s in siblings}
    named = resource.attributes.get("partialReceipts") or []
    return [
        field_error(
            f"/data/attributes/partialReceipts/{index}",
            f"{reference!r} is no partial receipt of this ASN",
        )
        for index, reference in enumerate(named)
        if reference not in partials
    ]


# -- installation ----------------------------------------------------------------------------


def install_inbound(sandbox: Sandbox) -> Sequence[BaseRoute]:
    service = sandbox.service
    found = service.entity_by_type(BOOKING)
    if found is None or service.entity_by_type(ASN) is None:
        return ()  # thg-fulfil's inbound chain is not served: nothing to enforce
    product, booking = found
    found_approval = service.entity_by_type(PRE_ADVICE_APPROVAL)
    if found_approval is None:
        return ()

    service.add_rule(ASN, asn_quotes_a_booking)
    service.add_rule(GRN, receipt_shape)
    service.add_rule(PRE_ADVICE, warehouse_stays)
    service.add_rule(PRE_ADVICE_APPROVAL, delivery_reference_is_free)

    def check_receipt(
        conn: sqlite3.Connection, entity: Entity, action: str, resource: Resource, actor: str
    ) -> None:
        # Here rather than a rule: a rule does not know the receipt's ASN, the stored row does.
        if entity.type_string == GRN and action == "CREATED":
            errors = receipt_against_its_asn(conn, resource)
            if errors:
                raise ApiError(422, errors)  # rolls the receipt back

    def book_delivery(entity: Entity, action: str, resource: Resource, actor: str) -> None:
        if entity.type_string != PRE_ADVICE_APPROVAL or action not in ("CREATED", "UPDATED"):
            return
        if resource.attributes.get("state") != "APPROVED":
            return
        with service.db.reading() as conn:
            pre_advice = service.store.get(conn, PRE_ADVICE, resource.owner, resource.parent_id)
            row = conn.execute(
                "SELECT attributes FROM resources WHERE entity = ? AND owner = ? AND parent_id = ?",
                (BOOKING, resource.owner, resource.parent_id),
            ).fetchone()
        if pre_advice is None:
            return
        caller = Caller(actor, actor)
        # One booking per approved pre-advice, even if approved again.
        reference = _attributes(row).get("deliveryReference") if row is not None else None
        if reference is None:
            reference = book(caller, pre_advice, resource.attributes.get("deliveryReference"))
        if resource.attributes.get("deliveryReference") != reference:
            # "A delivery reference is returned" with the approval (S10); this write comes back
            # here once, and stops at the test above.
            approval = Target(product, found_approval[1], resource.owner, (pre_advice.id,))
            attributes = {**resource.attributes, "deliveryReference": reference}
            service.replace(
                caller, approval, {"type": PRE_ADVICE_APPROVAL, "attributes": attributes}
            )

    def book(caller: Caller, pre_advice: Resource, wanted: Any) -> str:
        """Write the pre-advice's booking; its reference (the one asked for, else a new one)."""
        target = Target(product, booking, pre_advice.owner, (pre_advice.id,))
        for attempt in range(BOOKING_ATTEMPTS):
            asked = isinstance(wanted, str) and attempt == 0
            reference = wanted if asked else new_delivery_reference()
            data = {
                "type": BOOKING,
                "attributes": {
                    "deliveryReference": reference,
                    "warehouse": pre_advice.attributes.get("warehouse"),
                    "deliveryDate": pre_advice.attributes.get("deliveryDate"),
                },
            }
            try:
                service.create(caller, target, data)
                return str(reference)
            except ApiError as exc:
                taken = any(e.pointer == "/data/attributes/deliveryReference" for e in exc.errors)
                if not taken:
                    raise
        raise RuntimeError(f"no free delivery reference after {BOOKING_ATTEMPTS} attempts")

    service.transaction_hooks.append(check_receipt)
    service.hooks.append(book_delivery)
    return ()


__all__ = [
    "asn_quotes_a_booking",
    "install_inbound",
    "new_delivery_reference",
    "receipt_against_its_asn",
    "receipt_shape",
]
