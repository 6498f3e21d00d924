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
REFERENCE_FORMAT = "thg-reference"

ENTITY_KINDS = ("entity", "status")
OWNER_ROLES = ("consumer", "provider", "self")
WRITER_ROLES = ("consumer", "provider", "owner")
ID_SOURCES = ("server", "client")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LIST_PARAMETERS = ("page[number]", "page[size]", "filter")


def id_parameter_name(segment: str) -> str:
    """`fulfilment-request` -> `fulfilmentRequestId` (CONVENTIONS THG011)."""
    head, *rest = segment.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest) + "Id"


def entity_type_string(product: str, entity_path: tuple[str, ...]) -> str:
    return f"{product}:{'.'.join(entity_path)}"
