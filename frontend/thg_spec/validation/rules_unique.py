"""Unique business keys (THG028): `x-thg-unique: true` on a property of an entity's attributes.

A business key (an inventory item's `sku`, a fulfilment request's `orderId`, the `sku` of each
vInventory leaf nested in a product's variants) is unique per owner and entity type, across every
place of the entity's attributes it occurs; a write that repeats one is a 422 on that field
(CONVENTIONS §3). The spec says which properties are keys, so the sandbox enforces exactly those,
for any product.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import conventions as cv
from .. import pointer as jp
from ..diagnostics import Diagnostic
from .context import RuleContext
from .holders import holders_of
from .refs import lookup

RULE = "THG028"
_SCALARS = frozenset({"string", "integer", "number", "boolean"})
_MAX_SCHEMAS = 10_000


_BRANCHES = ("oneOf", "anyOf", "allOf")


def _schemas_below(ctx: RuleContext, root: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, schema) of every object schema a value of the schema at `root` can hold:
    itself, and through `properties`, `items`, `additionalProperties`, `oneOf`/`anyOf`/`allOf`
    and `$ref`s (each schema once, so recursive trees such as a product's variants end)."""
    seen: set[str] = set()
    stack = [root]
    while stack:
        at = stack.pop()
        if at in seen or len(seen) > _MAX_SCHEMAS:
            continue
        seen.add(at)
        node = lookup(ctx.data, "#" + at)  # not resolved: a `$ref` moves `at` to its target
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            stack.append(ref[1:])
            continue
        yield at, node
        props = node.get("properties")
        for name in props if isinstance(props, dict) else {}:
            stack.append(jp.child(at, "properties", str(name)))
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                stack.append(jp.child(at, key))
        for key in _BRANCHES:
            branches = node.get(key)
            for i in range(len(branches) if isinstance(branches, list) else 0):
                stack.append(jp.child(at, key, i))


def _key_places(ctx: RuleContext) -> dict[str, str]:
    """Pointer of each property where a key may be declared -> the entity it belongs to: a
    property of an entity's attributes schema, or of an object nested in it (a product's
    vInventory leaves), never a status's or a schema no entity holds."""
    places: dict[str, str] = {}
    for decl in ctx.index.entities.values():
        ref = decl.schema_ref
        if decl.kind != "entity" or not isinstance(ref, str) or not ref.startswith("#/"):
            continue
        for at, schema in _schemas_below(ctx, ref[1:]):
            props = schema.get("properties")
            for name in props if isinstance(props, dict) else {}:
                places.setdefault(jp.child(at, "properties", str(name)), ".".join(decl.name))
    return places


def _types(schema: dict[str, Any]) -> set[str]:
    kinds = schema.get("type")
    if isinstance(kinds, str):
        return {kinds}
    return {str(k) for k in kinds} if isinstance(kinds, list) else set()


def check_unique_keys(ctx: RuleContext) -> list[Diagnostic]:
    places = _key_places(ctx)
    problems: list[Diagnostic] = []
    for at, holder in sorted(holders_of(ctx.data, cv.UNIQUE_EXTENSION), key=lambda found: found[0]):
        where = jp.child(at, cv.UNIQUE_EXTENSION)
        value = holder[cv.UNIQUE_EXTENSION]
        if not isinstance(value, bool):
            problems.append(
                ctx.spec.diagnostic(
                    where,
                    RULE,
                    f"{cv.UNIQUE_EXTENSION} must be true or false, not {value!r}",
                    f"Write `{cv.UNIQUE_EXTENSION}: true` on the property that is a business key",
                )
            )
            continue
        if not value:
            continue
        if at not in places:
            problems.append(
                ctx.spec.diagnostic(
                    where,
                    RULE,
                    f"{cv.UNIQUE_EXTENSION} is only for a property of an entity's attributes "
                    "schema (the x-thg-entity schema of a kind: entity) or of an object nested "
                    "in it",
                    "Move it onto the top-level property that is the key, e.g. "
                    "components/schemas/InventoryItem/properties/sku",
                )
            )
            continue
        resolved = ctx.resolve(holder)
        schema = resolved if isinstance(resolved, dict) else {}
        types = _types(schema) - {"null"}
        if schema.get("readOnly") is True or not types or not types <= _SCALARS:
            problems.append(
                ctx.spec.diagnostic(
                    where,
                    RULE,
                    f"a unique key of {places[at]} must be a written scalar (a string, integer, "
                    "number or boolean with its `type` declared, not readOnly)",
                    "Declare the key's type, or mark another property as the key",
                )
            )
    return problems
