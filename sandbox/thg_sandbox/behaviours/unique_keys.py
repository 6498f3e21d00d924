"""Business keys unique per owner (CONVENTIONS §3): a clash is a 422 on that field, not a 409.

The specs say it in prose (an inventory item's `sku`, a fulfilment request's `orderId`), so the
list lives here rather than being inferred.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from ..errors import ErrorObject, field_error
from ..hooks import AttributeRule, RuleContext

if TYPE_CHECKING:
    from ..app import Sandbox

UNIQUE_KEYS = {
    "thg-fulfil:inventory-item": "sku",
    "thg-fulfil:fulfilment-request": "orderId",
}


def _unique(field: str) -> AttributeRule:
    def rule(ctx: RuleContext) -> list[ErrorObject]:
        value = ctx.attributes.get(field)
        if value is None:
            return []
        clash = ctx.conn.execute(
            "SELECT id FROM resources WHERE entity = ? AND owner = ? AND id != ? "
            "AND json_extract(attributes, ?) = ? LIMIT 1",
            (ctx.entity.type_string, ctx.owner, ctx.resource_id or "", f'$."{field}"', value),
        ).fetchone()
        if clash is None:
            return []
        return [
            field_error(
                f"/data/attributes/{field}",
                f"{field} {value!r} is already used by another {ctx.entity.name[-1]} of {ctx.owner}",
            )
        ]

    return rule


def install_unique_keys(sandbox: Sandbox) -> Sequence[BaseRoute]:
    for type_string, field in UNIQUE_KEYS.items():
        if sandbox.service.entity_by_type(type_string) is not None:
            sandbox.service.add_rule(type_string, _unique(field))
    return ()
