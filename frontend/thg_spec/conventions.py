"""The lexical rules of specs/CONVENTIONS.md, in one place for the validator, model and sandbox."""

from __future__ import annotations

import re

KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
OWNER_PATTERN = "^[a-z0-9][a-z0-9-]*$"
STATE_VALUE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")
LOWER_CAMEL = re.compile(r"[a-z][A-Za-z0-9]*")
PATH_PARAM = re.compile(r"\{([^{}]*)\}")

ENTITY_EXTENSION = "x-thg-entity"
ACTION_EXTENSION = "x-thg-action"
PRODUCT_EXTENSION = "x-thg-product"
TOKEN_EXTENSION = "x-thg-token-endpoint"
REFERENCE_TO_EXTENSION = "x-thg-reference-to"
UNIQUE_EXTENSION = "x-thg-unique"  # a business key, unique per owner and entity type (THG028)
REFERENCE_FORMAT = "thg-reference"
# The published documents name the format `reference` (recovered/schemas.md §1.4, S2); both mark
# a reference field, and `thg-reference` stays what the project's own specs write.
REFERENCE_FORMATS = (REFERENCE_FORMAT, "reference")

ENTITY_KINDS = ("entity", "status")
OWNER_ROLES = ("consumer", "provider", "self")
WRITER_ROLES = ("consumer", "provider", "owner")
ID_SOURCES = ("server", "client")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LIST_PARAMETERS = ("page[number]", "page[size]", "filter")
# The filter language's reserved words (case-insensitive): an attribute named like one cannot be
# filtered on, since `null = 'x'` would read as the value. The runtime's parser keeps the same set.
FILTER_KEYWORDS = frozenset({"and", "or", "true", "false", "null"})
_FILTER_SEGMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def filterable(wire: str) -> bool:
    """Whether an attribute's wire name can stand in a filter expression."""
    return bool(_FILTER_SEGMENT.fullmatch(wire)) and wire.lower() not in FILTER_KEYWORDS


def id_parameter_name(segment: str) -> str:
    """`fulfilment-request` -> `fulfilmentRequestId` (CONVENTIONS THG011)."""
    head, *rest = segment.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest) + "Id"


def entity_type_string(product: str, entity_path: tuple[str, ...]) -> str:
    return f"{product}:{'.'.join(entity_path)}"


def _words(name: str) -> list[str]:
    """The words of a name written in any case: `fooBar_baz-QUX 2` -> foo, bar, baz, qux, 2."""
    spaced = re.sub(r"([a-z0-9])([A-Z])|([A-Z])([A-Z][a-z])", r"\1\3 \2\4", name)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def as_kebab(name: str) -> str:
    return "-".join(_words(name))


def as_lower_camel(name: str) -> str:
    head, *rest = _words(name) or [""]
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def as_upper_snake(name: str) -> str:
    return "_".join(_words(name)).upper()


def suggestion(rejected: object, corrected: str, rule: re.Pattern[str]) -> str | None:
    """`corrected` if it is a different name the rule accepts, else None.

    A hint must never propose the very name it rejects (`9lives` is no better as `9lives`), nor
    one the next run would reject: a caller with None words its hint without a name.
    """
    if corrected == rejected or not rule.fullmatch(corrected):
        return None
    return corrected
