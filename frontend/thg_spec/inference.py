"""Reads a published document (the platform's FastAPI exports, no `x-thg-*` declarations) into the
same SpecIndex the annotated dialect gives: two dialects, one model (DESIGN.md).

The entity tree comes from the paths (path_tree.py), as Kiota builds its URL tree; each node's
kind from the tree and the operations' shapes:

- a top-level node, or a node with an item path (`…/<entity>/{id}`), is an entity;
- a child node with no item path is a status when it has a `/_values` sibling or its GET answers
  one object (not a list);
- a child node with a list GET and a POST is an entity whose items have no path of their own;
- any other child node (a DELETE …/confirm, a GET …/poll answering a list) is an action of its
  parent's item, named after its segment.

The attributes schema is found inside the JSON:API envelope (`data.attributes`) of the
operations' bodies, following `$ref`s and `anyOf [X, null]`. What the document cannot say (who
owns and who writes an entity, where the token endpoint is) comes from `x-thg-*` hints where the
document (or an overlay) has them; where it has none, a located diagnostic names the hint, as a
warning where a stated default is safe and an error where it is not (CONVENTIONS §16). Hints
win over inference. Names come from the paths, never from FastAPI's operation ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from . import conventions as cv
from . import pointer as jp
from .diagnostics import Diagnostic, Severity
from .loader import LoadedSpec
from .path_tree import ParsedPath, parse_path, render_path
from .spec_index import EntityDecl, HintNeeded, PathShape, SpecIndex, operations
from .validation.refs import MISSING, lookup

_JSON = "application/json"
_MAX_DEPTH = 16


@dataclass
class _Node:
    """One node of the URL tree: the paths that address it, by role."""

    name: tuple[str, ...]
    collections: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    kind: str = ""  # entity | status | action


def _warning(spec: LoadedSpec, pointer: str, rule: str, message: str, hint: str) -> Diagnostic:
    return replace(spec.diagnostic(pointer, rule, message, hint), severity=Severity.WARNING)


# -- schemas inside the envelope -------------------------------------------------------------------


def _follow(data: Any, node: Any, at: str) -> tuple[Any, str]:
    """Through `$ref` chains and single-branch wrappers (`anyOf [X, null]`, `allOf [X]`): the
    schema that says what the value is, and its pointer."""
    for _ in range(_MAX_DEPTH):
        if not isinstance(node, dict):
            return node, at
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = lookup(data, ref)
            if target is MISSING or not ref.startswith("#"):
                return {}, at
            node, at = target, ref[1:]
            continue
        for key in ("anyOf", "oneOf", "allOf"):
            branches = node.get(key)
            if not isinstance(branches, list):
                continue
            kept = [
                (i, b)
                for i, b in enumerate(branches)
                if not (isinstance(b, dict) and b.get("type") == "null")
            ]
            if len(kept) == 1 and not node.get("properties"):
                i, branch = kept[0]
                node, at = branch, jp.child(at, key, i)
                break
        else:
            return node, at
    return node, at


def _member(data: Any, schema: Any, at: str, name: str) -> tuple[Any, str]:
    schema, at = _follow(data, schema, at)
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict) or name not in props:
        return None, ""
    return _follow(data, props[name], jp.child(at, "properties", name))


def _is_list(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("type") == "array" or "items" in schema)


def _body_schema(data: Any, holder: Any, at: str) -> tuple[Any, str]:
    """The JSON schema of a request body or response (itself possibly a `$ref`)."""
    holder, at = _follow(data, holder, at)
    content = holder.get("content") if isinstance(holder, dict) else None
    media = content.get(_JSON) if isinstance(content, dict) else None
    if not isinstance(media, dict) or "schema" not in media:
        return None, ""
    return _follow(data, media["schema"], jp.child(at, "content", _JSON, "schema"))


def _success(op: dict[str, Any]) -> str | None:
    responses = op.get("responses")
    codes = (
        sorted(c for c in responses if str(c).startswith("2"))
        if isinstance(responses, dict)
        else []
    )
    return str(codes[0]) if codes else None


@dataclass(frozen=True)
class _Envelope:
    """What one operation's body says about its entity."""

    is_list: bool  # `data` is an array
    attributes: str  # pointer of `data.attributes` (items' for a list), "" when absent
    requires_id: bool  # a request's `data` requires `id`: the caller chooses it


