"""The `sandbox` organisation's reaction (CONVENTIONS §14): it approves `test_sku` at once.

When a consumer whose thg-fulfil providers include `sandbox` creates or replaces an inventory
item with sku `test_sku`, `sandbox` sets the item's approval to APPROVED, through the service's
ordinary write path, so access rules, validation and write hooks (events) apply as for any call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from thg_spec import Entity

from ..access import Caller
from ..errors import ApiError
from ..service import Target
from ..store import Resource

if TYPE_CHECKING:
    from ..app import Sandbox

SANDBOX_ORG = "sandbox"
ITEM_TYPE = "thg-fulfil:inventory-item"
APPROVAL_TYPE = "thg-fulfil:inventory-item.approval"
TEST_SKU = "test_sku"


def install_auto_approve(sandbox: Sandbox) -> Sequence[BaseRoute]:
    service = sandbox.service
    found = service.entity_by_type(APPROVAL_TYPE)
    if found is None:
        return ()  # thg-fulfil is not served: nothing to react to
    product, approval = found
    sandbox_caller = Caller(SANDBOX_ORG, SANDBOX_ORG)

    def approve_test_sku(entity: Entity, action: str, resource: Resource, actor: str) -> None:
        if entity.type_string != ITEM_TYPE or action not in ("CREATED", "UPDATED"):
            return
        if resource.attributes.get("sku") != TEST_SKU or actor != resource.owner:
            return
        if SANDBOX_ORG not in sandbox.config.providers_of(product.name, resource.owner):
            return
        target = Target(product, approval, resource.owner, (resource.id,))
        data = {
            "type": APPROVAL_TYPE,
            "attributes": {
                "state": "APPROVED",
                "approvedBy": "sandbox (test_sku is always approved)",
            },
        }
        try:
            service.create(sandbox_caller, target, data)
        except ApiError as exc:
            if exc.status != 409:
                raise
            service.replace(
                sandbox_caller, target, data
            )  # a replaced item: its approval is set already

    service.hooks.append(approve_test_sku)
    return ()
