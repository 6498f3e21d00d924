"""Walks the schemas reachable from entities and actions into model, field and variant nodes.

Two passes. `add_root`/`add_body` record which named schemas (models) are reached and in which
directions (read: returned to the user; write: sent by the user), following `$ref`s to a fixed
point so recursive schemas terminate. `finish` then emits each model once with the union of its
directions, and each field with its own: `readOnly` drops write, `writeOnly` drops read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from thg_spec import Product
from thg_spec.validation.refs import resolve

from .nodes import (
    READ,
    VALUE_FIELD,
    WRITE,
    FieldNode,
    Location,
    ModelNode,
    Surface,
    VariantNode,
)
from .shapes import SCHEMA_PREFIX, component_ref, schema_docs, shape_of


def component_name(pointer: str) -> str:
    """`/components/schemas/Widget` -> `Widget`; any other pointer -> ""."""
    return component_ref({"$ref": "#" + pointer}) if pointer else ""


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _filtered(schema: Any, target: Any, directions: frozenset[str]) -> frozenset[str]:
    flags = [s for s in (schema, target) if isinstance(s, dict)]
    if any(s.get("readOnly") is True for s in flags):
        directions = directions - {WRITE}
    if any(s.get("writeOnly") is True for s in flags):
        directions = directions - {READ}
    return directions


def _variant_labels(schema: dict[str, Any], members: list[Any]) -> list[str]:
    mapping = (schema.get("discriminator") or {}).get("mapping") or {}
    by_ref = {ref: value for value, ref in mapping.items()} if isinstance(mapping, dict) else {}
    labels = []
    for index, member in enumerate(members):
        ref = member.get("$ref") if isinstance(member, dict) else None
        labels.append(str(by_ref.get(ref) or component_ref(member) or f"#{index}"))
    return labels


class SchemaWalker:
    """Collects one product's models and fields into a surface."""

    def __init__(self, product: Product, surface: Surface) -> None:
        self.product = product
        self.document = product.document
        self.surface = surface
        self._directions: dict[str, frozenset[str]] = {}
        self._used_by: dict[str, set[str]] = {}
        self._union_roots: set[str] = set()
        self._bodies: list[tuple[Location, Any, str, frozenset[str]]] = []

    # pass 1: reachability
    def add_root(self, pointer: str, directions: frozenset[str], entity: str) -> None:
        name = component_name(pointer)
        if name:
            self._reach(name, directions, entity)
        else:
            self._reach_refs(self.product.resolve(pointer), directions, entity)

    def add_union_root(self, pointer: str, directions: frozenset[str], entity: str) -> None:
        """A status schema: its members are reported as the entity's states, not as variants."""
        self._union_roots.add(component_name(pointer))
        self.add_root(pointer, directions, entity)

    def add_body(
        self, operation: Location, pointer: str, side: str, directions: frozenset[str], entity: str
    ) -> None:
        """An action's request or response body, from `data.attributes` when it is a document."""
        if not pointer:
            return
        node: Any = {"$ref": "#" + pointer}
        for member in ("data", "attributes"):
            target = resolve(self.document, node)
            if isinstance(target, dict) and target.get("type") == "array":
                target = resolve(self.document, target.get("items", {}))
            properties = target.get("properties") if isinstance(target, dict) else None
            if not isinstance(properties, dict) or member not in properties:
                break
            node = properties[member]
        self._bodies.append((operation, node, side, directions))
        self._reach_refs(node, directions, entity)

    def _reach(self, name: str, directions: frozenset[str], entity: str) -> None:
        known = self._directions.get(name, frozenset())
        users = self._used_by.setdefault(name, set())
        if directions <= known and entity in users:
            return
        self._directions[name] = known | directions
        users.add(entity)
        schema = resolve(self.document, {"$ref": SCHEMA_PREFIX + name})
        self._reach_refs(schema, self._directions[name], entity)

    def _reach_refs(self, schema: Any, directions: frozenset[str], entity: str) -> None:
        if not isinstance(schema, dict):
            return
        name = component_ref(schema)
        if name:
            self._reach(name, directions, entity)
            return
        for child, via in _subschemas(schema):
            if via == "property":
                target = resolve(self.document, child)
                self._reach_refs(child, _filtered(child, target, directions), entity)
            else:
                self._reach_refs(child, directions, entity)

    # pass 2: nodes
    def finish(self) -> None:
        product = self.product.name
        for name in sorted(self._directions):
            here = Location(product, schema=name)
            schema = resolve(self.document, {"$ref": SCHEMA_PREFIX + name})
            self.surface[here] = ModelNode(
                location=here,
                parent=Location(product),
                used_by=frozenset(self._used_by[name]),
                docs=schema_docs(schema),
            )
            unions = name not in self._union_roots
            if _is_value_model(schema):
                # An enum or constrained scalar: its values are compared once, here.
                at = Location(product, schema=name, field=VALUE_FIELD)
                self.surface[at] = FieldNode(
                    location=at,
                    parent=here,
                    shape=replace(shape_of(schema, self.document), docs=()),
                    required=True,
                    directions=self._directions[name],
                )
            self._emit(schema, here, "", self._directions[name], variants=unions)
        for operation, node, side, directions in self._bodies:
            at = Location(product, operation.entity, operation.operation, field=side)
            self.surface[at] = FieldNode(
                location=at,
                parent=operation,
                shape=shape_of(node, self.document),
                required=True,
                directions=directions,
            )
            if not component_ref(node):
                self._emit(node, at, side, directions, variants=True)

    def _field(
        self, base: Location, path: str, schema: Any, required: bool, directions: frozenset[str]
    ) -> Location:
        at = Location(base.product, base.entity, base.operation, base.schema, path)
        self.surface[at] = FieldNode(
            location=at,
            parent=base,
            shape=shape_of(schema, self.document),
            required=required,
            directions=directions,
        )
        return at

    def _emit(
        self, schema: Any, base: Location, path: str, directions: frozenset[str], variants: bool
    ) -> None:
        """The fields inside `schema` (not the node itself), located under `base` at `path`."""
        if not isinstance(schema, dict) or component_ref(schema) and path:
            return  # a named model's fields are emitted under the model itself
        schema = resolve(self.document, schema)
        if not isinstance(schema, dict):
            return
        required = set(schema.get("required") or [])
        for prop, child in (schema.get("properties") or {}).items():
            target = resolve(self.document, child)
            own = _filtered(child, target, directions)
            at = self._field(base, _join(path, prop), child, prop in required, own)
            self._emit(child, at, at.field, own, variants=True)
        for key, suffix in (("items", "[]"), ("additionalProperties", "{}")):
            child = schema.get(key)
            if isinstance(child, dict):
                at = self._field(base, path + suffix, child, True, directions)
                self._emit(child, at, at.field, directions, variants=True)
        for member in schema.get("allOf") or []:
            self._emit(member, base, path, directions, variants)
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and variants:
                self._emit_union(schema, members, base, path, directions)

    def _emit_union(
        self,
        schema: dict[str, Any],
        members: list[Any],
        base: Location,
        path: str,
        directions: frozenset[str],
    ) -> None:
        solid = [m for m in members if resolve(self.document, m) != {"type": "null"}]
        if len(solid) == 1:  # a nullable X: the field's shape already says so
            self._emit(solid[0], base, path, directions, variants=True)
            return
        for label, member in zip(_variant_labels(schema, members), members, strict=True):
            field = f"{path}[{label}]"
            at = Location(base.product, base.entity, base.operation, base.schema, field)
            self.surface[at] = VariantNode(location=at, parent=base, model=component_ref(member))
            if not component_ref(member):
                self._emit(member, at, field, directions, variants=True)


def _is_value_model(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    shaped = ("properties", "additionalProperties", "items", "oneOf", "anyOf", "allOf")
    return not any(key in schema for key in shaped) and schema.get("type") not in (
        "object",
        "array",
    )


def _subschemas(schema: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    for child in (schema.get("properties") or {}).values():
        yield child, "property"
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield schema[key], key
    for key in ("allOf", "oneOf", "anyOf"):
        for member in schema.get(key) or []:
            yield member, key
