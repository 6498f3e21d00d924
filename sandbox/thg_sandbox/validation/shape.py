"""Walk request attributes beside their schema: unknown members, read-only members, references.

CONVENTIONS §6: unknown attributes are a 422 (the specs say so with `additionalProperties: false`
on request attribute objects, and a spec that leaves one open is still held to it here) and
`readOnly` ones are ignored; one walk reports each unknown member as its own field error, drops
the read-only ones and finds the reference fields that must name existing entities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from thg_spec.conventions import REFERENCE_FORMATS

from .schemas import SchemaSet

# Deep enough for any real document, small enough that a hostile one cannot exhaust the stack.
MAX_DEPTH = 48


@dataclass(frozen=True)
class ReferenceField:
    path: tuple[str | int, ...]
    value: str
    targets: tuple[str, ...]  # entity type strings it may name


@dataclass
class ShapeReport:
    unknown: list[tuple[str | int, ...]] = field(default_factory=list)
    too_deep: list[tuple[str | int, ...]] = field(default_factory=list)
    references: list[ReferenceField] = field(default_factory=list)


def _is_read_only(schemas: SchemaSet, raw: Any) -> bool:
    # In OpenAPI 3.1 `readOnly` may sit beside a $ref or inside its target.
    return bool(
        isinstance(raw, dict) and (raw.get("readOnly") or schemas.deref(raw).get("readOnly"))
    )


def _branches(schemas: SchemaSet, schema: dict[str, Any], value: dict[str, Any]) -> list[Any]:
    """The sub-schemas whose members an object may have."""
    found: list[Any] = [schema]
    for sub in schema.get("allOf", []):
        found.extend(_branches(schemas, schemas.deref(sub), value))
    choice = schema.get("oneOf") or schema.get("anyOf")
    if choice:
        disc = schema.get("discriminator") or {}
        mapping = disc.get("mapping") or {}
        named = value.get(disc.get("propertyName", ""))
        # Only a string can name a state: `{}` or `[]` there is a schema error, not a look-up.
        chosen = mapping.get(named) if isinstance(named, str) else None
        options = [{"$ref": chosen}] if isinstance(chosen, str) else choice
        for sub in options:
            found.extend(_branches(schemas, schemas.deref(sub), value))
    return found


def members_of(schemas: SchemaSet, schema: Any, value: dict[str, Any]) -> dict[str, Any] | None:
    """Declared members by name, or None when the object is open to any member."""
    members: dict[str, Any] = {}
    declared = False
    for branch in _branches(schemas, schema, value):
        if not isinstance(branch, dict):
            continue
        extra = branch.get("additionalProperties")
        if branch.get("patternProperties") or (extra is not None and extra is not False):
            return None
        props = branch.get("properties")
        if isinstance(props, dict):
            declared = True
            for name, sub in props.items():
                members.setdefault(name, sub)
    return members if declared else None


def walk(
    schemas: SchemaSet,
    raw_schema: Any,
    value: Any,
    path: tuple[str | int, ...],
    report: ShapeReport,
) -> Any:
    """`value` without read-only members; unknown members and references go to `report`."""
    if len(path) > MAX_DEPTH:
        report.too_deep.append(path)
        return value
    schema = schemas.deref(raw_schema)
    if not isinstance(schema, dict):
        return value
    if isinstance(value, str) and schema.get("format") in REFERENCE_FORMATS:
        targets = raw_schema.get("x-thg-reference-to") if isinstance(raw_schema, dict) else None
        targets = targets or schema.get("x-thg-reference-to")
        if isinstance(targets, list) and targets:
            report.references.append(ReferenceField(path, value, tuple(map(str, targets))))
        return value
    if isinstance(value, dict):
        members = members_of(schemas, schema, value)
        if members is None:
            return value
        kept: dict[str, Any] = {}
        for name, item in value.items():
            if name not in members:
                report.unknown.append((*path, name))
            elif not _is_read_only(schemas, members[name]):
                kept[name] = walk(schemas, members[name], item, (*path, name), report)
        return kept
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [walk(schemas, schema["items"], v, (*path, i), report) for i, v in enumerate(value)]
    return value
