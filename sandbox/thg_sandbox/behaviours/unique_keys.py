"""Business keys unique per owner (CONVENTIONS §3): a clash is a 422 on that field, not a 409.

A spec declares its keys with `x-thg-unique: true` on a property of an entity's attributes schema,
or of an object nested in it (THG028 validates where): a product's vInventory leaves, wherever
they sit in its variant tree, each carry a `sku` unique across all the owner's products. Every
key any served spec declares is enforced, none is hard-coded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Tuple, Union

from starlette.routing import BaseRoute

from thg_spec import Product
from thg_spec.conventions import UNIQUE_EXTENSION

from ..errors import ErrorObject, field_error
from ..hooks import AttributeRule, RuleContext
from ..validation import SchemaSet
from ..validation.documents import pointer_of

if TYPE_CHECKING:
    from ..app import Sandbox

MAX_DEPTH = 64  # request values are bounded by the schema check; stored ones by the same
BRANCHES = ("oneOf", "anyOf", "allOf")
Path = Tuple[Union[str, int], ...]


@dataclass(frozen=True)
class KeyValue:
    path: Path  # where in the attributes, e.g. ("variants", 0, "variants", 1, "sku")
    value: str | int | float | bool

    @property
    def field(self) -> str:
        return str(self.path[-1])


def _is_key(raw: Any, schema: Any) -> bool:
    return any(isinstance(s, dict) and s.get(UNIQUE_EXTENSION) is True for s in (raw, schema))


def keys_in(schemas: SchemaSet, schema: Any, value: Any, path: Path = ()) -> Iterator[KeyValue]:
    """Every value of `value` that sits where `schema` (followed through properties, items,
    additionalProperties, oneOf/anyOf/allOf and `$ref`s) marks a unique key; each place once."""
    seen: set[Path] = set()
    for found in _walk(schemas, schema, value, path, 0):
        if found.path not in seen:
            seen.add(found.path)
            yield found


def _walk(schemas: SchemaSet, raw: Any, value: Any, path: Path, depth: int) -> Iterator[KeyValue]:
    schema = schemas.deref(raw)
    if depth > MAX_DEPTH or not isinstance(schema, dict):
        return
    for key in BRANCHES:
        branches = schema.get(key)
        for branch in branches if isinstance(branches, list) else ():
            yield from _walk(schemas, branch, value, path, depth + 1)
    if isinstance(value, dict):
        props = schema.get("properties")
        props = props if isinstance(props, dict) else {}
        for name, member in props.items():
            if name not in value:
                continue
            held = value[name]
            if _is_key(member, schemas.deref(member)):
                if isinstance(held, (str, int, float, bool)):
                    yield KeyValue((*path, name), held)
            else:
                yield from _walk(schemas, member, held, (*path, name), depth + 1)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for name, held in value.items():
                if name not in props:
                    yield from _walk(schemas, extra, held, (*path, name), depth + 1)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, held in enumerate(value):
            yield from _walk(schemas, schema["items"], held, (*path, i), depth + 1)


def _unique(schemas: SchemaSet, pointer: str) -> AttributeRule:
    root = {"$ref": "#" + pointer}

    def taken(ctx: RuleContext, key: KeyValue) -> bool:
        """Whether another entity of this type and owner holds `key`'s value at a key place."""
        # The stored text holds the value exactly as this encodes it (the store's own settings),
        # so `instr` skips, without parsing them, the rows that cannot hold it.
        text = json.dumps(key.value, separators=(",", ":"), ensure_ascii=False)
        rows = ctx.conn.execute(
            "SELECT DISTINCT r.attributes FROM resources AS r, json_tree(r.attributes) AS t "
            "WHERE r.entity = ? AND r.owner = ? AND r.id != ? AND instr(r.attributes, ?) > 0 "
            "AND t.key = ? AND t.atom = ?",
            (ctx.entity.type_string, ctx.owner, ctx.resource_id or "", text, key.field, key.value),
        ).fetchall()
        for row in rows:
            stored = json.loads(row["attributes"])
            if any(
                (found.field, found.value) == (key.field, key.value)
                for found in keys_in(schemas, root, stored)
            ):
                return True
        return False

    def rule(ctx: RuleContext) -> list[ErrorObject]:
        errors: list[ErrorObject] = []
        first: dict[tuple[str, str], Path] = {}
        for key in keys_in(schemas, root, ctx.attributes):
            twice = (key.field, json.dumps(key.value))
            if twice in first:
                errors.append(
                    field_error(
                        pointer_of(key.path),
                        f"{key.field} {key.value!r} is used twice in this "
                        f"{ctx.entity.name[-1]}: also at {pointer_of(first[twice])}",
                    )
                )
                continue
            first[twice] = key.path
            if taken(ctx, key):
                errors.append(
                    field_error(
                        pointer_of(key.path),
                        f"{key.field} {key.value!r} is already used by another "
                        f"{ctx.entity.name[-1]} of {ctx.owner}",
                    )
                )
        return errors

    return rule


def unique_keys(product: Product, schemas: SchemaSet) -> dict[str, list[str]]:
    """Entity type string -> the key fields its spec marks `x-thg-unique: true`, wherever they
    sit in the entity's attributes (top level or nested)."""
    found: dict[str, list[str]] = {}
    for entity in product.entities:
        if entity.kind != "entity":
            continue
        names = sorted(_marked_fields(schemas, entity.schema))
        if names:
            found[entity.type_string] = names
    return found


def _marked_fields(schemas: SchemaSet, pointer: str) -> set[str]:
    """The names of the marked properties of every object schema reachable from `pointer`."""
    names: set[str] = set()
    seen: set[int] = set()
    stack: list[Any] = [{"$ref": "#" + pointer}]
    while stack:
        schema = schemas.deref(stack.pop())
        if not isinstance(schema, dict) or id(schema) in seen or len(seen) > 10_000:
            continue
        seen.add(id(schema))
        props = schema.get("properties")
        for name, member in (props if isinstance(props, dict) else {}).items():
            if _is_key(member, schemas.deref(member)):
                names.add(str(name))
            else:
                stack.append(member)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                stack.append(schema[key])
        for key in BRANCHES:
            branches = schema.get(key)
            stack.extend(branches if isinstance(branches, list) else ())
    return names


def install_unique_keys(sandbox: Sandbox) -> Sequence[BaseRoute]:
    for product in sandbox.products:
        schemas = sandbox.service.schemas[product.name]
        for entity in product.entities:
            if entity.kind == "entity" and _marked_fields(schemas, entity.schema):
                sandbox.service.add_rule(entity.type_string, _unique(schemas, entity.schema))
    return ()
