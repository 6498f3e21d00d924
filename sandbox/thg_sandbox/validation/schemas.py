"""One product's schemas: the whole spec registered as one JSON Schema resource.

Registering the whole document (as frontend/thg_spec/validation/rules_examples.py does) lets
every internal `$ref` resolve as written; validators are built once per schema pointer.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date, datetime
from fractions import Fraction
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from thg_connect_core import InvalidReferenceError, Reference

_BASE = "urn:thg-sandbox:spec"
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time")
def _is_datetime(value: object) -> bool:
    # A missing zone is accepted and read as UTC (CONVENTIONS §7: clients and servers are lenient).
    if not isinstance(value, str):
        return True
    if not _DATETIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@FORMATS.checks("date")
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.fullmatch(value))


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if not _SCHEME.fullmatch(parts.scheme):
        return False
    return bool(parts.netloc) if parts.scheme in ("http", "https") else bool(parts.path)


@FORMATS.checks("reference")
@FORMATS.checks("thg-reference")
def _is_reference(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        Reference.parse(value)
    except InvalidReferenceError:
        return False
    return True


def _exact(number: object) -> Fraction | None:
    """The decimal a JSON number was written as (a float's shortest repr), exactly."""
    try:
        return Fraction(str(number))
    except (ValueError, ZeroDivisionError, OverflowError):
        return None  # inf or nan


def _multiple_of(
    validator: Any, divisor: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """`multipleOf` in exact decimal arithmetic: jsonschema divides floats, so 0.29 is no
    multiple of 0.01 (0.29 / 0.01 = 28.999999999999996) and 1,363 of the prices 0.01-99.99
    were refused."""
    if not validator.is_type(instance, "number"):
        return
    value, step = _exact(instance), _exact(divisor)
    if value is None or step is None or step <= 0 or (value / step).denominator != 1:
        yield ValidationError(f"{instance!r} is not a multiple of {divisor}")


ExactValidator: type[Validator] = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"multipleOf": _multiple_of}
)


class SchemaSet:
    """Schema look-ups and cached validators for one parsed spec."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self._registry: Registry[Any] = Registry().with_resource(
            _BASE, Resource.from_contents(document, default_specification=DRAFT202012)
        )
        self._validators: dict[str, Validator] = {}
        self._lock = threading.Lock()

    def at(self, pointer: str) -> Any:
        """The schema at a JSON pointer of the document, with `$ref`s followed."""
        return self.deref(self._node(pointer))

    def _node(self, pointer: str) -> Any:
        node: Any = self.document
        for part in pointer.split("/")[1:]:
            key = part.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(key)] if isinstance(node, list) else node[key]
            except (KeyError, IndexError, ValueError, TypeError):
                return {}
        return node

    def deref(self, schema: Any) -> Any:
        """Follow a chain of internal `$ref`s (bounded: a cycle of refs ends as an empty schema)."""
        for _ in range(32):
            if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
                return schema
            ref = schema["$ref"]
            if not ref.startswith("#"):
                return {}
            schema = self._node(ref[1:])
        return {}

    def validator(self, pointer: str) -> Validator:
        with self._lock:
            found = self._validators.get(pointer)
            if found is None:
                found = ExactValidator(
                    {"$ref": _BASE + "#" + pointer},
                    registry=self._registry,
                    format_checker=FORMATS,
                )
                self._validators[pointer] = found
            return found
