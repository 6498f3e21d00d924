"""Schema rules: status states (THG023), reference fields (THG024), values the client can hold
(THG027), JSON:API responses (THG030, THG031)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Union

from .. import conventions as cv
from .. import pointer as jp
from ..diagnostics import Diagnostic, Severity
from ..spec_index import operations
from .context import RuleContext
from .regex_compat import OLDEST_PYTHON, newer_syntax

_JSON = "application/json"


def check_status_schemas(ctx: RuleContext) -> list[Diagnostic]:
    if ctx.index.dialect == "published":
        # A published status lists its states at GET …/_values, not in its schema: the client
        # models its attributes as they are and reads the states at run time.
        return []
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
        mapped = set(mapping.values())
        for i, variant in enumerate(variants):
            ref = variant.get("$ref") if isinstance(variant, dict) else None
            if ref in mapped:
                continue
            at = jp.child(where, "oneOf", i)
            if not isinstance(ref, str):
                bad(
                    at,
                    "this state schema is written inline, so the mapping cannot name it",
                    "Move it to components.schemas and map its state value to it",
                )
                continue
            const = _state_const(ctx, ref)
            bad(
                at,
                f"the state schema {ref!r} has no entry in the discriminator mapping, so the "
                "client would not know its state",
                f"Add '{const or '<STATE>'}: {ref!r}' to discriminator.mapping",
            )
        for value, ref in mapping.items():
            at = jp.child(where, "discriminator", "mapping", value)
            if not cv.STATE_VALUE.fullmatch(value):
                better = cv.suggestion(value, cv.as_upper_snake(value), cv.STATE_VALUE)
                bad(
                    at,
                    f"state {value!r} is not UPPER_SNAKE",
                    f"Write it {better}" if better else "Write states like NOT_APPROVED",
                )
            if ref not in variant_refs:
                bad(
                    at,
                    f"state {value!r} maps to {ref!r}, which is not one of the oneOf schemas",
                    "List the same schemas in oneOf and in the mapping",
                )
                continue
            if not cv.STATE_VALUE.fullmatch(value):
                continue  # the const check would propose the value just rejected
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


def _state_const(ctx: RuleContext, ref: str) -> str | None:
    schema = ctx.resolve({"$ref": ref})
    props = schema.get("properties") if isinstance(schema, dict) else None
    state = ctx.resolve(props.get("state")) if isinstance(props, dict) else None
    const = state.get("const") if isinstance(state, dict) else None
    return const if isinstance(const, str) else None


# Keywords whose value is one subschema, a list of them, or a map of names to them (JSON Schema
# 2020-12 applicators). Everything else in a schema is data (enum, const, default, examples…).
_ONE = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "$defs", "dependentSchemas")


SchemaPath = tuple[Union[str, int], ...]  # a runtime alias: no `X | Y` before 3.10


def _walk_schema(
    value: dict[str, Any], path: SchemaPath
) -> Iterator[tuple[SchemaPath, dict[str, Any]]]:
    # Paths stay tuples: a pointer string is built only for a schema that has a problem (building
    # one per schema was a third of validating a 300-entity spec).
    yield path, value
    for key in _ONE:
        sub = value.get(key)
        if isinstance(sub, dict):
            yield from _walk_schema(sub, (*path, key))
    for key in _LIST:
        items = value.get(key)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict):
                yield from _walk_schema(item, (*path, key, i))
    for key in _MAP:
        members = value.get(key)
        for name, item in (members.items() if isinstance(members, dict) else ()):
            if isinstance(item, dict):
                yield from _walk_schema(item, (*path, key, name))


def _all_schemas(value: Any, path: SchemaPath = ()) -> Iterator[tuple[SchemaPath, dict[str, Any]]]:
    """Every schema written in the document, each once where it is written (refs not followed):
    components.schemas and every `schema` of a parameter, header or media type. Examples and
    extensions are data, never entered."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "schema":
                if isinstance(item, dict):
                    yield from _walk_schema(item, (*path, key))
            elif path == ("components",) and key == "schemas":
                for name, schema in (item.items() if isinstance(item, dict) else ()):
                    if isinstance(schema, dict):
                        yield from _walk_schema(schema, (*path, key, name))
            elif key not in ("example", "examples") and not str(key).startswith("x-"):
                yield from _all_schemas(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _all_schemas(item, (*path, i))


def check_written_schemas(ctx: RuleContext) -> list[Diagnostic]:
    """THG024's reference markers and THG027's values, over every schema written in the
    document: one walk for both."""
    problems: list[Diagnostic] = []
    for path, node in _all_schemas(ctx.data):
        if cv.REFERENCE_TO_EXTENSION in node or node.get("format") in cv.REFERENCE_FORMATS:
            problems.extend(_reference_marker_problems(ctx, jp.from_path(path), node))
        if "enum" in node or "const" in node or "pattern" in node:
            problems.extend(_value_problems(ctx, jp.from_path(path), node))
    return problems


def _reference_marker_problems(
    ctx: RuleContext, where: str, node: dict[str, Any]
) -> list[Diagnostic]:
    problems = []
    targets = node.get(cv.REFERENCE_TO_EXTENSION)
    if node.get("format") not in cv.REFERENCE_FORMATS:
        return [
            ctx.spec.diagnostic(
                jp.child(where, cv.REFERENCE_TO_EXTENSION),
                "THG024",
                f"{cv.REFERENCE_TO_EXTENSION} without 'format: {cv.REFERENCE_FORMAT}': "
                "the client would treat the field as a plain string",
                f"Add 'format: {cv.REFERENCE_FORMAT}' beside it (a reference carries "
                "both markers)",
            )
        ]
    if targets is None:
        return []  # meta.reference and friends may name anything (CONVENTIONS §3)
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


_JSON_TYPES = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
    (type(None), "null"),
)
# What YAML 1.1 (PyYAML) reads as true, false or null when unquoted.
_YAML_WORDS = re.compile(
    r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|"
)


