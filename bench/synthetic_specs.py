"""Writes a synthetic product spec of N entity types in the style of specs/thg-fulfil.yaml.

    .venv/bin/python bench/synthetic_specs.py 300 /tmp/synth          # -> /tmp/synth/synth.yaml
    .venv/bin/python bench/synthetic_specs.py 300 /tmp/synth --changed # one entity edited

The product `synth` is a run of families of five entity types each, copying thg-fulfil's shapes:

    <top>                     entity, owned by the consumer or the provider (alternating)
    <top>.review              status written by the other side: ACCEPTED | REJECTED | PENDING
    <top>.part                child entity written by the other side
    <top>.part.check          third-level status: PASSED | FAILED
    <top>.part.note           third-level entity, immutable (no PUT)

with lookup GETs for every child, JSON:API envelopes (Resource, Document, ListDocument, Request
schemas per entity), the shared error responses, page parameters, OAuth2 client credentials,
operationIds, summaries and descriptions, request and response examples, and attributes with
minLength/maxLength/pattern/enum/exclusiveMinimum, nested objects (inline and by $ref), arrays,
date-times, nullable fields and reference fields (`format: thg-reference`). N need not be a
multiple of five: the last family keeps the first N mod 5 of its entity types, parents first.

The output is a pure function of N (and --changed), so every run of a benchmark sees the same
bytes. `--changed` edits one entity of the first family (a new attribute and a new description),
as a developer would, for the incremental-regeneration figure.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Dict, List

import yaml
from synthetic_family import Family
from synthetic_schemas import family_schemas, shared_schemas

PRODUCT = "synth"
FAMILY_SIZE = 5
API_HOST = "https://api.developer.thgingenuity.com"
TOKEN_URL = "https://frontier-production.uk.auth0.com/oauth/token"
NOUNS = (
    "shipment",
    "order",
    "return",
    "transfer",
    "stock-count",
    "purchase",
    "bundle",
    "pallet",
    "container",
    "invoice",
    "quote",
    "booking",
)
ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._~-]*$"
ERRORS_BY_ROLE = {
    "list": ("400", "401", "403", "404", "429"),
    "create": ("400", "401", "403", "404", "422", "429"),
    "set": ("400", "401", "403", "404", "409", "422", "429"),
    "get": ("401", "403", "404", "429"),
    "replace": ("400", "401", "403", "404", "422", "429"),
    "delete": ("401", "403", "404", "429"),
}
ERROR_RESPONSES = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "NotFound",
    "409": "Conflict",
    "422": "UnprocessableEntity",
    "429": "TooManyRequests",
}


def _letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> ba: a kebab-safe suffix without digits."""
    out = ""
    while True:
        out = chr(ord("a") + n % 26) + out
        n //= 26
        if n == 0:
            return out


