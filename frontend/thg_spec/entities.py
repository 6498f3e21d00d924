"""Model stage, first layer: a validated spec as a Product with its tree of entities.

Frozen dataclasses holding decisions (roles resolved, operations classified, schema locations),
so that later stages (the generator's templates, the sandbox) never read OpenAPI themselves.
Build only from specs that validated clean: this stage trusts the conventions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any

from . import conventions as cv
from . import pointer as jp
from .loader import LoadedSpec
from .spec_index import SpecIndex, build_index, operations
from .validation.refs import resolve


@dataclass(frozen=True)
class QueryParameter:
    name: str
    schema: Any
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    """One HTTP operation of an entity, with the role it plays by CONVENTIONS §3 and §4."""

    operation_id: str
    role: str  # create | list | get | replace | delete | lookup | action
    method: str
    path: str
    summary: str
    description: str
    query: tuple[QueryParameter, ...]
    success_status: int
    action: str = ""
    request_schema: str = ""  # JSON pointer of the request body schema, if any
    response_schema: str = ""  # JSON pointer of the success body schema, if any


@dataclass(frozen=True)
class State:
    value: str
    schema: str  # JSON pointer of the state's schema


@dataclass(frozen=True)
class Entity:
    product: str
    name: tuple[str, ...]
    kind: str  # entity | status
    owner_role: str  # consumer | provider | self (inherited from the top-level entity)
    writer_role: str  # consumer | provider | self
    id_source: str  # server | client
    schema: str  # JSON pointer of the attributes schema
    collection_path: str
    item_path: str | None
    lookup_path: str | None
    operations: tuple[Operation, ...]
    states: tuple[State, ...]
    children: tuple[tuple[str, ...], ...]
    # Published documents name their parameters themselves (`inventory_item`, `subscription_id`):
    # the id parameter as its paths spell it ("": the annotated <lowerCamel>Id), the owner
    # parameter ("" when the paths have no organisation in them, as the events API's), and
    # where a status lists its possible states (GET …/<status>/_values).
    id_parameter: str = ""
    owner_param: str = "owner"
    values_path: str | None = None
    # A published status's possible states (CONVENTIONS §16) and where they came from: "hint"
    # (x-thg-entity states) or "enum" (both contracts the client types), "example" (the sandbox
    # answers it, the client keeps an open string), "" (none known).
    known_states: tuple[str, ...] = ()
    known_states_source: str = ""

    @property
    def type_string(self) -> str:
        return cv.entity_type_string(self.product, self.name)

    @property
    def parent(self) -> tuple[str, ...] | None:
        return self.name[:-1] or None

    @property
    def id_param(self) -> str:
        return self.id_parameter or cv.id_parameter_name(self.name[-1])

    @property
    def mutable(self) -> bool:
        return any(op.role == "replace" for op in self.operations)

    def operation(self, role: str) -> Operation | None:
        return next((op for op in self.operations if op.role == role), None)


@dataclass(frozen=True)
class Product:
    name: str
    title: str
    description: str
    source: str  # the spec's display name
    sha256: str
    base_url: str
    token_url: str
    entities: tuple[Entity, ...]
    document: Any  # the parsed spec, for schema look-ups by pointer
    dialect: str = "annotated"  # or "published": read by inference.py (CONVENTIONS §16)

    def entity(self, name: tuple[str, ...]) -> Entity:
        return next(e for e in self.entities if e.name == name)

    def resolve(self, pointer: str) -> Any:
        return resolve(self.document, {"$ref": "#" + pointer})


_ROLE_BY_SHAPE = {
    ("collection", "entity", "post"): "create",
    ("collection", "entity", "get"): "list",
    ("item", "entity", "get"): "get",
    ("item", "entity", "put"): "replace",
    ("item", "entity", "delete"): "delete",
    ("collection", "status", "post"): "create",
    ("collection", "status", "get"): "get",
    ("collection", "status", "put"): "replace",
    ("collection", "status", "delete"): "delete",
    ("lookup", "entity", "get"): "lookup",
    ("lookup", "status", "get"): "lookup",
}


def _schema_pointer(data: Any, holder: Any, at: str) -> str:
    """The pointer of the JSON schema under holder.content['application/json'].schema."""
    if isinstance(holder, dict) and isinstance(holder.get("$ref"), str):
        at = holder["$ref"][1:]
        holder = resolve(data, holder)
    content = holder.get("content") if isinstance(holder, dict) else None
    media = content.get("application/json") if isinstance(content, dict) else None
    if not isinstance(media, dict) or "schema" not in media:
        return ""
    schema = media["schema"]
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"][1:])
    return jp.child(at, "content", "application/json", "schema")


def _query_parameters(
    data: Any, path_item: dict[str, Any], op: dict[str, Any]
) -> tuple[QueryParameter, ...]:
    found: dict[str, QueryParameter] = {}
    for source in (path_item.get("parameters"), op.get("parameters")):
        for raw in source if isinstance(source, list) else []:
            param = resolve(data, raw)
            if isinstance(param, dict) and param.get("in") == "query":
                found[param["name"]] = QueryParameter(
                    name=param["name"],
                    schema=resolve(data, param.get("schema", {})),
                    required=bool(param.get("required", False)),
                    description=str(param.get("description", "")),
                )
    return tuple(found.values())


# What a published list operation accepts when its document declares no query parameter
# (CONVENTIONS §8 and §16: the platform documents them in prose only).
_LIST_DEFAULTS = (
    QueryParameter(
        "page[number]",
        {"type": "integer", "minimum": 1, "default": 1},
        False,
        "The page to read, from 1.",
    ),
    QueryParameter(
        "page[size]",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
        False,
        "Items per page.",
    ),
    QueryParameter("filter", {"type": "string"}, False, "A filter expression (CONVENTIONS §8)."),
)


def _with_list_defaults(query: tuple[QueryParameter, ...]) -> tuple[QueryParameter, ...]:
    names = {q.name for q in query}
    return query + tuple(q for q in _LIST_DEFAULTS if q.name not in names)


def _operation(
    data: Any,
    path: str,
    method: str,
    op: dict[str, Any],
    role: str,
    path_item: dict[str, Any],
    action: str = "",
) -> Operation:
    here = jp.join("paths", path, method)
    responses = op.get("responses", {})
    success = sorted(code for code in responses if code.startswith("2"))
    status = success[0] if success else "200"
    return Operation(
        operation_id=str(op.get("operationId", "")),
        role=role,
        method=method.upper(),
        path=path,
        summary=str(op.get("summary", "")),
        description=str(op.get("description", "")),
        query=_query_parameters(data, path_item, op),
        success_status=int(status) if status.isdigit() else 200,
        action=str(op.get(cv.ACTION_EXTENSION, action)),
        request_schema=_schema_pointer(data, op.get("requestBody"), jp.child(here, "requestBody")),
        response_schema=_schema_pointer(
            data, responses.get(status), jp.child(here, "responses", status)
        ),
    )


def _states(data: Any, schema_pointer: str) -> tuple[State, ...]:
    schema = resolve(data, {"$ref": "#" + schema_pointer})
    mapping = (schema.get("discriminator") or {}).get("mapping") or {}
    return tuple(State(value, str(ref)[1:]) for value, ref in mapping.items())


def _role_of(index: SpecIndex, name: tuple[str, ...], member: str) -> str:
    # A child inherits its nearest ancestor's owner unless it names the other side of the
    # partnership itself (a provider's dispatch under a consumer's request, CONVENTIONS §3).
    lineage = (index.entities.get(name[:i]) for i in range(len(name), 0, -1))
    owner = next((d.owner for d in lineage if d is not None and d.owner), None) or "self"
    if member == "owner":
        return owner
    writer = index.entities[name].writer
    return owner if writer == "owner" else writer


def build_product(spec: LoadedSpec) -> Product:
    """The Product of one spec that passed validation."""
    index = build_index(spec)
    data = spec.data
    paths: dict[str, Any] = data["paths"]
    by_entity: dict[tuple[str, ...], list[Operation]] = {name: [] for name in index.entities}
    published = index.dialect == "published"
    for path, shape in index.shapes.items():
        if shape.entity_path not in index.entities or shape.kind in ("values", "foreign"):
            continue
        decl = index.entities[shape.entity_path]
        for method, op in operations(paths[path]):
            role = (
                "action"
                if shape.kind == "action"
                else _ROLE_BY_SHAPE[(shape.kind, decl.kind, method)]
            )
            action = cv.as_lower_camel(shape.action_segment) if published else ""
            found = _operation(data, path, method, op, role, paths[path], action)
            if published and role == "list":
                found = replace(found, query=_with_list_defaults(found.query))
            by_entity[shape.entity_path].append(found)
    entities = []
    for name, decl in index.entities.items():
        schema = (decl.schema_ref or "#")[1:]
        entities.append(
            Entity(
                product=index.product,
                name=name,
                kind=decl.kind,
                owner_role=_role_of(index, name, "owner"),
                writer_role=_role_of(index, name, "writer"),
                id_source=decl.id_source,
                schema=schema,
                collection_path=decl.collection_path,
                item_path=decl.item_path,
                lookup_path=decl.lookup_path or (decl.item_path if len(name) == 1 else None),
                operations=tuple(by_entity[name]),
                states=_states(data, schema) if decl.kind == "status" else (),
                children=tuple(n for n in index.entities if n[:-1] == name),
                id_parameter=decl.id_param,
                owner_param=decl.owner_param,
                values_path=decl.values_path,
                known_states=decl.states,
                known_states_source=decl.states_source,
            )
        )
    info = data.get("info", {})
    servers = data.get("servers") or [{}]
    schemes = data.get("components", {}).get("securitySchemes", {})
    token_url = next(
        (
            s["flows"]["clientCredentials"].get("tokenUrl", "")
            for s in schemes.values()
            if isinstance(s, dict) and "clientCredentials" in s.get("flows", {})
        ),
        "",
    )
    return Product(
        name=index.product,
        title=str(info.get("title", index.product)),
        description=str(info.get("description", "")),
        source=spec.display_name,
        sha256=hashlib.sha256(spec.text.encode("utf-8")).hexdigest(),
        base_url=str(servers[0].get("url", "")),
        token_url=str(token_url),
        entities=tuple(entities),
        document=data,
        dialect=index.dialect,
    )
