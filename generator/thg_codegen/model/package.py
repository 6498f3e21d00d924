"""Model stage, third layer: the generated package as plain objects the templates print.

For each product: the module of every entity (its models, filter fields, entity type and its sync
and async resources) and a ``_common`` module for models several entities share. Every name,
annotation and docstring is decided here; templates only loop and print.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from thg_spec import conventions as cv
from thg_spec import pointer as jp
from thg_spec.entities import Entity, Operation, Product
from thg_spec.path_tree import parse_path
from thg_spec.validation.refs import lookup, resolve, scan

from .. import naming
from .imports import MODULE_IMPORTS, import_block, member_key, names_in, sorted_members
from .schemas import FieldDef, SchemaTyper, TypeDef, literal, runtime_model

__all__ = ["MODULE_IMPORTS"]  # re-exported: tests check definitions are named around it

COMMON_MODULE = "_common"
DOCUMENT_TYPE = "document:document"
_FREE = "\0free"  # the pseudo-user of component schemas that no operation reaches

_METHOD_NAMES = ("get", "list", "create", "update", "delete")


@dataclass(frozen=True)
class Param:
    name: str
    wire: str
    annotation: str


@dataclass(frozen=True)
class Method:
    kind: str  # list | get | create | update | delete | action
    name: str
    http_method: str
    docstring: str
    attributes: str = ""  # the attributes type whose resource objects come back
    body: str = ""  # annotation of the body parameter ("" when the method sends none)
    body_type: str = ""  # the request's data.type
    client_id: str = ""  # create with a caller-chosen id: the parameter's name
    params: tuple[Param, ...] = ()
    result: str = "None"  # the return annotation
    document: str = ""  # actions: the runtime type the response decodes as
    segment: str = ""  # actions: the path segment after the item
    headers: tuple[Param, ...] = ()  # actions: required header parameters, sent as given
    runtime: tuple[str, ...] = ()  # runtime types (x-thg-runtime-model) its annotations name
    # The operation's path has another prefix than its parent's chain (a published document
    # mixing generations): (the chain's prefix template, the operation's), for `_rebased`.
    rebase: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prefix:
    """A path prefix as the client builds it: ``head + <owner> + tail``, or ``head`` alone when
    the paths have no owner parameter (the events API's published document)."""

    head: str
    tail: str = ""
    owned: bool = True


@dataclass(frozen=True)
class Child:
    attribute: str
    module: str
    sync_class: str
    async_class: str
    segment: str
    prefix: Prefix | None = None  # top level: its own prefix when not the product's


@dataclass(frozen=True)
class ResourceClass:
    kind: str  # collection | endpoint
    name: str
    async_name: str
    docstring: str
    methods: tuple[Method, ...]
    children: tuple[Child, ...] = ()
    item_class: str = ""  # collection: the endpoint class its __call__ returns
    item_async_class: str = ""
    id_param: str = ""  # collection: the __call__ parameter


@dataclass(frozen=True)
class FilterField:
    name: str
    wire: str
    kind: str  # StringField, IntField, …, or EnumField[Name]


@dataclass(frozen=True)
class EntityModule:
    module: str
    entity: Entity
    constant: str
    type_string: str
    path_literal: str
    attributes: str
    definitions: tuple[TypeDef, ...]
    rebuild: tuple[str, ...]
    common_imports: tuple[str, ...]
    filter_class: str
    filter_fields: tuple[FilterField, ...]
    resources: tuple[ResourceClass, ...]
    docstring: str
    runtime_imports: tuple[str, ...] = ()  # runtime types (x-thg-runtime-model) it names
    imports: str = ""  # the absolute import block: only what the module's code names
    checking_imports: tuple[str, ...] = ()  # the `if TYPE_CHECKING:` imports (children)

    @property
    def child_imports(self) -> tuple[Child, ...]:
        return tuple(c for r in self.resources for c in r.children)


@dataclass(frozen=True)
class ProductPackage:
    product: Product
    package: str
    path_prefix: str  # the literal part of the top-level collection paths before {owner}
    sync_class: str
    async_class: str
    common: tuple[TypeDef, ...]
    common_rebuild: tuple[str, ...]
    entities: tuple[EntityModule, ...]
    top_level: tuple[Child, ...]
    exports: tuple[tuple[str, str], ...]  # (public name, module)
    checking_exports: tuple[tuple[str, str], ...] = ()  # exports in isort's order
    checking_imports: tuple[str, ...] = ()  # _product's `if TYPE_CHECKING:` imports
    uploads: bool = False  # the documents API (CONVENTIONS §12): the product can upload files
    common_runtime: tuple[str, ...] = ()  # runtime types (x-thg-runtime-model) _common names
    common_import_block: str = ""  # _common's import block: only what its definitions name
    path_tail: str = ""  # the literal part after {owner} ("/v1" in /{owner}/v1/inventory)
    owned: bool = True  # the paths name an owner: False for an owner-less published product

    def module_of(self, entity: Entity) -> EntityModule:
        return next(m for m in self.entities if m.entity.name == entity.name)


# -- payloads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Payload:
    attributes: str  # pointer of the attributes schema
    is_list: bool
    type_string: str
    runtime: str = ""  # the resource object is a runtime type (x-thg-runtime-model)


def _payload(document: Any, body_pointer: str) -> _Payload | None:
    """Where a JSON:API body keeps its attributes: body -> data (-> items) -> attributes."""
    if not body_pointer:
        return None
    at = body_pointer
    body = resolve(document, lookup(document, "#" + at))
    data = (body.get("properties") or {}).get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        return None
    at = _target(document, jp.child(_target(document, at), "properties", "data"))
    data = lookup(document, "#" + at)
    is_list = isinstance(data, dict) and data.get("type") == "array"
    if is_list:
        at = _target(document, jp.child(at, "items"))
        data = lookup(document, "#" + at)
    props = data.get("properties") if isinstance(data, dict) else None
    if not isinstance(props, dict) or "attributes" not in props:
        return None
    kind = resolve(document, props.get("type", {}))
    type_string = str(kind.get("const", "")) if isinstance(kind, dict) else ""
    return _Payload(
        _target(document, jp.child(at, "properties", "attributes")),
        is_list,
        type_string,
        runtime_model(data),
    )


def _target(document: Any, pointer: str) -> str:
    value = lookup(document, "#" + pointer)
    seen = 0
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and seen < 32:
        pointer = value["$ref"][1:]
        value = lookup(document, value["$ref"])
        seen += 1
    return pointer


def _operation_refs(document: Any) -> set[str]:
    """Component schemas reachable from any path (the rest are free-standing)."""
    seen: set[str] = set()
    pending = [ref[1:] for ref in scan(document.get("paths", {})).refs]
    while pending:
        pointer = pending.pop()
        while pointer and pointer not in seen:
            seen.add(pointer)
            target = lookup(document, "#" + pointer)
            pending.extend(ref[1:] for ref in scan(target).refs)
            pointer = ""
    return seen


# -- docstrings ---------------------------------------------------------------------------------


def docstring(*parts: str) -> str:
    """The text of a docstring from spec prose: paragraphs joined, lines right-stripped."""
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    return "\n".join(line.rstrip() for line in text.splitlines())


# -- building -----------------------------------------------------------------------------------


class _Builder:
    def __init__(self, product: Product) -> None:
        self.product = product
        self.document = product.document
        self.typer = SchemaTyper(self.document, set(MODULE_IMPORTS) | _runtime_names(self.document))
        self.roots: dict[str, list[str]] = {}  # module -> definition names it starts from
        modules = naming.Namespace({COMMON_MODULE, "_product", "_client"}, avoid_builtins=True)
        self.modules = {
            e.name: modules.claim(naming.snake("_".join(e.name))) for e in product.entities
        }
        self.attributes: dict[tuple[str, ...], str] = {}

    def root(self, module: str, pointer: str, hint: str) -> str:
        name = self.typer.named(pointer, hint)
        self.roots.setdefault(module, []).append(name)
        return name

    # models ------------------------------------------------------------------------------------

    def type_entities(self) -> None:
        for entity in self.product.entities:
            module = self.modules[entity.name]
            hint = naming.pascal("-".join(entity.name))
            self.attributes[entity.name] = self.root(module, entity.schema, hint)
        reached = _operation_refs(self.document)
        free = [
            p
            for p in self._component_pointers()
            if p not in reached and not runtime_model(lookup(self.document, "#" + p))
        ]
        for pointer in free:
            self.root(_FREE, pointer, pointer.rsplit("/", 1)[-1])

    def _component_pointers(self) -> list[str]:
        schemas = (self.document.get("components") or {}).get("schemas") or {}
        return [jp.join("components", "schemas", name) for name in schemas]

    def action_types(
        self, entity: Entity, op: Operation
    ) -> tuple[_Payload | None, str, _Payload | None, str]:
        module = self.modules[entity.name]
        hint = naming.pascal(op.action or op.operation_id)
        request = _payload(self.document, op.request_schema)
        response = _payload(self.document, op.response_schema)
        request_type = self.root(module, request.attributes, f"{hint}Attributes") if request else ""
        response_type = ""
        if response is not None:
            response_type = response.runtime or self.root(
                module, response.attributes, f"{hint}Result"
            )
        return request, request_type, response, response_type

    def placement(self) -> dict[str, str]:
        """Definition name -> module: an entity's own module when only it uses the definition,
        ``_common`` when several entities (or none) do."""
        users: dict[str, set[str]] = {}
        for module, names in sorted(self.roots.items()):
            stack = list(names)
            seen: set[str] = set()
            while stack:
                name = stack.pop()
                if name in seen:
                    continue
                seen.add(name)
                users.setdefault(name, set()).add(module)
                stack.extend(self.typer.defs[name].depends)
        return {
            name: next(iter(mods)) if len(mods) == 1 and _FREE not in mods else COMMON_MODULE
            for name, mods in users.items()
        }


def _ordered(defs: dict[str, TypeDef], names: Iterable[str]) -> tuple[list[TypeDef], list[str]]:
    """Definitions with dependencies first; the models of cycles are rebuilt at the end."""
    wanted = set(names)
    order: list[TypeDef] = []
    state: dict[str, int] = {}
    cyclic: set[str] = set()

    def visit(name: str, stack: list[str]) -> None:
        if state.get(name) == 2 or name not in wanted:
            return
        if state.get(name) == 1:
            cyclic.update(stack[stack.index(name) :])
            return
        state[name] = 1
        stack.append(name)
        for dep in defs[name].depends:
            visit(dep, stack)
        stack.pop()
        state[name] = 2
        order.append(defs[name])

    for name in sorted(wanted):
        visit(name, [])
    rebuild = [d.name for d in order if d.name in cyclic and d.kind == "model"]
    return order, rebuild


_SCALAR_FIELDS = {
    "str": "StringField",
    "Reference": "StringField",
    "int": "IntField",
    "float": "NumberField",
    "bool": "BoolField",
    "UtcDateTime": "DateTimeField",
    "date": "DateField",
}
_META_FIELDS = (
    ("id", "StringField"),
    ("createdAt", "DateTimeField"),
    ("updatedAt", "DateTimeField"),
    ("creator", "StringField"),
    ("owner", "StringField"),
)


def _filter_fields(typer: SchemaTyper, root: str) -> tuple[FilterField, ...]:
    names = naming.Namespace()
    found: list[FilterField] = []
    wires: set[str] = set()

    def walk(def_name: str, wire_prefix: str, name_prefix: str, depth: int) -> None:
        definition = typer.defs[def_name]
        if definition.kind == "union":
            for dep in definition.depends:
                walk(dep, wire_prefix, name_prefix, depth)
            return
        for f in definition.fields if definition.kind == "model" else ():
            wire = f"{wire_prefix}{f.wire}"
            bare = (f.base or f.annotation).removeprefix("Optional[").removesuffix("]")
            if wire in wires or not naming.is_identifier(f.wire) or not cv.filterable(f.wire):
                continue
            kind = _SCALAR_FIELDS.get(bare)
            if kind is None and bare.startswith("Literal["):
                kind = "StringField" if bare[8:9] in "'\"" else None
            target = typer.defs.get(bare)
            if kind is None and target is not None and target.kind == "enum":
                kind = f"EnumField[{bare}]"
            if kind is not None:
                wires.add(wire)
                found.append(FilterField(names.claim(f"{name_prefix}{f.name}"), wire, kind))
            elif target is not None and target.kind == "model" and depth < 3:
                walk(bare, f"{wire}.", f"{name_prefix}{f.name}_", depth + 1)

    walk(root, "", "", 0)
    for wire, kind in _META_FIELDS:
        if wire not in wires:
            found.append(FilterField(names.claim(naming.snake(wire)), wire, kind))
    return tuple(found)


def _runtime_names(document: Any) -> set[str]:
    """The runtime types the document's schemas stand for: reserved, so no definition takes one."""
    schemas = (
        (document.get("components") or {}).get("schemas") if isinstance(document, dict) else None
    )
    return {runtime_model(s) for s in (schemas or {}).values()} - {""}


def _header_params(document: Any, op: Operation, taken: naming.Namespace) -> tuple[Param, ...]:
    """The operation's required header parameters (e.g. the confirm's ``receipt-handle``)."""
    path_item = lookup(document, "#" + jp.join("paths", op.path))
    path_item = path_item if isinstance(path_item, dict) else {}
    operation = path_item.get(op.method.lower())
    found: dict[str, Param] = {}
    for source in (path_item.get("parameters"), (operation or {}).get("parameters")):
        for raw in source if isinstance(source, list) else []:
            param = resolve(document, raw)
            if not isinstance(param, dict) or param.get("in") != "header":
                continue
            name = param.get("name")
            if isinstance(name, str) and name and param.get("required") is True:
                found[name.lower()] = Param(taken.claim(naming.snake(name)), name, "str")
    return tuple(found.values())


def _query_params(typer: SchemaTyper, op: Operation, taken: naming.Namespace) -> tuple[Param, ...]:
    params = []
    for query in op.query:
        annotation = _param_annotation(query.schema)
        params.append(Param(taken.claim(naming.snake(query.name)), query.name, annotation))
    return tuple(params)


def _param_annotation(schema: Any) -> str:
    kind = schema.get("type") if isinstance(schema, dict) else None
    return {"integer": "int", "number": "float", "boolean": "bool"}.get(str(kind), "str")


_CALL_OPTIONS = ("timeout", "extra_headers", "extra_query")


class _Resources:
    """The resource classes of every entity, named product-wide."""

    def __init__(self, builder: _Builder, names: naming.Namespace) -> None:
        self.b = builder
        self.names = names
        self.classes: dict[tuple[str, ...], tuple[str, str, str, str]] = {}
        # operation id -> (entity name, on the item (else the collection), Python method name)
        self.operations: dict[str, tuple[tuple[str, ...], bool, str]] = {}
        for entity in builder.product.entities:
            full = "-".join(entity.name)
            if entity.kind == "status":
                endpoint = names.claim(naming.pascal(full) + "Endpoint")
                self.classes[entity.name] = ("", "", endpoint, names.claim("Async" + endpoint))
            else:
                collection = names.claim(naming.pascal(naming.plural(naming.snake(full))))
                endpoint = names.claim(naming.pascal(full) + "Endpoint")
                self.classes[entity.name] = (
                    collection,
                    names.claim("Async" + collection),
                    endpoint,
                    names.claim("Async" + endpoint),
                )

    def child(self, entity: Entity, taken: naming.Namespace) -> Child:
        segment = entity.name[-1]
        collection, async_collection, endpoint, async_endpoint = self.classes[entity.name]
        if entity.kind == "status":
            attribute = taken.claim(naming.snake(segment))
            return Child(attribute, self.b.modules[entity.name], endpoint, async_endpoint, segment)
        attribute = taken.claim(naming.plural(naming.snake(segment)))
        return Child(attribute, self.b.modules[entity.name], collection, async_collection, segment)

    def build(self, entity: Entity) -> tuple[ResourceClass, ...]:
        attributes = self.b.attributes[entity.name]
        collection, async_collection, endpoint, async_endpoint = self.classes[entity.name]
        label = " ".join(naming.words(entity.name[-1]))
        item_methods: list[Method] = []
        collection_methods: list[Method] = []
        taken = naming.Namespace(set(_METHOD_NAMES) | set(_CALL_OPTIONS))
        for op in entity.operations:
            counts = len(item_methods), len(collection_methods)
            doc = docstring(op.summary, op.description)
            resource = f"Resource[{attributes}]"
            rebase = _rebase(self.b.product, entity, op.path)
            if op.role == "list":
                collection_methods.append(
                    Method(
                        "list",
                        "list",
                        "GET",
                        doc,
                        attributes,
                        result=f"Paginator[{resource}]",
                        rebase=rebase,
                    )
                )
            elif op.role == "create":
                client_id = naming.snake(entity.id_param) if entity.id_source == "client" else ""
                target = item_methods if entity.kind == "status" else collection_methods
                target.append(
                    Method(
                        "create",
                        "create",
                        "POST",
                        doc,
                        attributes,
                        body=attributes,
                        body_type=entity.type_string,
                        client_id=client_id,
                        result=resource,
                        rebase=rebase,
                    )
                )
            elif op.role == "get":
                item_methods.append(
                    Method("get", "get", "GET", doc, attributes, result=resource, rebase=rebase)
                )
            elif op.role == "replace":
                item_methods.append(
                    Method(
                        "update",
                        "update",
                        "PUT",
                        doc,
                        attributes,
                        body=attributes,
                        body_type=entity.type_string,
                        result=resource,
                        rebase=rebase,
                    )
                )
            elif op.role == "delete":
                item_methods.append(Method("delete", "delete", "DELETE", doc, rebase=rebase))
            elif op.role == "action":
                item_methods.append(self._action(entity, op, doc, taken, rebase))
            if len(item_methods) > counts[0]:
                self.operations[op.operation_id] = (entity.name, True, item_methods[-1].name)
            elif len(collection_methods) > counts[1]:
                self.operations[op.operation_id] = (entity.name, False, collection_methods[-1].name)
        if entity.kind == "status" and entity.values_path:
            # Declared in a published document; implied in the annotated dialect (§3, THG029).
            summary = _values_summary(self.b.document, entity.values_path)
            summary = summary or f"List the possible states of this {label}."
            item_methods.append(
                Method(
                    "values",
                    taken.claim("values"),
                    "GET",
                    docstring(
                        summary, "Its possible states, as the platform lists them at run time."
                    ),
                    result="List[str]",
                    rebase=_rebase(self.b.product, entity, entity.values_path),
                )
            )
        children = tuple(self.child(self.b.product.entity(name), taken) for name in entity.children)
        endpoint_doc = docstring(f"One {label}: its operations and its children.")
        endpoint_class = ResourceClass(
            "endpoint", endpoint, async_endpoint, endpoint_doc, tuple(item_methods), children
        )
        if entity.kind == "status":
            status_doc = docstring(f"The {label} status of its parent: one per parent.")
            return (
                ResourceClass(
                    "endpoint", endpoint, async_endpoint, status_doc, tuple(item_methods), children
                ),
            )
        collection_doc = docstring(f"The {label} collection. Call it with an id for one {label}.")
        return (
            endpoint_class,
            ResourceClass(
                "collection",
                collection,
                async_collection,
                collection_doc,
                tuple(collection_methods),
                item_class=endpoint,
                item_async_class=async_endpoint,
                id_param=naming.snake(entity.id_param),
            ),
        )

    def _action(
        self,
        entity: Entity,
        op: Operation,
        doc: str,
        taken: naming.Namespace,
        rebase: tuple[str, ...] = (),
    ) -> Method:
        request, request_type, response, response_type = self.b.action_types(entity, op)
        # "self" too: a query parameter named self would be a duplicate argument of the method.
        taken_params = naming.Namespace({"self", "attributes", *_CALL_OPTIONS})
        headers = _header_params(self.b.document, op, taken_params)
        params = _query_params(self.b.typer, op, taken_params)
        runtime: tuple[str, ...] = ()
        if response is None:
            result, document = "None", "None"
        elif response.runtime:  # decoded by the runtime's own type (x-thg-runtime-model)
            runtime = (response.runtime,)
            if response.is_list:
                result, document = f"List[{response_type}]", f"_{response_type}ListDocument"
            else:
                result, document = f"Optional[{response_type}]", f"_{response_type}Document"
        elif response.is_list:
            result = f"List[Resource[{response_type}]]"
            document = f"_ListDocument[{response_type}]"
        else:
            result = f"Resource[{response_type}]"
            document = f"_Document[{response_type}]"
        segment = op.path.rsplit("/", 1)[-1]
        return Method(
            "action",
            taken.claim(naming.snake(op.action)),
            op.method,
            doc,
            body=request_type,
            body_type=request.type_string if request else "",
            params=params,
            result=result,
            document=document,
            segment=segment,
            headers=headers,
            runtime=runtime,
            rebase=rebase,
        )


def _typed_states(statuses: list[Entity]) -> tuple[str, ...]:
    """The states to type the ``state`` of attributes these published statuses share: those
    the document gives as a contract (the ``states`` hint, an ``enum`` on ``_values``; not an
    example, which only illustrates), when every one of them gives the same; else ()."""
    found = {e.known_states if e.known_states_source in ("hint", "enum") else () for e in statuses}
    return next(iter(found)) if len(found) == 1 else ()


def _status_state(typer: SchemaTyper, name: str, statuses: list[Entity]) -> None:
    """The ``state`` of a published status's attributes (CONVENTIONS §16), whose states are
    listed at run time (``values()``) rather than declared: added as an open
    ``Optional[str]`` when the schema has none; where the document gives the states
    (``_typed_states``), typed as an open enum of them (a state it does not list still
    decodes), also over a plain ``str`` the schema declares itself."""
    definition = typer.defs.get(name)
    if definition is None or definition.kind != "model":
        return
    states = _typed_states(statuses)
    own = next((f for f in definition.fields if "state" in (f.wire, f.name)), None)
    if own is not None and (not states or len(re.findall(r"\bstr\b", own.annotation)) != 1):
        return
    enum = ""
    if states:
        first = statuses[0]
        # Named after the status, or after the attributes model several statuses share.
        owner_name = first.name if len(statuses) == 1 else (name,)
        enum = typer.names.claim(naming.pascal("_".join((*owner_name, "state"))))
        typer.defs[enum] = typer.open_enum(
            enum,
            list(states),
            jp.join("paths", first.values_path or first.collection_path),
            f"The possible states of {', '.join('.'.join(e.name) for e in statuses)}, as "
            "values() lists them.",
        )
    if own is not None:
        typed = replace(
            own,
            annotation=re.sub(r"\bstr\b", enum, own.annotation),
            base=re.sub(r"\bstr\b", enum, own.base),
        )
        fields = tuple(typed if f is own else f for f in definition.fields)
    else:
        state = FieldDef(
            "state",
            "state",
            f"Optional[{enum or 'str'}]",
            ("default=None",),
            "The state: one of those values() lists; None when the body carries none.",
            False,
        )
        fields = (*definition.fields, state)
    depends = (*definition.depends, enum) if enum else definition.depends
    typer.defs[name] = replace(definition, fields=fields, depends=depends)


def _values_summary(document: Any, path: str) -> str:
    operation = lookup(document, "#" + jp.join("paths", path, "get"))
    return str(operation.get("summary", "")) if isinstance(operation, dict) else ""


def prefix_of(entity: Entity) -> Prefix:
    """How the client builds a top-level entity's collection prefix, from its path's own prefix
    (CONVENTIONS §2 and §16): ``/api/thg-fulfil/v1/`` + owner, ``/`` + owner + ``/v1``, or
    none at all for a product whose paths name no owner."""
    parsed = parse_path(entity.collection_path)
    if not parsed.owner_param:
        return Prefix(parsed.prefix, owned=False)
    head, _, tail = parsed.prefix.partition("{" + parsed.owner_param + "}")
    return Prefix(head, tail)


def _rebase(product: Product, entity: Entity, path: str) -> tuple[str, ...]:
    """(the chain's prefix template, the operation's) when an operation's own path has another
    prefix than the one the client's chain of resources builds; () when they agree (always, in
    an annotated spec)."""
    chained = parse_path(product.entity(entity.name[:1]).collection_path)
    own = parse_path(path)
    if own.problem or own.prefix == chained.prefix:
        return ()
    new = own.prefix
    if own.owner_param and chained.owner_param:
        new = new.replace("{" + own.owner_param + "}", "{" + chained.owner_param + "}")
    return (chained.prefix, new)


def build_package(product: Product, package: str) -> ProductPackage:
    """The generated subpackage of one product."""
    builder = _Builder(product)
    builder.type_entities()
    # A published status's attributes (statuses sharing a schema share its state's type).
    statuses: dict[str, list[Entity]] = {}
    for entity in product.entities:
        if entity.kind == "status" and product.dialect == "published" and not entity.states:
            statuses.setdefault(builder.attributes[entity.name], []).append(entity)
    for attributes, sharing in statuses.items():
        if any(e.values_path for e in sharing):
            _status_state(builder.typer, attributes, sharing)
    resources = _Resources(builder, builder.typer.names)
    sync_class = builder.typer.names.claim(naming.pascal(product.name) + "API")
    async_class = builder.typer.names.claim("Async" + sync_class)
    built = {e.name: resources.build(e) for e in product.entities}
    top_names = naming.Namespace({"get", "owner"})
    tops = [e for e in product.entities if len(e.name) == 1]
    main = prefix_of(tops[0]) if tops else Prefix("")
    top_level = tuple(
        replace(
            resources.child(e, top_names), prefix=None if prefix_of(e) == main else prefix_of(e)
        )
        for e in tops
    )
    calls = _python_calls(product, package, resources.operations, built, tops, top_level)
    built = {name: _with_calls(classes, calls) for name, classes in built.items()}
    placement = builder.placement()
    defs = builder.typer.defs
    by_module: dict[str, list[str]] = {}
    for name, module in placement.items():
        by_module.setdefault(module, []).append(name)
    common, common_rebuild = _ordered(defs, by_module.get(COMMON_MODULE, []))
    modules = []
    names = builder.typer.names
    for entity in product.entities:
        module = builder.modules[entity.name]
        own, rebuild = _ordered(defs, by_module.get(module, []))
        used: set[str] = set(builder.roots.get(module, []))
        runtime_used: set[str] = set()
        for definition in own:
            used.update(definition.depends)
            runtime_used.update(definition.runtime)
        for resource_class in built[entity.name]:
            for method in resource_class.methods:
                runtime_used.update(method.runtime)
        filter_fields = _filter_fields(builder.typer, builder.attributes[entity.name])
        used.update(f.kind[10:-1] for f in filter_fields if f.kind.startswith("EnumField["))
        full = "-".join(entity.name)
        children = sorted(
            {c.module: c for r in built[entity.name] for c in r.children}.values(),
            key=lambda c: c.module,
        )
        code = _definition_names(own) | _resource_names(built[entity.name])
        code.add("EntityType")
        if filter_fields:
            code |= names_in("ClassVar", *(f.kind for f in filter_fields))
        if children:
            code.add("TYPE_CHECKING")
        common_used = tuple(sorted_members(n for n in used if placement.get(n) == COMMON_MODULE))
        modules.append(
            EntityModule(
                module=module,
                entity=entity,
                constant=names.claim(naming.upper_snake(full)),
                type_string=entity.type_string,
                path_literal="(" + "".join(f"{literal(s)}, " for s in entity.name) + ")",
                attributes=builder.attributes[entity.name],
                definitions=tuple(own),
                rebuild=tuple(rebuild),
                common_imports=common_used,
                filter_class=names.claim(naming.pascal(full) + "Filter"),
                filter_fields=filter_fields,
                resources=built[entity.name],
                runtime_imports=tuple(sorted(runtime_used)),
                imports=import_block(code, runtime_used),
                checking_imports=tuple(
                    f"from .{c.module} import "
                    + ", ".join(sorted_members((c.sync_class, c.async_class)))
                    for c in children
                ),
                docstring=docstring(
                    f"The {' '.join(naming.words(full))} entity of {product.name} "
                    f"(`{entity.type_string}`).",
                    str(product.resolve(entity.schema).get("description", "")),
                ),
            )
        )
    exports: list[tuple[str, str]] = [(d.name, COMMON_MODULE) for d in common]
    for m in modules:
        exports.extend((d.name, m.module) for d in m.definitions)
        exports.append((m.constant, m.module))
        exports.append((m.filter_class, m.module))
        for r in m.resources:
            exports.extend(((r.name, m.module), (r.async_name, m.module)))
    exports.extend(((sync_class, "_product"), (async_class, "_product")))
    return ProductPackage(
        product=product,
        package=package,
        path_prefix=main.head,
        path_tail=main.tail,
        owned=main.owned,
        sync_class=sync_class,
        async_class=async_class,
        common=tuple(common),
        common_rebuild=tuple(common_rebuild),
        entities=tuple(modules),
        top_level=top_level,
        checking_exports=tuple(sorted(exports, key=lambda e: (e[1], member_key(e[0])))),
        checking_imports=tuple(
            f"from .{c.module} import " + ", ".join(sorted_members((c.sync_class, c.async_class)))
            for c in sorted(top_level, key=lambda c: c.module)
        ),
        exports=tuple(sorted(exports)),
        uploads=any(e.type_string == DOCUMENT_TYPE for e in product.entities),
        common_runtime=tuple(sorted({r for d in common for r in d.runtime})),
        common_import_block=import_block(
            _definition_names(common), {r for d in common for r in d.runtime}
        ),
    )


def _definition_names(defs: Iterable[TypeDef]) -> set[str]:
    """The names the printed definitions use (templates/_defs.py.j2)."""
    used: set[str] = set()
    for d in defs:
        if d.kind == "model":
            used.add("ApiModel")
            if d.constants or d.not_nullable:
                used |= {"ClassVar", "FrozenSet"}
            for f in d.fields:
                used |= names_in(f.annotation, *f.arguments)
                if f.arguments:
                    used.add("Field")
        elif d.kind == "enum":
            used.add("OpenEnum")
        else:
            used |= names_in(d.annotation)
    return used


def _resource_names(resources: Iterable[ResourceClass]) -> set[str]:
    """The names the printed resource classes use (templates/_resource.py.j2)."""
    used: set[str] = set()
    for r in resources:
        used |= {"SyncResource", "AsyncResource"}
        if r.kind == "collection":
            used.add("path_id")
        for m in r.methods:
            used |= {"Optional", "Headers", "Query"}  # the per-call options
            used |= names_in(m.attributes, m.body, m.document)
            if m.kind == "list":
                used |= {"FilterArg", "Paginator", "AsyncPaginator"} | names_in(m.result[9:])
            elif m.kind == "values":
                used.add("List")
            else:
                used |= names_in(m.result)
            if m.client_id:
                used.add("require_id")
            for p in (*m.params, *m.headers):
                used |= names_in(p.annotation)
    return used


def _python_calls(
    product: Product,
    package: str,
    operations: dict[str, tuple[tuple[str, ...], bool, str]],
    built: dict[tuple[str, ...], tuple[ResourceClass, ...]],
    tops: list[Entity],
    top_level: tuple[Child, ...],
) -> dict[str, str]:
    """Operation id -> the Python call a reader writes for it, such as
    ``client.thg_fulfil.inventory_items(id).approval.get()``."""
    reach: dict[tuple[str, ...], tuple[str, str]] = {}  # entity -> (collection, item) expressions

    def visit(name: tuple[str, ...], expression: str) -> None:
        status = product.entity(name).kind == "status"
        item = expression if status else f"{expression}(id)"
        reach[name] = (expression, item)
        for resource in built[name]:
            if resource.kind == "endpoint":
                for child in resource.children:
                    visit((*name, child.segment), f"{item}.{child.attribute}")

    for entity, child in zip(tops, top_level, strict=True):
        visit(entity.name, f"client.{package}.{child.attribute}")
    calls = {}
    for operation_id, (name, on_item, method) in operations.items():
        if operation_id and name in reach:
            collection, item = reach[name]
            calls[operation_id] = f"{item if on_item else collection}.{method}()"
    return calls


_CODE_SPAN = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)`")


def _with_calls(
    classes: tuple[ResourceClass, ...], calls: dict[str, str]
) -> tuple[ResourceClass, ...]:
    """The classes with every `operationId` their docstrings name printed as its Python call: a
    reader of the client calls methods, never operation ids."""

    def rewrite(text: str) -> str:
        return _CODE_SPAN.sub(lambda m: f"`{calls.get(m.group(1), m.group(1))}`", text)

    return tuple(
        replace(
            r,
            docstring=rewrite(r.docstring),
            methods=tuple(replace(m, docstring=rewrite(m.docstring)) for m in r.methods),
        )
        for r in classes
    )
