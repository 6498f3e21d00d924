"""Schema rules: status states (THG023), reference fields (THG024), JSON:API responses
(THG030, THG031)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import conventions as cv
from .. import pointer as jp
from ..diagnostics import Diagnostic
from ..spec_index import operations
from .context import RuleContext

_JSON = "application/json"


def check_status_schemas(ctx: RuleContext) -> list[Diagnostic]:
    problems = []
    for name, entity in ctx.index.entities.items():
        if entity.kind != "status" or not entity.schema_ref:
            continue
        where = entity.schema_ref[1:]
        schema = ctx.resolve({"$ref": entity.schema_ref})
        if not isinstance(schema, dict) or not schema:
            continue

        def bad(at: str, message: str, hint: str) -> None:
            problems.append(ctx.spec.diagnostic(at, "THG023", message, hint))

        variants = schema.get("oneOf")
        discriminator = schema.get("discriminator")
        if not isinstance(variants, list) or not variants:
            bad(
                where,
                f"status {'.'.join(name)!r} is not a oneOf of its states",
                "Write 'oneOf' with one schema per state (CONVENTIONS §3)",
            )
            continue
        if not isinstance(discriminator, dict) or discriminator.get("propertyName") != "state":
            bad(
                where,
                "the status schema has no discriminator on 'state'",
                "Add 'discriminator: {propertyName: state, mapping: {…}}'",
            )
            continue
        mapping = discriminator.get("mapping")
        if not isinstance(mapping, dict) or not mapping:
            bad(
                jp.child(where, "discriminator"),
                "the discriminator has no mapping",
                "Map each state value to its schema",
            )
            continue
        variant_refs = {v.get("$ref") for v in variants if isinstance(v, dict)}
        for value, ref in mapping.items():
            at = jp.child(where, "discriminator", "mapping", value)
            if not cv.STATE_VALUE.fullmatch(value):
                bad(at, f"state {value!r} is not UPPER_SNAKE", "Write states like NOT_APPROVED")
            if ref not in variant_refs:
                bad(
                    at,
                    f"state {value!r} maps to {ref!r}, which is not one of the oneOf schemas",
                    "List the same schemas in oneOf and in the mapping",
                )
                continue
            state_schema = ctx.resolve({"$ref": ref})
            props = state_schema.get("properties", {}) if isinstance(state_schema, dict) else {}
            state_prop = ctx.resolve(props.get("state", {}))
            required = state_schema.get("required", []) if isinstance(state_schema, dict) else []
            if state_prop.get("const") != value or "state" not in required:
                bad(
                    str(ref)[1:],
                    f"state schema for {value!r} does not require state: const {value}",
                    f"Add 'state: {{const: {value}}}' to properties and 'state' to required",
                )
    return problems


def _walk_schemas(value: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        yield pointer, value
        for key, item in value.items():
            if key not in ("example", "examples", "default", "const", "enum"):
                yield from _walk_schemas(item, jp.child(pointer, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_schemas(item, jp.child(pointer, i))


def check_reference_fields(ctx: RuleContext) -> list[Diagnostic]:
    problems = []
    components = ctx.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    for where, node in _walk_schemas(schemas or {}, "/components/schemas"):
        if node.get("format") != cv.REFERENCE_FORMAT:
            continue
        targets = node.get(cv.REFERENCE_TO_EXTENSION)
        if targets is None:
            continue  # meta.reference and friends may name anything
        listed = targets if isinstance(targets, list) else [targets]
        for target in listed:
            if not isinstance(target, str) or target not in ctx.known_entity_types:
                problems.append(
                    ctx.spec.diagnostic(
                        jp.child(where, cv.REFERENCE_TO_EXTENSION),
                        "THG024",
                        f"reference target {target!r} is not an entity type of any spec",
                        "Name an entity type string such as document:document",
                    )
                )
    return problems


def _schema_of(ctx: RuleContext, response: Any) -> tuple[bool, Any]:
    response = ctx.resolve(response)
    content = response.get("content") if isinstance(response, dict) else None
    if not isinstance(content, dict) or not content:
        return False, None
    media = content.get(_JSON)
    if not isinstance(media, dict):
        return True, None
    return True, ctx.resolve(media.get("schema", {}))


def _has_member(ctx: RuleContext, schema: Any, member: str, depth: int = 0) -> bool:
    schema = ctx.resolve(schema)
    if not isinstance(schema, dict) or depth > 8:
        return False
    if member in (schema.get("properties") or {}):
        return True
    return any(_has_member(ctx, s, member, depth + 1) for s in schema.get("allOf", []) or [])


def check_responses(ctx: RuleContext) -> list[Diagnostic]:
    problems = []
    paths = ctx.data["paths"]
    for path, shape in ctx.index.shapes.items():
        if shape.kind in ("token", "malformed"):
            continue
        for method, op in operations(paths[path]):
            where = jp.join("paths", path, method, "responses")
            responses = op.get("responses")
            if not isinstance(responses, dict):
                continue
            has_error = False
            for status, response in responses.items():
                at = jp.child(where, status)
                has_body, schema = _schema_of(ctx, response)
                if status.startswith("2") and has_body:
                    if schema is None or not _has_member(ctx, schema, "data"):
                        problems.append(
                            ctx.spec.diagnostic(
                                at,
                                "THG030",
                                "the success response is not a JSON:API document with 'data'",
                                f"Serve {_JSON} with a schema whose properties include data",
                            )
                        )
                elif status[:1] in ("4", "5") or status == "default":
                    has_error = has_error or status.startswith("4")
                    if not has_body or schema is None or not _has_member(ctx, schema, "errors"):
                        problems.append(
                            ctx.spec.diagnostic(
                                at,
                                "THG031",
                                "the error response is not a JSON:API errors document",
                                "Reference #/components/schemas/ErrorsDocument",
                            )
                        )
            if not has_error:
                problems.append(
                    ctx.spec.diagnostic(
                        where,
                        "THG031",
                        "the operation declares no 4xx response",
                        "Declare at least 401 and 404 with the ErrorsDocument schema",
                    )
                )
    return problems
