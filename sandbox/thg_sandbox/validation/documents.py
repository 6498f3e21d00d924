"""A request document (`{"data": {"type", "id"?, "attributes"}}`) read and its attributes checked.

Every failing field becomes its own error object, pointed at `/data/attributes/<path>`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import ApiError, ErrorObject, bad_request, field_error, unprocessable
from .messages import field_errors, field_name
from .schemas import SchemaSet
from .shape import ReferenceField, ShapeReport, walk

MAX_ERRORS = 100  # one per field, but a 10 000-line request must not produce a 10 MB answer


def pointer_of(path: tuple[str | int, ...], base: str = "/data/attributes") -> str:
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in path)
    return "/".join([base, *escaped]) if path else base


def read_request_document(body: bytes, type_string: str) -> dict[str, Any]:
    """The request's `data` member, with `type` checked and `attributes` an object."""
    if not body.strip():
        raise bad_request("MalformedRequest", "The request needs a JSON:API document body.")
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        where = (
            f" (line {exc.lineno}, column {exc.colno})"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise bad_request("MalformedJson", f"The request body is not valid JSON{where}.") from None
    if not isinstance(doc, dict):
        raise bad_request("MalformedRequest", "The request body must be a JSON object.")
    data = doc.get("data")
    if not isinstance(data, dict):
        raise unprocessable([field_error("/data", "data must be a resource object")])
    problems: list[ErrorObject] = []
    if data.get("type") != type_string:
        problems.append(field_error("/data/type", f"type must be {type_string!r}"))
    if "id" in data and not isinstance(data["id"], str):
        problems.append(field_error("/data/id", "id must be a string"))
    # Every request schema requires `attributes` (CONVENTIONS §6), even when all are optional.
    if "attributes" not in data:
        problems.append(field_error("/data/attributes", "attributes is required"))
    elif not isinstance(data["attributes"], dict):
        problems.append(field_error("/data/attributes", "attributes must be an object"))
    if problems:
        raise unprocessable(problems)
    return data


@dataclass(frozen=True)
class AttributesCheck:
    attributes: dict[str, Any]  # as stored: read-only members dropped
    errors: list[ErrorObject]
    references: list[ReferenceField]


def check_attributes(
    schemas: SchemaSet, pointer: str, attributes: dict[str, Any]
) -> AttributesCheck:
    """Validate against the schema at `pointer`; unknown members are errors too."""
    report = ShapeReport()
    kept = walk(schemas, {"$ref": "#" + pointer}, attributes, (), report)
    errors: dict[str, ErrorObject] = {}
    for path in report.unknown:
        where = pointer_of(path)
        errors.setdefault(where, field_error(where, f"{field_name(path)} is not a known attribute"))
    for path in report.too_deep:
        where = pointer_of(path)
        errors.setdefault(where, field_error(where, f"{field_name(path)} is nested too deeply"))
    if not report.too_deep:
        found = schemas.validator(pointer).iter_errors(kept)
        for path, detail in field_errors(found):
            where = pointer_of(path)
            errors.setdefault(where, field_error(where, detail))
            if len(errors) >= MAX_ERRORS:
                break
    return AttributesCheck(kept, list(errors.values())[:MAX_ERRORS], report.references)


def raise_if_errors(errors: list[ErrorObject]) -> None:
    if errors:
        raise ApiError(422, errors)
