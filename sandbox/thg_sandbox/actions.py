"""Actions (CONVENTIONS §4) served from the spec, as far as the spec describes them.

An action is, by §4, an operation that is not create/read/replace/delete of an entity: the spec
says how it is called and what it answers, never what it does (no annotation declares an
action's effect, and the platform's own state changes are statuses and child entities, which are
CRUD and served as such). So the generic endpoint answers everything the spec does decide, in
the order of any other endpoint: a bad token is a 401; the entity the action lives under must
exist and the caller must be the one who may write it (404 to a stranger, 403 to a partner that
may only read it, as the events extension answers a poll or a confirm); the declared parameters
must be present when required and of their schema (400 for a query parameter, 422 for a header,
naming the parameter); a declared request body must be a JSON document of its schema
(400/413/422, pointing at the field). A call that passes all of that is valid, and is then
answered 501 ``ActionNotEmulated``: no 2xx, because any answer would claim an effect that did
not happen (the declared example of a poll is an event nobody emitted, with a receipt handle the
confirm would refuse); no 4xx, because the request is not at fault. An extension that emulates
an action mounts its own route, which is routed before these (the events extension serves
``poll`` and ``confirm``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Union

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from thg_spec import Entity, Operation, Product
from thg_spec import pointer as jp
from thg_spec.validation.refs import MAX_REF_CHAIN, lookup

from . import access
from .auth import read_limited
from .errors import ApiError, ErrorObject, bad_request, field_error, unprocessable
from .validation import SchemaSet
from .validation.documents import MAX_ERRORS, pointer_of
from .validation.messages import field_errors

if TYPE_CHECKING:
    from .endpoints import Api, Endpoint

MAX_BODY = 1024 * 1024
_CHECKED_IN = ("query", "header")  # path parameters are the route's; cookies are not used
# Parameter values arrive as text; these schema types are read from it before the schema check.
_SCALARS = {"integer", "number", "boolean", "string"}
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def generic_action(api: Api, product: Product, entity: Entity, op: Operation) -> Endpoint:
    """The endpoint of ``op``, an action of ``entity``: every check the spec allows, then 501."""
    schemas = api.service.schemas[product.name]
    parameters = list(declared_parameters(schemas, op))
    name = op.action or op.operation_id or "This action"

    async def endpoint(request: Request) -> Response:
        caller = api.caller(request)
        target = api.target(request, product, entity, item=entity.kind == "entity")
        # An action acts on the entity: its writer's call (a partner that may read it gets the
        # 403, a stranger the 404, as the events extension answers a poll or a confirm).
        access.check(api.service.config, caller, product.name, target.owner, entity, write=True)
        await run_in_threadpool(api.service.get, caller, target)
        for pointer, parameter in parameters:
            check_parameter(schemas, pointer, parameter, request)
        if op.request_schema:
            raw = await read_limited(request, MAX_BODY)
            if raw is None:
                raise ApiError.one(
                    413, "RequestTooLarge", f"The body is larger than {MAX_BODY} bytes."
                )
            check_body(schemas, op.request_schema, raw)
        raise ApiError.one(
            501,
            "ActionNotEmulated",
            f"The request is valid, but this sandbox does not emulate {name}: the spec declares "
            "how an action is called and what it answers, not what it does (CONVENTIONS §4).",
        )

    return endpoint


def declared_parameters(schemas: SchemaSet, op: Operation) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(pointer, parameter)`` of each query and header parameter of ``op``, the path item's
    and the operation's (the operation's win on the same name and place, as OpenAPI says)."""
    found: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    path_item = jp.join("paths", op.path)
    for base in (path_item, f"{path_item}/{op.method.lower()}"):
        listed = schemas.at(f"{base}/parameters")
        for index in range(len(listed) if isinstance(listed, list) else 0):
            pointer, parameter = _followed(schemas, f"{base}/parameters/{index}")
            if isinstance(parameter, dict) and parameter.get("in") in _CHECKED_IN:
                key = (str(parameter.get("in")), str(parameter.get("name", "")).lower())
                found[key] = (pointer, parameter)
    yield from found.values()


def _followed(schemas: SchemaSet, pointer: str) -> tuple[str, Any]:
    """The node at ``pointer`` with its ``$ref`` chain followed, and the pointer it ended at
    (a parameter's schema is validated where it is, so that its own refs resolve)."""
    for _ in range(MAX_REF_CHAIN):
        node = lookup(schemas.document, "#" + pointer)
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#")):
            return pointer, node
        pointer = ref[1:]
    return pointer, {}


def check_parameter(
    schemas: SchemaSet, pointer: str, parameter: dict[str, Any], request: Request
) -> None:
    """A required parameter missing or a given one not of its schema: a 400 for a query
    parameter (as the list parameters, CONVENTIONS §8), a 422 for a header (the platform's
    FastAPI answer, as the events extension's confirm gives it), naming the parameter."""
    name = str(parameter.get("name", ""))
    place = str(parameter.get("in"))
    raw = (request.query_params if place == "query" else request.headers).get(name)
    if raw is None:
        if parameter.get("required") is True:
            raise _parameter_error(place, name, f"The {place} parameter {name} is required.")
        return
    schema = schemas.at(f"{pointer}/schema")
    kind = schema.get("type") if isinstance(schema, dict) else None
    if kind not in _SCALARS:
        return  # arrays and objects have serialisation styles this check does not read
    try:
        value = parameter_value(raw, str(kind))
    except ValueError:
        problem: str | None = f"a value of type {kind}"
    else:
        found = schemas.validator(f"{pointer}/schema").iter_errors(value)
        problem = next((error.message for error in found), None)
    if problem is not None:
        raise _parameter_error(place, name, f"The {place} parameter {name} is invalid: {problem}.")


def _parameter_error(place: str, name: str, detail: str) -> ApiError:
    if place == "header":
        return ApiError(422, [ErrorObject(422, "RequestValidationError", detail, parameter=name)])
    return bad_request("InvalidParameter", detail, parameter=name)


def parameter_value(raw: str, kind: str) -> Union[str, int, float, bool]:
    """The text of a parameter as its schema's scalar type reads it (JSON's spelling of numbers
    and booleans: no `1_000`, ` 5`, `nan` or `True`); ValueError when it cannot."""
    if kind == "string":
        return raw
    if kind == "boolean" and raw in ("true", "false"):
        return raw == "true"
    if kind == "integer" and _INTEGER.fullmatch(raw):
        return int(raw)
    if kind == "number" and _NUMBER.fullmatch(raw):
        return float(raw)
    raise ValueError(f"not a JSON {kind}: {raw[:40]!r}")


def check_body(schemas: SchemaSet, pointer: str, raw: bytes) -> None:
    """A JSON body of the schema at ``pointer``: 400 when it is no JSON, else 422 per field."""
    if not raw.strip():
        raise bad_request("MalformedRequest", "The request needs a JSON body.")
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("MalformedJson", "The request body is not valid JSON.") from None
    errors = [
        field_error(pointer_of(path, base=""), detail)
        for path, detail in field_errors(schemas.validator(pointer).iter_errors(document))
    ]
    if errors:
        raise unprocessable(errors[:MAX_ERRORS])