def _json_type(value: Any) -> str:
    return next(name for kind, name in _JSON_TYPES if isinstance(value, kind))


def _source_text(ctx: RuleContext, pointer: str, value: Any) -> str:
    """The value as written in the file (`YES`, `on`), or as JSON when it cannot be found."""
    position = ctx.spec.positions.get(pointer)
    lines = ctx.spec.text.splitlines()
    if position is not None and 0 < position.line <= len(lines):
        written = re.match(r"[^,\]}#\n]*", lines[position.line - 1][position.column - 1 :])
        text = written.group(0).strip() if written else ""
        key = jp.split(pointer)[-1] if pointer else ""
        text = re.sub(rf"^['\"]?{re.escape(key)}['\"]?\s*:\s*", "", text) if key else text
        if text and not text.startswith(("[", "{", "'", '"')):
            return text
    return json.dumps(value)


def _declared_types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    return {t for t in declared if isinstance(t, str)} if isinstance(declared, list) else set()


def _member_problem(
    ctx: RuleContext, at: str, value: Any, declared: set[str], in_strings: bool
) -> Diagnostic | None:
    """A member of a string enum (or a string const) that is not a string."""
    kind = _json_type(value)
    if kind == "string" or kind in declared or (kind == "integer" and "number" in declared):
        return None
    text = _source_text(ctx, at, value)
    word = isinstance(value, (bool, type(None))) and _YAML_WORDS.fullmatch(text) is not None
    if not in_strings and not (word and text.lower() not in ("true", "false", "null")):
        return None  # e.g. a boolean enum [true, false]: meant as written
    if word:
        return ctx.spec.diagnostic(
            at,
            "THG027",
            f"{text} loads as {json.dumps(value)}, not as the string {text!r}: YAML reads an "
            "unquoted yes, no, on, off or null as a boolean or null",
            f"Quote it: '{text}'",
        )
    quoted = f"Quote it: '{text}'" if kind in ("integer", "number") else "Write it as a string"
    article = "an" if kind in ("integer", "array", "object") else "a"
    return ctx.spec.diagnostic(
        at, "THG027", f"{text} is {article} {kind} where the schema says string", quoted
    )


def _value_problems(ctx: RuleContext, where: str, node: dict[str, Any]) -> list[Diagnostic]:
    """THG027: a string enum holds strings only, and a pattern compiles on the oldest Python the
    generated client supports."""
    problems: list[Diagnostic] = []
    declared = _declared_types(node)
    enum = node.get("enum")
    if isinstance(enum, list):
        strings = "string" in declared or (not declared and any(isinstance(v, str) for v in enum))
        for i, value in enumerate(enum):
            found = _member_problem(ctx, jp.child(where, "enum", i), value, declared, strings)
            if found:
                problems.append(found)
    if "const" in node and "string" in declared:
        found = _member_problem(ctx, jp.child(where, "const"), node["const"], declared, True)
        if found:
            problems.append(found)
    pattern = node.get("pattern")
    problem = newer_syntax(pattern) if isinstance(pattern, str) else None
    if problem:
        problems.append(
            ctx.spec.diagnostic(
                jp.child(where, "pattern"),
                "THG027",
                f"the pattern {pattern!r} does not compile on Python {OLDEST_PYTHON}, the oldest "
                f"the generated client supports: {problem}",
                f"Write it for Python {OLDEST_PYTHON}'s re: 'a+' for 'a++', '(?:…)' for '(?>…)'",
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


def _error_document(ctx: RuleContext, schema: Any, published: bool) -> bool:
    """A JSON:API errors document; in a published document also FastAPI's validation error
    (`{"detail": [...]}`), which the runtime reads as it reads the 4xx JSON:API errors."""
    if _has_member(ctx, schema, "errors"):
        return True
    return published and _has_member(ctx, schema, "detail")


def _error_problem(
    ctx: RuleContext, at: str, has_body: bool, schema: Any, published: bool
) -> Diagnostic | None:
    if published:
        # The platform declares most errors with a description only, and the runtime raises by
        # status whatever the body: a missing body is fine there, an odd one worth a warning.
        if not has_body or (schema is not None and _error_document(ctx, schema, True)):
            return None
        found = ctx.spec.diagnostic(
            at,
            "THG031",
            "the error response is neither a JSON:API errors document nor FastAPI's validation "
            "error: the client raises by status and keeps the body as it came",
            "Answer {errors: [...]} (or FastAPI's {detail: [...]}) so the client can show each "
            "error",
        )
        return replace(found, severity=Severity.WARNING)
    if not has_body or schema is None or not _error_document(ctx, schema, False):
        return ctx.spec.diagnostic(
            at,
            "THG031",
            "the error response is not a JSON:API errors document",
            "Reference #/components/schemas/ErrorsDocument",
        )
    return None


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
            has_error = published = ctx.index.dialect == "published"
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
                    found = _error_problem(ctx, at, has_body, schema, published)
                    if found:
                        problems.append(found)
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