def _envelope(data: Any, schema: Any, at: str, bare: bool = False) -> _Envelope | None:
    """What a body says; `bare`: a request body with no `data` member is the attributes
    themselves (the platform's create operations take them so, operations.md F4-F6)."""
    member, where = _member(data, schema, at, "data")
    if member is None:
        is_object = isinstance(schema, dict) and (
            schema.get("type") == "object" or isinstance(schema.get("properties"), dict)
        )
        return _Envelope(False, at, False) if bare and is_object else None
    is_list = _is_list(member)
    if is_list:
        member, where = _follow(data, member.get("items", {}), jp.child(where, "items"))
    attributes, attributes_at = _member(data, member, where, "attributes")
    if _is_list(attributes):  # a list's attributes rendered as an array of them (F3)
        attributes, attributes_at = _follow(
            data, attributes.get("items", {}), jp.child(attributes_at, "items")
        )
    required = member.get("required") if isinstance(member, dict) else None
    return _Envelope(
        is_list,
        attributes_at if isinstance(attributes, dict) else "",
        isinstance(required, list) and "id" in required,
    )


def _request(data: Any, path: str, method: str, op: dict[str, Any]) -> _Envelope | None:
    where = jp.join("paths", path, method, "requestBody")
    schema, at = _body_schema(data, op.get("requestBody"), where)
    return _envelope(data, schema, at, bare=True) if schema is not None else None


def _response(data: Any, path: str, method: str, op: dict[str, Any]) -> _Envelope | None:
    status = _success(op)
    if status is None:
        return None
    where = jp.join("paths", path, method, "responses", status)
    schema, at = _body_schema(data, op["responses"][status], where)
    return _envelope(data, schema, at) if schema is not None else None