def families(n_entities: int) -> List[Family]:
    count = -(-n_entities // FAMILY_SIZE)
    out = []
    for i in range(count):
        top = f"{NOUNS[i % len(NOUNS)]}-{_letters(i // len(NOUNS))}"
        size = min(FAMILY_SIZE, n_entities - i * FAMILY_SIZE)
        owner = "consumer" if i % 2 == 0 else "provider"
        previous = out[-1].top if out else top
        out.append(Family(PRODUCT, top, size, owner, related=previous, changed=False))
    return out


# --- paths ------------------------------------------------------------------------------------


def _ref(kind: str, name: str) -> Dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _errors(role: str) -> Dict[str, Any]:
    return {code: _ref("responses", ERROR_RESPONSES[code]) for code in ERRORS_BY_ROLE[role]}


def _ok(code: str, description: str, schema: str, example: Any = None) -> Dict[str, Any]:
    media: Dict[str, Any] = {"schema": _ref("schemas", schema)}
    if example is not None:
        media["example"] = example
    return {
        code: {
            "description": description,
            "headers": {"X-Request-Id": _ref("headers", "XRequestId")},
            "content": {"application/json": media},
        }
    }


def _operation(
    op_id: str, summary: str, description: str, tag: str, responses: Dict[str, Any]
) -> Dict[str, Any]:
    return {
        "operationId": op_id,
        "summary": summary,
        "description": description,
        "tags": [tag],
        "responses": responses,
    }


def _with_body(op: Dict[str, Any], schema: str, example: Any) -> Dict[str, Any]:
    media = {"schema": _ref("schemas", schema), "example": example}
    body = {"required": True, "content": {"application/json": media}}
    return {
        **{k: v for k, v in op.items() if k != "responses"},
        "requestBody": body,
        "responses": op["responses"],
    }


def _entity_paths(family: Family, name: tuple[str, ...]) -> Dict[str, Any]:
    """The collection, item and lookup path items of one entity or status."""
    e = family.entity(name)
    base = f"/api/{PRODUCT}/v1/{{owner}}"
    segments = ""
    params = [_ref("parameters", "Owner")]
    for depth in range(1, len(name)):
        ancestor = family.entity(name[:depth])
        segments += f"/{name[depth - 1]}/{{{ancestor.id_param}}}"
        params.append(_ref("parameters", ancestor.id_component))
    collection = f"{base}{segments}/{name[-1]}"
    tag = family.tag
    decl: Dict[str, Any] = {"name": ".".join(name), "kind": e.kind}
    if len(name) == 1:
        decl["owner"] = family.owner
    elif e.writer != "owner":
        decl["writer"] = e.writer
    decl["schema"] = f"#/components/schemas/{e.schema}"
    paths: Dict[str, Any] = {}
    item_params = [*params, _ref("parameters", e.id_component)]
    request_example = family.request_example(name)
    document_example = family.document_example(name)
    if e.kind == "entity":
        listing = _operation(
            f"list{e.plural_pascal}",
            f"List {e.plural_words}",
            f"Returns the {e.plural_words} a page at a time, oldest first. Narrow the list with "
            f"`filter`, e.g. `createdAt>'2026-02-01T00:00:00'`.",
            tag,
            {
                **_ok("200", f"One page of {e.plural_words}.", f"{e.schema}ListDocument"),
                **_errors("list"),
            },
        )
        listing["parameters"] = [
            _ref("parameters", "PageNumber"),
            _ref("parameters", "PageSize"),
            _ref("parameters", "Filter"),
        ]
        create = _operation(
            f"create{e.pascal}",
            f"Create {e.article_words}",
            f"Creates {e.article_words}. Only the {e.writer_words} may create it; the server "
            'assigns its id and version "1".',
            tag,
            {
                **_ok("201", f"The created {e.words}.", f"{e.schema}Document", document_example),
                **_errors("create"),
            },
        )
        paths[collection] = {
            "x-thg-entity": decl,
            "parameters": params,
            "get": listing,
            "post": _with_body(create, f"{e.schema}Request", request_example),
        }
        item: Dict[str, Any] = {
            "parameters": item_params,
            "get": _operation(
                f"get{e.pascal}",
                f"Get {e.article_words}",
                f"Returns one {e.words} by id.",
                tag,
                {**_ok("200", f"The {e.words}.", f"{e.schema}Document"), **_errors("get")},
            ),
        }
        if e.mutable:
            replace = _operation(
                f"replace{e.pascal}",
                f"Replace {e.article_words}",
                f"Replaces the whole {e.words}: attributes left out are removed and the version "
                "is incremented.",
                tag,
                {
                    **_ok("200", f"The {e.words} as replaced.", f"{e.schema}Document"),
                    **_errors("replace"),
                },
            )
            item["put"] = _with_body(replace, f"{e.schema}Request", request_example)
        item["delete"] = _operation(
            f"delete{e.pascal}",
            f"Delete {e.article_words}",
            f"Deletes the {e.words} and everything under it.",
            tag,
            {
                "204": {
                    "description": f"The {e.words} was deleted.",
                    "headers": {"X-Request-Id": _ref("headers", "XRequestId")},
                },
                **_errors("delete"),
            },
        )
        paths[f"{collection}/{{{e.id_param}}}"] = item
    else:
        set_op = _operation(
            f"set{e.pascal}",
            f"Set {e.article_words}",
            f"Sets the {e.words} for the first time; a 409 if it is already set. Only the "
            f"{e.writer_words} may set it.",
            tag,
            {
                **_ok("201", f"The {e.words} as set.", f"{e.schema}Document", document_example),
                **_errors("set"),
            },
        )
        replace = _operation(
            f"replace{e.pascal}",
            f"Change {e.article_words}",
            f"Moves the {e.words} to another state; a 404 while it is not set.",
            tag,
            {
                **_ok("200", f"The {e.words} in its new state.", f"{e.schema}Document"),
                **_errors("replace"),
            },
        )
        paths[collection] = {
            "x-thg-entity": decl,
            "parameters": params,
            "get": _operation(
                f"get{e.pascal}",
                f"Get {e.article_words}",
                f"Returns the {e.words}; a 404 while it is not set.",
                tag,
                {**_ok("200", f"The {e.words}.", f"{e.schema}Document"), **_errors("get")},
            ),
            "post": _with_body(set_op, f"{e.schema}Request", request_example),
            "put": _with_body(replace, f"{e.schema}Request", request_example),
            "delete": _operation(
                f"delete{e.pascal}",
                f"Clear {e.article_words}",
                f"Removes the {e.words}.",
                tag,
                {
                    "204": {
                        "description": f"The {e.words} was cleared.",
                        "headers": {"X-Request-Id": _ref("headers", "XRequestId")},
                    },
                    **_errors("delete"),
                },
            ),
        }
    if len(name) > 1:
        lookup = f"{base}/{'.'.join(name)}/{{{e.id_param}}}"
        paths[lookup] = {
            "parameters": [_ref("parameters", "Owner"), _ref("parameters", e.id_component)],
            "get": _operation(
                f"lookup{e.pascal}",
                f"Look up {e.article_words} by reference",
                f"Returns {e.article_words} by its own id, without its parents' ids: how a "
                f"reference string `thg:{PRODUCT}:{'.'.join(name)}#<owner>@<id>` is resolved.",
                tag,
                {**_ok("200", f"The {e.words}.", f"{e.schema}Document"), **_errors("get")},
            ),
        }
    return paths


def _token_path() -> Dict[str, Any]:
    return {
        "x-thg-token-endpoint": True,
        "servers": [{"url": TOKEN_URL.rsplit("/oauth", 1)[0], "description": "Auth server"}],
        "post": {
            "operationId": "requestToken",
            "summary": "Request an access token",
            "description": "Exchanges a client id and secret for a JWT access token.",
            "security": [],
            "tags": ["Authentication"],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("schemas", "TokenRequest")}},
            },
            "responses": {
                "200": {
                    "description": "A new access token.",
                    "content": {"application/json": {"schema": _ref("schemas", "TokenResponse")}},
                },
                "401": {
                    "description": "Unknown client or wrong secret.",
                    "content": {"application/json": {"schema": _ref("schemas", "OAuthError")}},
                },
            },
        },
    }


