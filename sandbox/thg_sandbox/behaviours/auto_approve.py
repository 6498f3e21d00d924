"""The `sandbox` provider's answers to new inventory items (platform docs S18 and the integration
guide's `test_sku`; CONVENTIONS §14).

When a consumer whose thg-fulfil providers include `sandbox` creates an inventory item, the
item's SKU (`consumerReference`) decides what `sandbox` does:

| SKU        | approval                               | and                                  |
|------------|----------------------------------------|--------------------------------------|
| `test_sku` | APPROVED, provider reference = the SKU |                                      |
| ends `010` | APPROVED, provider reference = the SKU |                                      |
| ends `011` | APPROVED, provider reference = the SKU | a stock level at the last warehouse  |
|            |                                        | used, else at a placeholder          |
| ends `200` | REJECTED, reason `OTHER`, a message    |                                      |

Every write goes through the service's ordinary path as the `sandbox` organisation, so access
rules, validation and write hooks (events) apply as for any call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute

from thg_spec import Entity

from ..access import Caller
from ..errors import ApiError
from ..jsonapi import reference_of
from ..service import Target
from ..store import Resource

if TYPE_CHECKING:
    from ..app import Sandbox

SANDBOX_ORG = "sandbox"
ITEM_TYPE = "thg-fulfil:inventory"
APPROVAL_TYPE = "thg-fulfil:inventory.approval"
STOCK_LEVEL_TYPE = "thg-fulfil:stock-level"
STOCK_ADJUSTMENT_TYPE = "thg-fulfil:stock-adjustment"
SKU_FIELD = "consumerReference"
TEST_SKU = "test_sku"
PLACEHOLDER_WAREHOUSE = "SANDBOX-WAREHOUSE"
SANDBOX_STOCK_QUANTITY = 100
REJECTION_MESSAGE = "Rejected by the sandbox provider: the SKU ends in 200."


@dataclass(frozen=True)
class Answer:
    """What `sandbox` does for one SKU: the approval's attributes, and whether to stock it."""

    approval: dict[str, Any]
    stock: bool = False


def answer_for(sku: object) -> Answer | None:
    """The sandbox scenario a SKU triggers, or None for an ordinary SKU (left for a person)."""
    if not isinstance(sku, str) or not sku:
        return None
    approved = {"state": "APPROVED", "providerReference": sku}
    if sku == TEST_SKU or sku.endswith("010"):
        return Answer(approved)
    if sku.endswith("011"):
        return Answer(approved, stock=True)
    if sku.endswith("200"):
        return Answer({"state": "REJECTED", "reason": "OTHER", "message": REJECTION_MESSAGE})
    return None


def install_auto_approve(sandbox: Sandbox) -> Sequence[BaseRoute]:
    service = sandbox.service
    found = service.entity_by_type(APPROVAL_TYPE)
    if found is None:
        return ()  # thg-fulfil is not served: nothing to react to
    product, approval = found
    stock_level = service.entity_by_type(STOCK_LEVEL_TYPE)
    sandbox_caller = Caller(SANDBOX_ORG, SANDBOX_ORG)

    def last_warehouse(owner: str) -> str:
        """The warehouse of the owner's most recently written stock record, else a placeholder
        (S18: "the last updated warehouse in the platform")."""
        with service.db.reading() as conn:
            row = conn.execute(
                "SELECT json_extract(attributes, '$.warehouseReference') AS warehouse "
                "FROM resources WHERE entity IN (?, ?) AND owner = ? "
                "AND json_extract(attributes, '$.warehouseReference') IS NOT NULL "
                "ORDER BY updated_at DESC, seq DESC LIMIT 1",
                (STOCK_LEVEL_TYPE, STOCK_ADJUSTMENT_TYPE, owner),
            ).fetchone()
        return str(row["warehouse"]) if row is not None else PLACEHOLDER_WAREHOUSE

    def stock(item: Resource) -> None:
        if stock_level is None:
            return  # a spec without stock levels: approve only
        attributes = {
            "inventoryItem": reference_of(item),
            "consumerReference": item.attributes.get(SKU_FIELD),
            "warehouseReference": last_warehouse(item.owner),
            "condition": "GOOD",
            "quantity": SANDBOX_STOCK_QUANTITY,
        }
        target = Target(stock_level[0], stock_level[1], item.owner, ())
        service.create(sandbox_caller, target, {"type": STOCK_LEVEL_TYPE, "attributes": attributes})

    def answer(entity: Entity, action: str, resource: Resource, actor: str) -> None:
        if entity.type_string != ITEM_TYPE or action != "CREATED" or actor != resource.owner:
            return
        found = answer_for(resource.attributes.get(SKU_FIELD))
        if found is None:
            return
        if SANDBOX_ORG not in sandbox.config.providers_of(product.name, resource.owner):
            return
        target = Target(product, approval, resource.owner, (resource.id,))
        data = {"type": APPROVAL_TYPE, "attributes": found.approval}
        try:
            service.create(sandbox_caller, target, data)
        except ApiError as exc:
            if exc.status != 409:
                raise
            service.replace(sandbox_caller, target, data)  # already checked (VALID): move it on
        if found.stock:
            stock(resource)

    service.hooks.append(answer)
    return ()
