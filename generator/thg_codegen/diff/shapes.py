"""The observable shape of one JSON schema node: types, nullability, enum, constraints, docs.

A shape is what the generated client turns into a Python type and pydantic constraints; docs
(description, title, examples) are kept apart so that a docs-only edit is told from a real one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from thg_spec.validation.refs import resolve

Docs = tuple[tuple[str, str], ...]
Constraint = tuple[str, Any]

SCHEMA_PREFIX = "#/components/schemas/"
REFERENCE_TO = "x-thg-reference-to"  # the entity types a reference field may name
# Formats the generated client maps to their own Python types (the rest stay `str`).
TYPED_FORMATS = ("date-time", "date", "thg-reference", "reference")
_DOC_KEYS = ("title", "description", "examples", "example", "deprecated")
# Bounds whose raising narrows what is allowed; the rest narrow when lowered.
LOWER_LIMITS = ("minLength", "minItems", "minProperties")
UPPER_LIMITS = ("maxLength", "maxItems", "maxProperties")


@dataclass(frozen=True)
class FieldShape:
    types: tuple[str, ...]  # JSON types without "null"; () means any
    nullable: bool
    model: str = ""  # the component schema it refers to, when it is a named model
    format: str = ""
    enum: tuple[str, ...] | None = None  # JSON texts of the allowed values (null excluded)
    const: str | None = None
    default: str | None = None
    constraints: tuple[Constraint, ...] = ()
    docs: Docs = ()

    def constraint(self, name: str) -> Any:
        return dict(self.constraints).get(name)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def docs_of(**values: Any) -> Docs:
    """Docs from named texts, skipping empty ones; values kept as JSON text to compare."""
    return tuple(
        (key, value if isinstance(value, str) else _json(value))
        for key, value in values.items()
        if value not in ("", None)
    )


def schema_docs(schema: Any) -> Docs:
    if not isinstance(schema, dict):
        return ()
    return docs_of(**{key: schema.get(key) for key in _DOC_KEYS})


def component_ref(schema: Any) -> str:
    """The component name a `$ref` node points at directly, or ""."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref: str = schema["$ref"]
        if ref.startswith(SCHEMA_PREFIX) and "/" not in ref[len(SCHEMA_PREFIX) :]:
            return ref[len(SCHEMA_PREFIX) :]
    return ""


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _types(schema: dict[str, Any]) -> tuple[set[str], bool]:
    declared = schema.get("type")
    if isinstance(declared, str):
        found = {declared}
    elif isinstance(declared, list):
        found = {str(t) for t in declared}
    elif "const" in schema:
        found = {_json_type(schema["const"])}
    elif isinstance(schema.get("enum"), list):
        found = {_json_type(v) for v in schema["enum"]}
    elif "properties" in schema or "additionalProperties" in schema:
        found = {"object"}
    elif "items" in schema:
        found = {"array"}
    elif "oneOf" in schema or "anyOf" in schema:
        found = {"union"}
    else:
        found = set()
    nullable = "null" in found or schema.get("nullable") is True
    return found - {"null"}, nullable


def _bound(schema: dict[str, Any], inclusive: str, exclusive: str) -> tuple[Any, bool] | None:
    """A numeric bound as (value, exclusive); the tighter one when both keywords are present."""
    options: list[tuple[Any, bool]] = []
    if isinstance(schema.get(inclusive), (int, float)):
        options.append((schema[inclusive], False))
    if isinstance(schema.get(exclusive), (int, float)) and not isinstance(
        schema.get(exclusive), bool
    ):
        options.append((schema[exclusive], True))
    if not options:
        return None
    lower = inclusive == "minimum"
    # A larger minimum (or, at equal values, an exclusive one) is the tighter lower bound.
    return max(options) if lower else min(options, key=lambda b: (b[0], not b[1]))


def _constraints(schema: dict[str, Any]) -> tuple[Constraint, ...]:
    found: dict[str, Any] = {}
    lower = _bound(schema, "minimum", "exclusiveMinimum")
    upper = _bound(schema, "maximum", "exclusiveMaximum")
    if lower is not None:
        found["minimum"] = lower
    if upper is not None:
        found["maximum"] = upper
    for key in (*LOWER_LIMITS, *UPPER_LIMITS, "pattern", "multipleOf"):
        if key in schema:
            found[key] = schema[key]
    if schema.get("uniqueItems") is True:
        found["uniqueItems"] = True
    if schema.get("additionalProperties") is False:
        found["additionalProperties"] = False
    targets = schema.get(REFERENCE_TO)
    if isinstance(targets, (str, list)):
        found[REFERENCE_TO] = tuple(sorted([targets] if isinstance(targets, str) else targets))
    return tuple(sorted(found.items()))


def _null_member(member: Any, document: Any) -> bool:
    target = resolve(document, member)
    return isinstance(target, dict) and target.get("type") == "null"


def shape_of(schema: Any, document: Any) -> FieldShape:
    """The shape of a schema node as written at its use site (a `$ref` names its model)."""
    if not isinstance(schema, dict):
        return FieldShape(types=(), nullable=False)
    wrapper_docs = schema_docs(schema)
    nullable_union = False
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list) and any(_null_member(m, document) for m in members):
            others = [m for m in members if not _null_member(m, document)]
            if len(others) == 1:  # `oneOf: [X, {type: 'null'}]` is a nullable X
                inner = shape_of(others[0], document)
                return FieldShape(**{**vars(inner), "nullable": True, "docs": wrapper_docs})
            nullable_union = True
    model = component_ref(schema)
    if model:
        # A named model's own enum and constraints belong to the model and are compared there
        # once; at the use site only its type and the siblings of the $ref (3.1) count.
        target = resolve(document, schema)
        target_types, target_nullable = _types(target if isinstance(target, dict) else {})
        own = {k: v for k, v in schema.items() if k != "$ref"}
        types, nullable = _types(own) if "type" in own else (target_types, target_nullable)
    else:
        own = schema
        types, nullable = _types(own)
    enum = own.get("enum")
    return FieldShape(
        types=tuple(sorted(types)),
        nullable=nullable or nullable_union or ("enum" in own and None in (enum or [])),
        model=model,
        format=_same_format(str(own.get("format", ""))),
        enum=(
            tuple(sorted(_json(v) for v in enum if v is not None))
            if isinstance(enum, list)
            else None
        ),
        const=_json(own["const"]) if "const" in own else None,
        default=_json(own["default"]) if "default" in own else None,
        constraints=_constraints(own),
        docs=wrapper_docs if model else schema_docs(own),
    )


def _same_format(name: str) -> str:
    """Formats that give a field the same Python type read as one: `reference` (the published
    documents' name) and `thg-reference` are both a `Reference`."""
    return "thg-reference" if name == "reference" else name