# --- components -------------------------------------------------------------------------------


def _parameters(fams: List[Family]) -> Dict[str, Any]:
    params: Dict[str, Any] = {
        "Owner": {
            "name": "owner",
            "in": "path",
            "required": True,
            "description": "The organisation that owns the resources (its slug).",
            "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        },
        "PageNumber": {
            "name": "page[number]",
            "in": "query",
            "required": False,
            "description": "The 1-based page to return; a page past the end is empty.",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        "PageSize": {
            "name": "page[size]",
            "in": "query",
            "required": False,
            "description": "How many resources per page.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
        },
        "Filter": {
            "name": "filter",
            "in": "query",
            "required": False,
            "description": "A filter expression in the platform's filter language.",
            "schema": {"type": "string"},
        },
    }
    for family in fams:
        for e in family.entities():
            params[e.id_component] = {
                "name": e.id_param,
                "in": "path",
                "required": True,
                "description": f"The {e.words}'s id, as assigned by the server.",
                "schema": {"type": "string", "pattern": ID_PATTERN},
            }
    return params


def _responses() -> Dict[str, Any]:
    texts = {
        "BadRequest": "The request or its filter is malformed.",
        "Unauthorized": "The access token is missing, invalid or expired.",
        "Forbidden": "The caller may not act on this owner path with this method.",
        "NotFound": "No such resource under this owner.",
        "Conflict": "The resource already exists or its state forbids this change.",
        "UnprocessableEntity": "One or more fields failed validation; one error object per field.",
        "TooManyRequests": "Rate limited; retry after the number of seconds in `Retry-After`.",
    }
    errors = {"application/json": {"schema": _ref("schemas", "ErrorsDocument")}}
    return {name: {"description": text, "content": errors} for name, text in texts.items()}


def build_spec(n_entities: int, changed: bool = False) -> Dict[str, Any]:
    """The whole OpenAPI document of a product with `n_entities` entity types."""
    fams = families(n_entities)
    if changed:
        fams[0] = fams[0].with_change()
    paths: Dict[str, Any] = {"/oauth/token": _token_path()}
    schemas: Dict[str, Any] = shared_schemas()
    for family in fams:
        for e in family.entities():
            paths.update(_entity_paths(family, e.name))
        schemas.update(family_schemas(family))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"THG Connect — Synthetic ({n_entities} entity types)",
            "version": "1.0.0",
            "x-thg-product": PRODUCT,
            "description": "A synthetic product in the style of THG Fulfil, for benchmarks.",
        },
        "servers": [{"url": API_HOST, "description": "Production"}],
        "security": [{"oauth2": []}],
        "tags": [{"name": "Authentication", "description": "Access tokens (OAuth2)."}]
        + [{"name": f.tag, "description": f"The {f.top} family."} for f in fams],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "oauth2": {
                    "type": "oauth2",
                    "description": "OAuth2 client credentials.",
                    "flows": {"clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": {}}},
                }
            },
            "parameters": _parameters(fams),
            "responses": _responses(),
            "headers": {
                "XRequestId": {
                    "description": "The platform's id for this request.",
                    "schema": {"type": "string"},
                }
            },
            "schemas": schemas,
        },
    }


class _PlainDumper(yaml.SafeDumper):
    """No anchors or aliases for shared sub-objects: our specs never use them, and OpenAPI
    Generator's YAML reader refuses more than 50."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_specs(folder: Path, n_entities: int, changed: bool = False) -> Path:
    """Write `<folder>/synth.yaml` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PRODUCT}.yaml"
    text = yaml.dump(
        build_spec(n_entities, changed),
        Dumper=_PlainDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    header = (
        f"# Synthetic product of {n_entities} entity types, written by bench/synthetic_specs.py.\n"
    )
    target.write_text(header + text, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("entities", type=int, help="how many entity types (e.g. 10, 100, 300)")
    parser.add_argument("folder", type=Path, help="the specs folder to write synth.yaml into")
    parser.add_argument("--changed", action="store_true", help="edit one entity (incremental)")
    args = parser.parse_args()
    print(write_specs(args.folder, args.entities, args.changed))


if __name__ == "__main__":
    main()
