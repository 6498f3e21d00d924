"""Business keys unique per owner (CONVENTIONS §3): a clash is a 422 on that field, not a 409.

A spec declares its keys with `x-thg-unique: true` on a property of an entity's attributes schema
(THG028 validates where); every key any served spec declares is enforced, none is hard-coded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from thg_spec import Product
from thg_spec.conventions import UNIQUE_EXTENSION

from ..errors import ErrorObject, field_error
from ..hooks import AttributeRule, RuleContext
from ..validation import SchemaSet

if TYPE_CHECKING:
    from ..app import Sandbox


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
                f"{field} {value!r} is already used by another {ctx.entity.name[-1]} "
                f"of {ctx.owner}",
            )
        ]

    return rule


def unique_keys(product: Product, schemas: SchemaSet) -> dict[str, list[str]]:
    """Entity type string -> the properties its spec marks `x-thg-unique: true`."""
    found: dict[str, list[str]] = {}
    for entity in product.entities:
        if entity.kind != "entity":
            continue
        schema = schemas.at(entity.schema)
        props = schema.get("properties") if isinstance(schema, dict) else None
        for name, raw in (props if isinstance(props, dict) else {}).items():
            if isinstance(raw, dict) and raw.get(UNIQUE_EXTENSION) is True:
                found.setdefault(entity.type_string, []).append(str(name))
    return found


def install_unique_keys(sandbox: Sandbox) -> Sequence[BaseRoute]:
    for product in sandbox.products:
        keys = unique_keys(product, sandbox.service.schemas[product.name])
        for type_string, fields in keys.items():
            for field in fields:
                sandbox.service.add_rule(type_string, _unique(field))
    return ()
