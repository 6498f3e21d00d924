"""jsonschema errors as one readable sentence per field ("mass_g must be greater than 0")."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

_TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "a boolean (true or false)",
    "object": "an object",
    "array": "an array",
    "null": "null",
}
_FORMAT_NAMES = {
    "date-time": "an ISO 8601 date-time such as 2026-02-11T00:00:00+00:00",
    "date": "a date such as 2026-02-11",
    "email": "an email address",
    "uri": "an absolute URI",
    "thg-reference": "a reference string such as thg:document:brandco@4f2929b5",
    "reference": "a reference string such as thg:document:brandco@4f2929b5",
}


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def field_name(path: Iterable[str | int]) -> str:
    """`lines.0.quantity`; `attributes` for the object itself."""
    parts = [str(p) for p in path]
    return ".".join(parts) if parts else "attributes"


def _phrase(error: ValidationError) -> str:
    kind = error.validator
    limit: Any = error.validator_value
    if kind == "type":
        names = [limit] if isinstance(limit, str) else list(limit)
        return "must be " + " or ".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)
    if kind == "minimum":
        return f"must be at least {limit}"
    if kind == "maximum":
        return f"must be at most {limit}"
    if kind == "exclusiveMinimum":
        return f"must be greater than {limit}"
    if kind == "exclusiveMaximum":
        return f"must be less than {limit}"
    if kind == "minLength":
        return "must not be empty" if limit == 1 else f"must be at least {limit} characters long"
    if kind == "maxLength":
        return f"must be at most {limit} characters long"
    if kind == "pattern":
        return f"must match the pattern {limit}"
    if kind == "enum":
        return "must be one of " + ", ".join(_show(v) for v in limit)
    if kind == "const":
        return f"must be {_show(limit)}"
    if kind == "format":
        return "must be " + _FORMAT_NAMES.get(str(limit), f"a valid {limit}")
    if kind == "minItems":
        return f"must have at least {limit} item{'s' if limit != 1 else ''}"
    if kind == "maxItems":
        return f"must have at most {limit} items"
    if kind == "uniqueItems":
        return "must not contain the same item twice"
    if kind == "multipleOf":
        return f"must be a multiple of {limit}"
    return " ".join(error.message.split())[:200]


def field_errors(errors: Iterable[ValidationError]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path inside the attributes, detail) for every failing field; several per error at most
    for `required` (one per missing member)."""
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            chosen = _discriminated(error) or _by_type(error)
            if chosen is not None:
                yield from chosen
                continue
            error = best_match(error.context)
        path = tuple(error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, dict):
            required: Any = error.validator_value
            for name in required:
                if name not in error.instance:
                    yield (*path, name), f"{field_name((*path, name))} is required"
            continue
        yield path, f"{field_name(path)} {_phrase(error)}"


def _discriminated(error: ValidationError) -> list[tuple[tuple[str | int, ...], str]] | None:
    """For a `oneOf` with a discriminator, the errors of the branch the instance names (or one
    error on the discriminator itself); None when there is no discriminator to go by."""
    schema: Any = error.schema
    disc = schema.get("discriminator") if isinstance(schema, dict) else None
    if not isinstance(disc, dict) or not isinstance(error.instance, dict):
        return None
    prop = str(disc.get("propertyName", ""))
    mapping: Any = disc.get("mapping") or {}
    path = (*error.absolute_path, prop)
    value = error.instance.get(prop)
    if not isinstance(value, str) or value not in mapping:
        if prop not in error.instance:
            return [(path, f"{field_name(path)} is required")]
        options = ", ".join(_show(v) for v in mapping)
        return [(path, f"{field_name(path)} must be one of {options}")]
    branches: Any = error.validator_value
    index = next(
        (
            i
            for i, b in enumerate(branches)
            if isinstance(b, dict) and b.get("$ref") == mapping[value]
        ),
        None,
    )
    if index is None:
        return None
    mine = [
        e
        for e in error.context or []
        if e.relative_schema_path and e.relative_schema_path[0] == index
    ]
    return list(field_errors(mine))


def _by_type(error: ValidationError) -> list[tuple[tuple[str | int, ...], str]] | None:
    """For a choice (a nullable object: `anyOf: [{$ref: Money}, {type: 'null'}]`), the errors of
    the one branch the value's type fits, each at its own field, rather than the best match
    (which is often the null branch's "must be null"); one "must be X or Y" when none fits."""
    by_branch: dict[int, list[ValidationError]] = {}
    wrong_type: dict[int, list[str]] = {}
    for sub in error.context or []:
        if not sub.relative_schema_path or not isinstance(sub.relative_schema_path[0], int):
            continue
        branch = sub.relative_schema_path[0]
        if sub.validator == "type" and not sub.relative_path:
            limit: Any = sub.validator_value
            wrong_type[branch] = [limit] if isinstance(limit, str) else list(limit)
        else:
            by_branch.setdefault(branch, []).append(sub)
    fitting = [b for b in by_branch if b not in wrong_type]
    if len(fitting) == 1:
        return list(field_errors(by_branch[fitting[0]]))
    branches: Any = error.validator_value
    if not fitting and isinstance(branches, list) and len(wrong_type) == len(branches):
        path = tuple(error.absolute_path)
        names = dict.fromkeys(
            _TYPE_NAMES.get(str(t), str(t)) for ts in wrong_type.values() for t in ts
        )
        return [(path, f"{field_name(path)} must be " + " or ".join(names))]
    return None
