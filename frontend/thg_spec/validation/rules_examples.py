"""Examples (THG070): every media-type example validates against its schema.

Examples become docstrings and the API reference, so a wrong one teaches users the wrong thing.
Formats are annotations here (JSON Schema's default): `meta.createdAt` is documented without a zone
(CONVENTIONS §7), which a strict `date-time` check would refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from .. import pointer as jp
from ..diagnostics import Diagnostic
from ..spec_index import operations
from .context import RuleContext

_MAX_PER_EXAMPLE = 3
_BASE = "urn:thg-connect:spec"


def _media_types(ctx: RuleContext) -> Iterator[tuple[str, dict[str, Any]]]:
    paths = ctx.data["paths"]
    for path in paths:
        for method, op in operations(paths[path]):
            here = jp.join("paths", path, method)
            body = op.get("requestBody")
            if isinstance(body, dict):
                yield from _content(
                    ctx, _located(jp.child(here, "requestBody"), body), ctx.resolve(body)
                )
            responses = op.get("responses")
            for status, response in (responses if isinstance(responses, dict) else {}).items():
                at = _located(jp.child(here, "responses", status), response)
                resolved = ctx.resolve(response)
                if isinstance(resolved, dict):
                    yield from _content(ctx, at, resolved)


def _located(at: str, value: Any) -> str:
    """Where the value really is: a component it refers to, or `at` itself."""
    ref = value.get("$ref") if isinstance(value, dict) else None
    return ref[1:] if isinstance(ref, str) and ref.startswith("#/") else at


def _content(
    ctx: RuleContext, at: str, holder: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    content = holder.get("content")
    for media, value in (content if isinstance(content, dict) else {}).items():
        if isinstance(value, dict) and "schema" in value:
            yield jp.child(at, "content", media), value


def _examples(media_pointer: str, media: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    if "example" in media:
        yield jp.child(media_pointer, "example"), media["example"]
    examples = media.get("examples")
    for name, example in (examples if isinstance(examples, dict) else {}).items():
        if isinstance(example, dict) and "value" in example:
            yield jp.child(media_pointer, "examples", name, "value"), example["value"]


def check_examples(ctx: RuleContext) -> list[Diagnostic]:
    # The whole document is one resource, so a schema's internal refs resolve as written.
    registry: Registry[Any] = Registry().with_resource(
        _BASE, Resource.from_contents(ctx.data, default_specification=DRAFT202012)
    )
    problems: list[Diagnostic] = []
    checked: set[str] = set()
    for media_pointer, media in _media_types(ctx):
        for where, example in _examples(media_pointer, media):
            if where in checked:  # a shared component response is reached from many operations
                continue
            checked.add(where)
            schema = {"$ref": _BASE + "#" + jp.child(media_pointer, "schema")}
            validator = Draft202012Validator(schema, registry=registry)
            try:
                errors = sorted(validator.iter_errors(example), key=lambda e: list(e.absolute_path))
            except Unresolvable:
                continue  # a dangling $ref: THG002 reports it where it is written

            for error in errors[:_MAX_PER_EXAMPLE]:
                inside = jp.from_path(error.absolute_path)
                message = " ".join(error.message.split())
                if len(message) > 160:
                    message = message[:159] + "…"
                problems.append(
                    ctx.spec.diagnostic(
                        jp.child(where, *jp.split(inside)) if inside else where,
                        "THG070",
                        f"example does not match its schema at {inside or '/'}: {message}",
                        "Correct the example or the schema",
                    )
                )
    return problems
