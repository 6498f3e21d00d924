"""The schemas of bench/synthetic_specs.py: one family's five entity types and the shared ones.

Constraints, nested objects inline and by $ref, arrays of objects, date-times, nullable fields,
enums, reference fields and status states with a `state` discriminator, as in
specs/thg-fulfil.yaml; and the JSON:API envelopes around every entity.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from synthetic_family import EntityInfo, Family, kebab_to_pascal

NULLABLE_STRING = ["string", "null"]

# --- schema helpers ----------------------------------------------------------------------------


def _ref(name: str, description: Optional[str] = None) -> Dict[str, Any]:
    out: Dict[str, Any] = {"$ref": f"#/components/schemas/{name}"}
    if description:
        out["description"] = description
    return out


def _string(
    description: str,
    min_length: Optional[int] = None,
    max_length: Optional[int] = None,
    pattern: Optional[str] = None,
    nullable: bool = False,
    fmt: Optional[str] = None,
) -> Dict[str, Any]:
    out: Dict[str, Any] = {"type": NULLABLE_STRING if nullable else "string"}
    if fmt:
        out["format"] = fmt
    if min_length is not None:
        out["minLength"] = min_length
    if max_length is not None:
        out["maxLength"] = max_length
    if pattern:
        out["pattern"] = pattern
    out["description"] = description
    return out


def _number(kind: str, description: str, exclusive_min: bool = True, **bounds: Any) -> Any:
    out: Dict[str, Any] = {"type": kind}
    if exclusive_min:
        out["exclusiveMinimum"] = 0
    out.update(bounds)
    out["description"] = description
    return out


def _object(description: str, required: List[str], properties: Dict[str, Any]) -> Any:
    return {
        "type": "object",
        "description": description,
        "required": required,
        "properties": properties,
    }


def _reference(product: str, target: str, description: str) -> Dict[str, Any]:
    out = _string(description, max_length=512, nullable=True, fmt="thg-reference")
    out["x-thg-reference-to"] = [f"{product}:{target}"]
    out["pattern"] = f"^thg:{product}:{target}#[a-z0-9][a-z0-9-]*@[A-Za-z0-9][A-Za-z0-9._~-]*$"
    return out


def _state(value: str, description: str, **payload: Any) -> Dict[str, Any]:
    required = ["state"] + [k for k, v in payload.items() if v.pop("x-required", False)]
    props = {"state": {"type": "string", "const": value, "description": description}}
    return _object(description, required, {**props, **payload})


def _status(prefix: str, description: str, states: Dict[str, Any]) -> Dict[str, Any]:
    schemas: Dict[str, Any] = {}
    mapping = {}
    for value, schema in states.items():
        name = prefix + kebab_to_pascal(value.lower().replace("_", "-"))
        schemas[name] = schema
        mapping[value] = f"#/components/schemas/{name}"
    union = {
        "description": description,
        "oneOf": [{"$ref": ref} for ref in mapping.values()],
        "discriminator": {"propertyName": "state", "mapping": mapping},
    }
    return {prefix: union, **schemas}


def _reason(max_length: int = 2000) -> Dict[str, Any]:
    out = _string("Why, in words the other side can act on.", 1, max_length)
    out["x-required"] = True
    return out


# --- the five entity types --------------------------------------------------------------------


def _top(family: Family, e: EntityInfo) -> Dict[str, Any]:
    p = e.schema
    props: Dict[str, Any] = {
        "code": _string(
            "The owner's code, unique among its " + e.plural_words + ".",
            1,
            64,
            "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        ),
        "name": _string("The name shown on documents.", 1, 200),
        "description": _string("A longer description.", max_length=2000, nullable=True),
        "category": {
            "type": "string",
            "enum": ["STANDARD", "FRAGILE", "BULKY", "HAZARDOUS"],
            "default": "STANDARD",
            "description": "How it must be handled.",
        },
        "quantity": _number("integer", "How many units.", maximum=10000),
        "weight_g": _number("number", "Mass of one unit in grams.", maximum=1000000),
        "price": _ref("Money", "Declared value of one unit."),
        "shipTo": _ref("Address", "Where it goes."),
        "dimensions": _object(
            "The packed size of one unit.",
            ["height_mm"],
            {
                "height_mm": _number("number", "Height in millimetres.", maximum=10000),
                "width_mm": _number("number", "Width in millimetres.", maximum=10000),
                "length_mm": _number("number", "Length in millimetres.", maximum=10000),
            },
        ),
        "tags": {
            "type": "array",
            "maxItems": 20,
            "items": {"type": "string", "minLength": 1, "maxLength": 32},
            "description": "Free labels for searching.",
        },
        "lines": {
            "type": "array",
            "minItems": 1,
            "maxItems": 500,
            "items": _ref(p + "Line"),
            "description": "One line per SKU, each with a line id unique here.",
        },
        "scheduledAt": _string("When it is due (UTC).", nullable=True, fmt="date-time"),
        "relatedTo": _reference(family.product, family.related, "A related entity."),
        "active": {"type": "boolean", "default": True, "description": "Whether it is in use."},
    }
    if family.changed:
        props["priority"] = _number("integer", "Handling priority, 0 first.", False, maximum=9)
    description = f"One {e.words}: what it holds, where it goes and how it is handled."
    if family.changed:
        description += " Priority decides the order of handling."
    line = _object(
        "One SKU line.",
        ["lineId", "sku", "quantity"],
        {
            "lineId": _string("Identifies the line.", 1, 36, "^[A-Za-z0-9][A-Za-z0-9_.-]*$"),
            "sku": _string("The SKU of an inventory item.", 1, 64, "^[A-Za-z0-9][A-Za-z0-9_.-]*$"),
            "quantity": _number("integer", "How many units.", maximum=10000),
            "unitPrice": _ref("Money", "What one unit costs."),
        },
    )
    return {p: _object(description, ["code", "name", "lines"], props), p + "Line": line}


def _review(e: EntityInfo) -> Dict[str, Any]:
    return _status(
        e.schema,
        f"The other side's verdict on the {e.words[:-7]}.",
        {
            "ACCEPTED": _state(
                "ACCEPTED",
                "It was accepted.",
                acceptedBy=_string("Who accepted it.", max_length=200, nullable=True),
                notes=_string("Anything to know.", max_length=2000, nullable=True),
            ),
            "REJECTED": _state(
                "REJECTED",
                "It was rejected.",
                reason=_reason(),
                notes=_string("Further detail.", max_length=2000, nullable=True),
            ),
            "PENDING": _state(
                "PENDING",
                "It is being reviewed.",
                expectedBy=_string("When a verdict is expected.", nullable=True, fmt="date-time"),
            ),
        },
    )


def _part(e: EntityInfo) -> Dict[str, Any]:
    p = e.schema
    line = _object(
        "How much of one line is in this part.",
        ["lineId", "expectedQuantity", "shippedQuantity", "condition"],
        {
            "lineId": _string("The line's id.", 1, 36, "^[A-Za-z0-9][A-Za-z0-9_.-]*$"),
            "expectedQuantity": _number("integer", "How many were asked for.", maximum=10000),
            "shippedQuantity": _number(
                "integer", "How many are in it.", False, minimum=0, maximum=10000
            ),
            "condition": _ref("StockCondition", "The condition of the units."),
            "batchNumber": _string(
                "The batch, for batch-tracked items.", max_length=64, nullable=True
            ),
        },
    )
    props = {
        "carrier": _object(
            "The courier and service.",
            ["name", "service"],
            {
                "name": _string("The courier's name.", 1, 100),
                "service": _string("The courier's service name.", 1, 100),
            },
        ),
        "shippedAt": _string("When it left (UTC).", fmt="date-time"),
        "lines": {
            "type": "array",
            "minItems": 1,
            "maxItems": 500,
            "items": _ref(p + "Line"),
            "description": "What it holds, per line.",
        },
        "tracking": _object(
            "How it can be tracked.",
            ["number"],
            {
                "number": _string("The tracking number.", 1, 64),
                "url": _string("A tracking page.", max_length=2048, nullable=True, fmt="uri"),
            },
        ),
        "notes": _string("Anything to know.", max_length=1000, nullable=True),
    }
    return {
        p: _object(f"One {e.words}.", ["carrier", "shippedAt", "lines", "tracking"], props),
        p + "Line": line,
    }


def _check(e: EntityInfo) -> Dict[str, Any]:
    checked_at = _string("When it was checked (UTC).", fmt="date-time")
    checked_at["x-required"] = True
    return _status(
        e.schema,
        f"The result of checking the {e.words[:-6]}.",
        {
            "PASSED": _state(
                "PASSED",
                "The check passed.",
                checkedAt=checked_at,
                inspector=_string("Who checked it.", max_length=100, nullable=True),
            ),
            "FAILED": _state(
                "FAILED",
                "The check failed.",
                reason=_reason(),
                failedAt=_string("When it failed.", nullable=True, fmt="date-time"),
            ),
        },
    )


def _note(family: Family, e: EntityInfo) -> Dict[str, Any]:
    props = {
        "text": _string("The note.", 1, 2000),
        "author": _string("Who wrote it.", max_length=100, nullable=True),
        "visibility": {
            "type": "string",
            "enum": ["INTERNAL", "SHARED"],
            "default": "SHARED",
            "description": "Who may read it.",
        },
        "about": _reference(family.product, family.top, "The entity the note is about."),
        "writtenAt": _string("When it was written.", nullable=True, fmt="date-time"),
    }
    return {e.schema: _object(f"A note on a {e.words[:-5]}.", ["text"], props)}


def _envelopes(e: EntityInfo) -> Dict[str, Any]:
    s = e.schema
    id_note = "PUT only: must equal the " + (
        "status's current id." if e.kind == "status" else "id in the path."
    )
    resource = _object(
        f"A JSON:API resource object holding one {e.words}.",
        ["id", "type", "attributes", "meta", "version"],
        {
            "id": {"type": "string", "description": f"The {e.words}'s id, assigned by the server."},
            "type": {"type": "string", "const": e.type_string, "description": "The entity type."},
            "attributes": _ref(s, f"The {e.words}'s attributes."),
            "meta": _ref("ResourceMeta", "Server-maintained facts."),
            "version": {
                "type": "string",
                "pattern": "^[1-9][0-9]*$",
                "description": '"1" when created, incremented by every PUT.',
            },
        },
    )
    out = {
        s + "Resource": resource,
        s
        + "Document": _object(
            f"A JSON:API document holding one {e.words}.",
            ["data"],
            {
                "data": _ref(s + "Resource", f"The {e.words}."),
                "meta": {"type": "object", "description": "Document-level meta; empty today."},
            },
        ),
        s
        + "Request": _object(
            f"The body of a POST or PUT of {e.article_words}.",
            ["data"],
            {
                "data": _object(
                    f"The {e.words} to write.",
                    ["type", "attributes"],
                    {
                        "type": {
                            "type": "string",
                            "const": e.type_string,
                            "description": "The entity type string.",
                        },
                        "id": {"type": "string", "description": id_note},
                        "attributes": _ref(s, f"The {e.words}'s attributes."),
                    },
                ),
            },
        ),
    }
    if e.kind == "entity":
        out[s + "ListDocument"] = _object(
            f"One page of {e.plural_words}.",
            ["data"],
            {
                "data": {
                    "type": "array",
                    "items": _ref(s + "Resource"),
                    "description": "The page's resources; empty past the last page.",
                },
                "links": _ref("Links", "Links to this page and the next (informative only)."),
                "meta": _ref("PageMeta", "The page number and size served (informative only)."),
            },
        )
    return out


def family_schemas(family: Family) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for e in family.entities():
        leaf = e.name[1:]
        if leaf == ():
            out.update(_top(family, e))
        elif leaf == ("review",):
            out.update(_review(e))
        elif leaf == ("part",):
            out.update(_part(e))
        elif leaf == ("part", "check"):
            out.update(_check(e))
        else:
            out.update(_note(family, e))
        out.update(_envelopes(e))
    return out


def shared_schemas() -> Dict[str, Any]:
    """The common pieces every spec copies from docs/spec-common.yaml, plus shared value types."""
    string = {"type": "string"}
    return {
        "TokenRequest": _object(
            "The token request.",
            ["client_id", "client_secret", "grant_type", "audience"],
            {
                "client_id": string,
                "client_secret": {"type": "string", "writeOnly": True},
                "grant_type": {"type": "string", "const": "client_credentials"},
                "audience": {"type": "string", "format": "uri"},
            },
        ),
        "TokenResponse": _object(
            "A new token.",
            ["access_token", "expires_in", "token_type"],
            {
                "access_token": string,
                "expires_in": {"type": "integer"},
                "token_type": {"type": "string", "const": "Bearer"},
            },
        ),
        "OAuthError": _object(
            "An OAuth2 error.",
            ["error"],
            {
                "error": string,
                "error_description": string,
            },
        ),
        "ResourceMeta": _object(
            "Server-maintained facts about a resource.",
            ["createdAt", "creator", "owner", "parent", "product", "reference", "updatedAt"],
            {
                "createdAt": {"type": "string", "format": "date-time"},
                "creator": string,
                "owner": string,
                "parent": {"type": "object", "additionalProperties": string},
                "product": string,
                "reference": {"type": "string", "format": "thg-reference"},
                "updatedAt": {"type": "string", "format": "date-time"},
            },
        ),
        "Links": {
            "type": "object",
            "properties": {
                "self": string,
                "next": {"type": NULLABLE_STRING},
                "prev": {"type": NULLABLE_STRING},
            },
        },
        "PageMeta": {
            "type": "object",
            "properties": {
                "page": {
                    "type": "object",
                    "properties": {
                        "number": {"type": "integer"},
                        "size": {"type": "integer"},
                    },
                }
            },
        },
        "ErrorObject": {
            "type": "object",
            "properties": {
                "id": string,
                "status": string,
                "code": string,
                "title": string,
                "detail": string,
                "source": {
                    "type": "object",
                    "properties": {"pointer": string, "parameter": string},
                },
            },
        },
        "ErrorsDocument": _object(
            "A JSON:API errors document.",
            ["errors"],
            {
                "errors": {"type": "array", "items": _ref("ErrorObject")},
            },
        ),
        "Money": _object(
            "An amount of money in one currency.",
            ["amount", "currency"],
            {
                "amount": _number(
                    "number", "The amount in major units.", False, minimum=0, maximum=1000000
                ),
                "currency": _string("ISO 4217 currency code.", pattern="^[A-Z]{3}$"),
            },
        ),
        "Address": _object(
            "A postal address.",
            ["name", "addressLine1", "city", "countryCode"],
            {
                "name": _string("The recipient's full name.", 1, 100),
                "company": _string("Company at the address.", max_length=100, nullable=True),
                "addressLine1": _string("First line of the street address.", 1, 100),
                "addressLine2": _string("Second line.", max_length=100, nullable=True),
                "city": _string("Town or city.", 1, 60),
                "postalCode": _string("Postcode.", max_length=16, nullable=True),
                "countryCode": _string("ISO 3166-1 alpha-2 country code.", pattern="^[A-Z]{2}$"),
                "email": _string("Email address.", max_length=254, nullable=True, fmt="email"),
            },
        ),
        "StockCondition": {
            "type": "string",
            "enum": ["GOOD", "DAMAGED", "FAULTY", "EXPIRED"],
            "description": "The physical condition of stock.",
        },
    }