def _strings(value: Any) -> tuple[str, ...]:
    """`value` as distinct strings in order; () unless it is a non-empty list of strings only."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return ()
    return tuple(dict.fromkeys(value))


def _good_states(value: Any) -> bool:
    """A `states` hint as written must be: distinct non-empty strings, none still the
    `<STATE>` placeholder `thg-codegen overlay` proposes."""
    states = _strings(value)
    return (
        bool(states)
        and len(states) == len(value)
        and all(s and not (s.startswith("<") and s.endswith(">")) for s in states)
    )


def listed_states(data: Any, values_path: str) -> tuple[tuple[str, ...], str]:
    """What a status's `GET …/_values` declares it answers in `data.attributes`: (the states,
    where they came from). An `enum` on the items is a contract ("enum"); the attributes' first
    example only illustrates ("example"); ((), "") when the document says neither."""
    paths = data.get("paths") if isinstance(data, dict) else None
    item = paths.get(values_path) if isinstance(paths, dict) else None
    op = item.get("get") if isinstance(item, dict) else None
    status = _success(op) if isinstance(op, dict) else None
    if not isinstance(op, dict) or status is None:
        return (), ""
    where = jp.join("paths", values_path, "get", "responses", status)
    schema, at = _body_schema(data, op["responses"][status], where)
    resource, at = _member(data, schema, at, "data")
    attributes, at = _member(data, resource, at, "attributes")
    if not isinstance(attributes, dict):
        return (), ""
    items, _ = _follow(data, attributes.get("items", {}), jp.child(at, "items"))
    enum = _strings(items.get("enum")) if isinstance(items, dict) else ()
    if enum:
        return enum, "enum"
    examples = attributes.get("examples")
    example = _strings(examples[0]) if isinstance(examples, list) and examples else ()
    return (example, "example") if example else ((), "")


# -- the product's name ----------------------------------------------------------------------------


def _product_name(spec: LoadedSpec, parsed: list[ParsedPath]) -> tuple[str, str]:
    """The product's name and where it came from: the `info.x-thg-product` hint, the product an
    `/api/<product>/` prefix names, the file's stem, the last segment of `servers[0].url`,
    `info.title` in kebab case; ("", "") when none of them is a kebab-case name."""
    data = spec.data if isinstance(spec.data, dict) else {}
    raw_info = data.get("info")
    info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
    named = sorted({p.product for p in parsed if p.product})
    servers = data.get("servers")
    server = servers[0] if isinstance(servers, list) and servers else {}
    url = server.get("url") if isinstance(server, dict) else None
    title = info.get("title")
    candidates = [
        (info.get(cv.PRODUCT_EXTENSION), "info.x-thg-product"),
        (named[0] if len(named) == 1 else None, "its paths"),
        (spec.path.stem, "the file name"),
        (url.rstrip("/").rsplit("/", 1)[-1] if isinstance(url, str) else None, "servers"),
        (cv.as_kebab(title.split("(")[0]) if isinstance(title, str) else None, "info.title"),
    ]
    for name, source in candidates:
        if isinstance(name, str) and cv.KEBAB.fullmatch(name):
            return name, source
    return "", ""


# -- the tree --------------------------------------------------------------------------------------


def _hint(item: Any) -> dict[str, Any]:
    decl = item.get(cv.ENTITY_EXTENSION) if isinstance(item, dict) else None
    return decl if isinstance(decl, dict) else {}


def _node_kind(data: Any, node: _Node, has_children: bool) -> str:
    paths = data["paths"]
    hinted = next((_hint(paths[p]).get("kind") for p in node.collections if _hint(paths[p])), None)
    if hinted in cv.ENTITY_KINDS:
        return str(hinted)
    if len(node.name) == 1 or node.items or has_children or not node.collections:
        return "entity"
    if node.values:
        return "status"
    path = node.collections[0]
    ops = operations(paths[path])
    if ops and all(cv.ACTION_EXTENSION in op for _, op in ops):
        return "action"
    methods = {m: op for m, op in ops}
    if "get" in methods:
        got = _response(data, path, "get", methods["get"])
        if got is not None and not got.is_list:
            return "status"
        if got is not None and got.is_list and "post" in methods:
            return "entity"
    return "action"


def _tree(parsed: dict[str, ParsedPath]) -> dict[tuple[str, ...], _Node]:
    nodes: dict[tuple[str, ...], _Node] = {}
    for path, p in parsed.items():
        if p.problem:
            continue
        for depth in range(1, len(p.segments) + 1):
            nodes.setdefault(p.segments[:depth], _Node(p.segments[:depth]))
        node = nodes[p.segments]
        if p.values:
            node.values.append(path)
        elif p.ends_with_param:
            node.items.append(path)
        else:
            node.collections.append(path)
    return nodes


def _attributes(data: Any, node: _Node) -> tuple[str, bool, bool]:
    """The attributes schema's pointer ("" when no body says), whether the caller chooses ids,
    and whether the entity needs attributes at all (it has a GET, POST or PUT of its own: a
    parent only its children's paths name, or one with a DELETE only, does not).

    A create's request first (what the client sends), then a replace's, then what reads and
    writes answer."""
    paths = data["paths"]
    found: list[str] = []
    client_ids = needed = False
    for role, where in (
        ("request", node.collections),
        ("request", node.items),
        ("response", node.items),
        ("response", node.collections),
    ):
        for path in where:
            for method, op in operations(paths[path]):
                if method not in ("get", "post", "put"):
                    continue
                needed = True
                if role == "request" and method != "get":
                    got = _request(data, path, method, op)
                    client_ids = client_ids or bool(got and method == "post" and got.requires_id)
                elif role == "response":
                    got = _response(data, path, method, op)
                else:
                    continue
                if got is not None and got.attributes:
                    found.append(got.attributes)
    return (found[0] if found else ""), client_ids, needed


def _id_param(node: _Node, parsed: dict[str, ParsedPath], nodes: dict[Any, _Node]) -> str:
    """The id parameter as the paths name it: the item path's last, else any descendant's."""
    depth = len(node.name)
    for path in node.items:
        return parsed[path].params[depth - 1]
    for other in nodes.values():
        if other.name[:depth] == node.name and len(other.name) > depth:
            for path in other.collections + other.items + other.values:
                return parsed[path].params[depth - 1]
    return cv.id_parameter_name(node.name[-1])


def build_published_index(spec: LoadedSpec) -> SpecIndex:
    """The SpecIndex of a published document; what inference cannot decide goes to `notes`."""
    data = spec.data if isinstance(spec.data, dict) else {}
    raw_paths = data.get("paths")
    paths: dict[str, Any] = raw_paths if isinstance(raw_paths, dict) else {}
    parsed = {path: parse_path(path) for path in paths}
    product, _source = _product_name(spec, list(parsed.values()))
    index = SpecIndex(spec, product or spec.path.stem, dialect="published")
    if not product:
        index.notes.append(
            spec.diagnostic(
                "/info",
                "THG001",
                "the product's name cannot be inferred: neither the paths (/api/<product>/…), "
                "the file name, servers nor info.title is a kebab-case name",
                f"Add '{cv.PRODUCT_EXTENSION}: <product>' to info (kebab case)",
            )
        )
    nodes = _tree(parsed)
    for name in sorted(nodes, key=len):
        node = nodes[name]
        has_children = any(n[:-1] == name for n in nodes)
        node.kind = _node_kind(data, node, has_children)
        parent = nodes.get(name[:-1])
        if node.kind == "action" and (parent is None or parent.kind != "entity"):
            node.kind = "entity"
    for path, p in parsed.items():
        index.shapes[path] = _shape(path, p, nodes)
    for name, node in nodes.items():
        if node.kind != "action":
            _declare(index, name, node, parsed, nodes)
    for shape in index.shapes.values():
        decl = index.entities.get(shape.entity_path)
        if decl is not None and shape.kind == "action":
            decl.actions.append(shape.action_segment)
    _check_duplicates(index, nodes)
    _check_security(index)
    return index


def _shape(path: str, p: ParsedPath, nodes: dict[tuple[str, ...], _Node]) -> PathShape:
    if p.problem:
        return PathShape(
            path,
            "malformed",
            p.product,
            problem=p.problem,
            prefix=p.prefix,
            owner_param=p.owner_param,
        )
    node = nodes[p.segments]
    kind, entity_path, action = "collection", p.segments, ""
    if p.values:
        kind = "values"
    elif node.kind == "action":
        kind, entity_path, action = "action", p.segments[:-1], p.segments[-1]
    elif p.ends_with_param:
        kind = "item"
    if (
        kind in ("collection", "item")
        and path != (node.items if kind == "item" else node.collections)[0]
    ):
        kind = "foreign"  # the same node in another generation: the first one is called
    return PathShape(
        path,
        kind,
        p.product,
        entity_path,
        p.params,
        action,
        prefix=p.prefix,
        owner_param=p.owner_param,
    )


def _declare(
    index: SpecIndex,
    name: tuple[str, ...],
    node: _Node,
    parsed: dict[str, ParsedPath],
    nodes: dict[tuple[str, ...], _Node],
) -> None:
    spec = index.spec
    data = spec.data
    paths = data["paths"]
    dotted = ".".join(name)
    item_path = node.items[0] if node.items else None
    if node.collections:
        collection = node.collections[0]
    elif item_path is not None:
        collection = item_path.rsplit("/", 1)[0]
    else:  # a parent only its children's paths name
        child = next(n for n in nodes.values() if n.name[: len(name)] == name and n is not node)
        any_path = (child.collections + child.items + child.values)[0]
        p = parsed[any_path]
        collection = render_path(p.prefix, name, p.params[: len(name) - 1], False)
    anchor = next(
        (p for p in (*node.collections, *node.items, *node.values) if p in paths), collection
    )
    pointer = jp.join("paths", anchor)
    hinted_at = next((p for p in (*node.collections, *node.items) if _hint(paths[p])), None)
    hint = _hint(paths[hinted_at]) if hinted_at else {}
    if hinted_at:
        _check_hint(index, name, jp.join("paths", hinted_at, cv.ENTITY_EXTENSION), hint)
    owner_params = {parsed[p].owner_param for p in (*node.collections, *node.items) if p in parsed}
    owner_param = sorted(owner_params)[-1] if owner_params else ""
    schema, client_ids, needed = _attributes(data, node)
    hinted_schema = hint.get("schema")
    if isinstance(hinted_schema, str):
        schema_ref: str | None = hinted_schema
    elif schema:
        schema_ref = "#" + schema
    else:
        schema_ref = None
    if schema_ref is None and needed:
        index.notes.append(
            spec.diagnostic(
                pointer,
                "THG021",
                f"the attributes of {dotted!r} cannot be inferred: no request or response body "
                "of its paths holds data.attributes",
                f"Add '{cv.ENTITY_EXTENSION}: {{schema: \"#/components/schemas/<Name>\"}}' to "
                f"the path item {collection}",
            )
        )
    owner = hint.get("owner")
    if len(name) == 1 and not isinstance(owner, str):
        if not owner_param:
            owner = "self"  # no organisation in the path: every organisation has its own
        else:
            index.hints.append(
                HintNeeded(
                    jp.join("paths", collection),
                    {cv.ENTITY_EXTENSION: {"owner": "consumer"}},
                    "self",
                    f"who owns {dotted!r}: consumer or provider (read as 'self' without this)",
                )
            )
            index.notes.append(
                _warning(
                    spec,
                    pointer,
                    "THG020",
                    f"who owns {dotted!r} cannot be inferred from the document: it is read as "
                    "owned by the organisation in its path ('self')",
                    f"Add '{cv.ENTITY_EXTENSION}: {{owner: consumer}}' (or provider) to the path "
                    f"item {collection} if it belongs to one side of a partnership",
                )
            )
    writer = hint.get("writer")
    if not isinstance(writer, str):
        writer = "owner"
        if node.kind == "status" and owner_param:
            index.hints.append(
                HintNeeded(
                    jp.join("paths", collection),
                    {cv.ENTITY_EXTENSION: {"writer": "provider"}},
                    "owner",
                    f"who writes the status {dotted!r}: provider or consumer (read as its owner "
                    "without this)",
                )
            )
            index.notes.append(
                _warning(
                    spec,
                    pointer,
                    "THG020",
                    f"who writes the status {dotted!r} cannot be inferred: it is read as written "
                    "by its owner",
                    f"Add '{cv.ENTITY_EXTENSION}: {{writer: provider}}' (or consumer) to the path "
                    f"item {collection} when the other side sets it",
                )
            )
    states, states_source = _states(index, name, node, hint, collection, pointer)
    id_source = hint.get("idSource")
    index.entities[name] = EntityDecl(
        name=name,
        kind=node.kind,
        owner=owner if isinstance(owner, str) else None,
        writer=writer,
        schema_ref=schema_ref,
        id_source=str(id_source) if id_source else ("client" if client_ids else "server"),
        collection_path=collection,
        pointer=pointer,
        item_path=item_path,
        id_param=_id_param(node, parsed, nodes),
        owner_param=owner_param,
        values_path=node.values[0] if node.values else None,
        states=states,
        states_source=states_source,
    )


def _states(
    index: SpecIndex,
    name: tuple[str, ...],
    node: _Node,
    hint: dict[str, Any],
    collection: str,
    pointer: str,
) -> tuple[tuple[str, ...], str]:
    """A status's possible states and where they came from: the `states` hint, else what its
    `_values` declares (listed_states); else none, a warning naming the hint (the client's
    `state` stays an open string and the sandbox's `_values` answers [])."""
    if node.kind != "status":
        if "states" in hint:
            index.notes.append(
                index.spec.diagnostic(
                    pointer,
                    "THG023",
                    f"{cv.ENTITY_EXTENSION} states on {'.'.join(name)!r}, which is not a status",
                    "Remove 'states' here: only a status lists possible states",
                )
            )
        return (), ""
    if _good_states(hint.get("states")):
        return _strings(hint["states"]), "hint"
    found = listed_states(index.spec.data, node.values[0]) if node.values else ((), "")
    if found[0]:
        return found
    dotted = ".".join(name)
    index.hints.append(
        HintNeeded(
            jp.join("paths", collection),
            {cv.ENTITY_EXTENSION: {"states": ["<STATE>"]}},
            "open",
            f"the possible states of the status {dotted!r}, as GET …/_values lists them (an open "
            "string without this: the document declares neither an enum nor an example)",
        )
    )
    index.notes.append(
        _warning(
            index.spec,
            pointer,
            "THG023",
            f"the states of the status {dotted!r} cannot be inferred: its _values declares "
            "neither an enum nor an example, so its state is read as an open string",
            f"Add '{cv.ENTITY_EXTENSION}: {{states: [...]}}' to the path item {collection} "
            "(thg-codegen overlay proposes it)",
        )
    )
    return (), ""


# What each hint member may say (CONVENTIONS §3); a hint that says something else is an error,
# since inference would otherwise silently overrule the author.
_HINT_VALUES = {
    "kind": cv.ENTITY_KINDS,
    "owner": cv.OWNER_ROLES,
    "writer": cv.WRITER_ROLES,
    "idSource": cv.ID_SOURCES,
}


def _check_hint(index: SpecIndex, name: tuple[str, ...], where: str, hint: dict[str, Any]) -> None:
    for member, allowed in _HINT_VALUES.items():
        if member in hint and hint[member] not in allowed:
            index.notes.append(
                index.spec.diagnostic(
                    jp.child(where, member),
                    "THG020" if member in ("owner", "writer") else "THG021",
                    f"{cv.ENTITY_EXTENSION} {member} {hint[member]!r} is not one of "
                    f"{', '.join(allowed)}",
                    f"Say '{member}: {allowed[0]}' (or another of those), or remove it to let "
                    "inference decide",
                )
            )
    top = index.entities.get(name[:1])
    sides = ("consumer", "provider")
    if (
        len(name) > 1
        and "owner" in hint
        and (hint["owner"] not in sides or top is None or top.owner not in sides)
    ):
        # Only the other side of a partnership may own a child, on its own path (CONVENTIONS §3).
        index.notes.append(
            index.spec.diagnostic(
                jp.child(where, "owner"),
                "THG020",
                "a child entity inherits its owner, and may only name the other side of a "
                "partnership (consumer or provider) under a top-level entity one side owns",
                "Remove 'owner' here, or say 'owner: consumer' (or provider) on the top-level "
                "entity too",
            )
        )
    if "states" in hint and not _good_states(hint["states"]):
        index.notes.append(
            index.spec.diagnostic(
                jp.child(where, "states"),
                "THG023",
                f"{cv.ENTITY_EXTENSION} states {hint['states']!r} is not a list of distinct, "
                "non-empty strings (a <placeholder> from thg-codegen overlay is still there?)",
                "Say 'states: [PENDING, APPROVED]' (the strings GET …/_values answers), or "
                "remove it",
            )
        )
    schema = hint.get("schema")
    if "schema" in hint and (
        not isinstance(schema, str) or lookup(index.spec.data, schema) is MISSING
    ):
        index.notes.append(
            index.spec.diagnostic(
                jp.child(where, "schema"),
                "THG021",
                f"{cv.ENTITY_EXTENSION} schema {schema!r} does not resolve",
                "Point it at the attributes schema: '#/components/schemas/<Name>'",
            )
        )


def _check_duplicates(index: SpecIndex, nodes: dict[tuple[str, ...], _Node]) -> None:
    for node in nodes.values():
        for group in (node.collections, node.items, node.values):
            for path in group[1:]:
                index.notes.append(
                    _warning(
                        index.spec,
                        jp.join("paths", path),
                        "THG010",
                        f"{'.'.join(node.name)!r} is also at {group[0]}, which the client calls: "
                        "this path is left out",
                        "Keep one generation of each path, or expect the client to use the first",
                    )
                )


def _check_security(index: SpecIndex) -> None:
    data = index.spec.data
    components = data.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    schemes = schemes if isinstance(schemes, dict) else {}
    if any(
        isinstance(s, dict)
        and s.get("type") == "oauth2"
        and isinstance(s.get("flows"), dict)
        and isinstance(s["flows"].get("clientCredentials"), dict)
        and s["flows"]["clientCredentials"].get("tokenUrl")
        for s in schemes.values()
    ):
        return
    index.notes.append(
        _warning(
            index.spec,
            "/components/securitySchemes" if schemes else "/components",
            "THG050",
            "the document names no token endpoint (no oauth2 clientCredentials scheme with a "
            "tokenUrl): the client asks the token URL it is configured with (THG_TOKEN_URL, "
            "production's by default)",
            "Add components.securitySchemes.oauth2 {type: oauth2, flows: {clientCredentials: "
            "{tokenUrl}}} to name it",
        )
    )
