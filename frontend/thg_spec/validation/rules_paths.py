"""Path and entity rules: shapes (THG010), parameters (THG011), entity declarations
(THG020, THG021), allowed operations (THG022), actions (THG025), lookups (THG026), implied
`_values` paths (THG029) and list parameters (THG040)."""

from __future__ import annotations

from typing import Any

from .. import conventions as cv
from .. import pointer as jp
from ..diagnostics import Diagnostic
from ..spec_index import PathShape, operations
from .context import RuleContext

_ALLOWED = {
    ("collection", "entity"): {"get", "post"},
    ("collection", "status"): {"get", "post", "put", "delete"},
    ("item", "entity"): {"get", "put", "delete"},
    ("lookup", "entity"): {"get"},
    ("lookup", "status"): {"get"},
    ("values", "status"): {"get"},  # published: GET …/<status>/_values lists its states
}


def _path_item(ctx: RuleContext, path: str) -> dict[str, Any]:
    item = ctx.data["paths"][path]
    return item if isinstance(item, dict) else {}


def check_path_shapes(ctx: RuleContext) -> list[Diagnostic]:
    if ctx.index.dialect == "published":
        return _published_path_shapes(ctx)
    problems = []
    for path, shape in ctx.index.shapes.items():
        where = jp.join("paths", path)
        if shape.kind == "malformed":
            problems.append(
                ctx.spec.diagnostic(
                    where,
                    "THG010",
                    f"path {shape.problem}",
                    "Use /api/<product>/v1/{owner}/<entity>/{<entity>Id}/<child>… (CONVENTIONS §2)",
                )
            )
        elif (
            shape.kind != "token"
            and shape.product != ctx.index.product
            and cv.KEBAB.fullmatch(ctx.index.product)  # else THG001 says what to call it
        ):
            problems.append(
                ctx.spec.diagnostic(
                    where,
                    "THG010",
                    f"path names product {shape.product!r} but the document is "
                    f"{ctx.index.product!r}",
                    f"Start the path /api/{ctx.index.product}/v1/",
                )
            )
    return problems


def _published_path_shapes(ctx: RuleContext) -> list[Diagnostic]:
    """A published document's paths may use any generation's prefix (path_tree.py); what still
    matters is that each is a URL tree, and that an /api/<product>/ prefix names this product.
    A path that is no tree is an error: it would silently vanish from the client."""
    problems = []
    for path, shape in ctx.index.shapes.items():
        where = jp.join("paths", path)
        if shape.kind == "malformed":
            problems.append(
                ctx.spec.diagnostic(
                    where,
                    "THG010",
                    f"path {shape.problem}",
                    "Paths are a prefix (/api/<product>/v1/{owner}, /{owner}/v1 or none), then "
                    "<entity>/{id}/<child>/{id}…, optionally ending in /_values or an action",
                )
            )
        elif shape.product and shape.product != ctx.index.product:
            problems.append(
                ctx.spec.diagnostic(
                    where,
                    "THG010",
                    f"path names product {shape.product!r} but the document is "
                    f"{ctx.index.product!r}",
                    f"Keep one product per document (/api/{ctx.index.product}/…)",
                )
            )
    return problems


def _declared_parameters(ctx: RuleContext, path: str, op: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for source in (_path_item(ctx, path).get("parameters"), op.get("parameters")):
        for param in source if isinstance(source, list) else []:
            param = ctx.resolve(param)
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                found[f"{param.get('in')}:{param['name']}"] = param
    return found


def _expected_id_params(shape: PathShape) -> list[str]:
    segments = list(shape.entity_path)
    if shape.kind == "lookup":
        return [cv.id_parameter_name(segments[-1])]
    count = len(shape.id_params)
    return [cv.id_parameter_name(seg) for seg in segments[:count]]


def check_path_parameters(ctx: RuleContext) -> list[Diagnostic]:
    problems = []
    for path, shape in ctx.index.shapes.items():
        if shape.kind in ("token", "malformed", "foreign"):
            continue
        where = jp.join("paths", path)
        published = ctx.index.dialect == "published"
        # Published documents name their parameters themselves (`inventory_item`): the model
        # keeps those names, so only the declaration (OpenAPI's own rule) is checked there
        # (nothing expected: zip stops at the shorter, so the loop runs zero times).
        for got, want in zip(shape.id_params, () if published else _expected_id_params(shape)):
            if got != want:
                problems.append(
                    ctx.spec.diagnostic(
                        where,
                        "THG011",
                        f"path parameter {{{got}}} should be named {{{want}}}",
                        "Name id parameters <lowerCamel segment>Id",
                    )
                )
        names = [shape.owner_param, *shape.id_params] if shape.owner_param else [*shape.id_params]
        for method, op in operations(_path_item(ctx, path)):
            declared = _declared_parameters(ctx, path, op)
            for name in names:
                param = declared.get(f"path:{name}")
                if param is None:
                    problems.append(
                        ctx.spec.diagnostic(
                            jp.child(where, method),
                            "THG011",
                            f"path parameter {{{name}}} is not declared",
                            f"Add a parameter 'name: {name}, in: path, required: true'",
                        )
                    )
                elif not published and ctx.resolve(param.get("schema", {})).get("type") != "string":
                    problems.append(
                        ctx.spec.diagnostic(
                            jp.child(where, method),
                            "THG011",
                            f"path parameter {{{name}}} is not a string",
                            "Ids and owners are strings: 'schema: {type: string}'",
                        )
                    )
    return problems


def check_entity_declarations(ctx: RuleContext) -> list[Diagnostic]:
    if ctx.index.dialect == "published":
        # The tree is inferred from the paths; what inference cannot decide (owner, writer,
        # schema) is in check_inferred with the hint to add. x-thg-entity hints there may be
        # partial ({owner: consumer}), so the full-declaration checks below do not apply.
        return []
    problems = []
    entities = ctx.index.entities
    for path, shape in ctx.index.shapes.items():
        item = _path_item(ctx, path)
        where = jp.join("paths", path)
        if shape.kind == "collection" and cv.ENTITY_EXTENSION not in item:
            problems.append(
                ctx.spec.diagnostic(
                    where,
                    "THG021",
                    f"path item for {'.'.join(shape.entity_path)!r} has no {cv.ENTITY_EXTENSION}",
                    "Declare 'x-thg-entity: {name, kind, schema}' (CONVENTIONS §3), or mark each "
                    "operation of an action with x-thg-action",
                )
            )
        elif shape.kind in ("item", "lookup", "action") and shape.entity_path not in entities:
            problems.append(
                ctx.spec.diagnostic(
                    where,
                    "THG021",
                    f"no entity {'.'.join(shape.entity_path)!r} is declared for this path",
                    "Declare it with x-thg-entity on its collection path",
                )
            )
        elif shape.kind == "item" and entities[shape.entity_path].kind == "status":
            problems.append(
                ctx.spec.diagnostic(
                    where,
                    "THG021",
                    "a status has no item path: there is one per parent",
                    "Remove this path; operate on the status path itself",
                )
            )
    for name, entity in entities.items():
        decl = _path_item(ctx, entity.collection_path)[cv.ENTITY_EXTENSION]
        problems.extend(_check_declaration(ctx, name, entity.pointer, decl))
    return problems


def _check_declaration(
    ctx: RuleContext, name: tuple[str, ...], where: str, decl: dict[str, Any]
) -> list[Diagnostic]:
    out = []
    dotted = ".".join(name)

    def bad(member: str, message: str, hint: str, rule: str = "THG021") -> None:
        out.append(
            ctx.spec.diagnostic(jp.child(where, member) if member else where, rule, message, hint)
        )

    if decl.get("name") != dotted:
        bad(
            "name",
            f"x-thg-entity name is {decl.get('name')!r} but the path says {dotted!r}",
            f"Set 'name: {dotted}'",
        )
    if decl.get("kind", "entity") not in cv.ENTITY_KINDS:
        bad(
            "kind",
            f"kind {decl.get('kind')!r} is not one of {', '.join(cv.ENTITY_KINDS)}",
            "Use 'entity' for collections and 'status' for a parent's status",
        )
    elif decl.get("kind") == "status" and len(name) == 1:
        bad("kind", "a top-level entity cannot be a status", "A status belongs to a parent entity")
    if len(name) == 1 and decl.get("owner") not in cv.OWNER_ROLES:
        bad(
            "owner" if "owner" in decl else "",
            f"top-level entity {dotted!r} has owner {decl.get('owner')!r}",
            "Declare 'owner: consumer', 'provider' or 'self' (whose organisation is in the path)",
            "THG020",
        )
    if len(name) > 1 and "owner" in decl:
        top = ctx.index.entities.get(name[:1])
        sides = ("consumer", "provider")
        if decl["owner"] not in sides or top is None or top.owner not in sides:
            bad(
                "owner",
                f"child {dotted!r} has owner {decl['owner']!r}: a child inherits its owner, "
                "and may only name the other side of a partnership (consumer or provider)",
                "Remove 'owner' here, or say 'consumer'/'provider' under a top-level entity "
                "owned by one side",
                "THG020",
            )
    if decl.get("writer", "owner") not in cv.WRITER_ROLES:
        bad(
            "writer",
            f"writer {decl.get('writer')!r} is not one of {', '.join(cv.WRITER_ROLES)}",
            "Say which partnership role creates and changes it",
            "THG020",
        )
    if decl.get("idSource", "server") not in cv.ID_SOURCES:
        bad(
            "idSource",
            f"idSource {decl.get('idSource')!r} is not 'server' or 'client'",
            "Omit it unless callers choose the id",
        )
    if len(name) > 1 and name[:-1] not in ctx.index.entities:
        bad(
            "",
            f"the parent entity {'.'.join(name[:-1])!r} is not declared",
            "Declare the parent's collection path with x-thg-entity",
        )
    schema_ref = decl.get("schema")
    target = ctx.resolve({"$ref": schema_ref}) if isinstance(schema_ref, str) else None
    if not isinstance(schema_ref, str) or not schema_ref.startswith("#/components/schemas/"):
        bad("schema", "x-thg-entity has no schema", "Set 'schema: #/components/schemas/<Name>'")
    elif not isinstance(target, dict) or not target:
        bad(
            "schema",
            f"schema {schema_ref!r} does not resolve",
            "Point it at the attributes schema under components.schemas",
        )
    elif decl.get("kind", "entity") == "entity" and not _is_object_schema(target):
        bad(
            "schema",
            f"the attributes schema {schema_ref!r} is {_schema_shape(target)}, not an object",
            "An entity's attributes are an object: 'type: object' with its properties "
            "(a list or a single value belongs in a property of it)",
        )
    return out


def _is_object_schema(schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    if declared is not None:
        return bool(declared == "object")
    return isinstance(schema.get("properties"), dict) or isinstance(schema.get("allOf"), list)


def _schema_shape(schema: dict[str, Any]) -> str:
    declared = schema.get("type")
    if isinstance(declared, str):
        return f"of type {declared}"
    if isinstance(declared, list):
        return f"of types {', '.join(map(str, declared))}"
    return "a schema with no type and no properties"


def check_operations(ctx: RuleContext) -> list[Diagnostic]:
    problems = []
    for path, shape in ctx.index.shapes.items():
        entity = ctx.index.entities.get(shape.entity_path)
        if entity is None or shape.kind not in ("collection", "item", "lookup", "values"):
            continue
        if entity.kind not in cv.ENTITY_KINDS:
            continue  # THG021 reports the kind; the operations depend on it
        allowed = _ALLOWED.get((shape.kind, entity.kind), set())
        for method, _op in operations(_path_item(ctx, path)):
            if method not in allowed:
                hint = (
                    "Updates use PUT with the full entity (CONVENTIONS §3)"
                    if method == "patch"
                    else _allowed_hint(allowed)
                )
                problems.append(
                    ctx.spec.diagnostic(
                        jp.join("paths", path, method),
                        "THG022",
                        f"{method.upper()} is not allowed on the {shape.kind} path of "
                        f"{entity.kind} {'.'.join(entity.name)!r}",
                        hint,
                    )
                )
    return problems


def _allowed_hint(allowed: set[str]) -> str:
    if not allowed:  # a status's item path: THG021 says to remove it
        return "No operation is allowed on this path (CONVENTIONS §3)"
    return f"Allowed here: {', '.join(sorted(m.upper() for m in allowed))}"


def check_actions(ctx: RuleContext) -> list[Diagnostic]:
    problems = []
    for path, shape in ctx.index.shapes.items():
        if shape.kind != "action":
            continue
        for method, op in operations(_path_item(ctx, path)):
            name = op.get(cv.ACTION_EXTENSION)
            where = jp.join("paths", path, method)
            if name is None and ctx.index.dialect == "published":
                continue  # named after its path segment (an x-thg-action hint may rename it)
            if name is None:
                problems.append(
                    ctx.spec.diagnostic(
                        where,
                        "THG025",
                        "an operation on an action path has no x-thg-action",
                        "Name the action: 'x-thg-action: <lowerCamelName>'",
                    )
                )
            elif not isinstance(name, str) or not cv.LOWER_CAMEL.fullmatch(name):
                better = cv.suggestion(name, cv.as_lower_camel(str(name)), cv.LOWER_CAMEL)
                problems.append(
                    ctx.spec.diagnostic(
                        jp.child(where, cv.ACTION_EXTENSION),
                        "THG025",
                        f"action name {name!r} is not lowerCamel",
                        (
                            f"Name it {better}"
                            if better and isinstance(name, str)
                            else "Use a method-like name such as poll or confirm"
                        ),
                    )
                )
    return problems


def check_values_paths(ctx: RuleContext) -> list[Diagnostic]:
    """THG029: in the annotated dialect every status's `GET …/<status>/_values` is implied by its
    states (the `oneOf` mapping THG023 checks), so a declared one is refused: a second list of
    the states could only drift from the first. Published documents declare theirs (§16)."""
    if ctx.index.dialect == "published":
        return []
    problems = []
    for path, shape in ctx.index.shapes.items():
        if shape.kind != "values":
            continue
        entity = ctx.index.entities.get(shape.entity_path)
        dotted = ".".join(shape.entity_path)
        if entity is None or entity.kind != "status":
            message = f"/_values follows {dotted!r}, which is not a declared status"
        else:
            message = f"the possible states of status {dotted!r} are implied, not declared"
        problems.append(
            ctx.spec.diagnostic(
                jp.join("paths", path),
                "THG029",
                message,
                "Remove this path item: every status answers GET …/<status>/_values with the "
                "states of its oneOf mapping (CONVENTIONS §3)",
            )
        )
    return problems


def check_lookups(ctx: RuleContext) -> list[Diagnostic]:
    if ctx.index.dialect == "published":
        # Lookup paths are our own invention (docs gap 3): the platform has none, so a child's
        # reference string does not resolve through client.get() there (CONVENTIONS §16).
        return []
    problems = []
    for name, entity in ctx.index.entities.items():
        if len(name) < 2 or (entity.lookup_path and "get" in _path_item(ctx, entity.lookup_path)):
            continue
        dotted = ".".join(name)
        want = (
            f"/api/{ctx.index.product}/v1/{{owner}}/{dotted}/{{{cv.id_parameter_name(name[-1])}}}"
        )
        problems.append(
            ctx.spec.diagnostic(
                entity.pointer,
                "THG026",
                f"child entity {dotted!r} has no lookup GET",
                f"Add 'get' on {want} so its reference string resolves (CONVENTIONS §5)",
            )
        )
    return problems


def check_list_parameters(ctx: RuleContext) -> list[Diagnostic]:
    if ctx.index.dialect == "published":
        # The platform declares no list parameters; the model adds page[number], page[size] and
        # filter with their documented defaults (entities._LIST_DEFAULTS, CONVENTIONS §16).
        return []
    problems = []
    for _name, entity in ctx.index.entities.items():
        if entity.kind != "entity":
            continue
        path = entity.collection_path
        op = _path_item(ctx, path).get("get")
        if not isinstance(op, dict):
            continue
        declared = _declared_parameters(ctx, path, op)
        for param_name in cv.LIST_PARAMETERS:
            param = declared.get(f"query:{param_name}")
            where = jp.join("paths", path, "get")
            if param is None:
                problems.append(
                    ctx.spec.diagnostic(
                        where,
                        "THG040",
                        f"GET ALL has no {param_name!r} query parameter",
                        "Reference #/components/parameters/PageNumber, PageSize and Filter",
                    )
                )
                continue
            schema = ctx.resolve(param.get("schema", {}))
            want = {"page[number]": ("integer", 1), "page[size]": ("integer", 10)}.get(param_name)
            if want and (schema.get("type"), schema.get("default")) != want:
                problems.append(
                    ctx.spec.diagnostic(
                        where,
                        "THG040",
                        f"{param_name!r} must be an integer with default {want[1]}",
                        "The platform pages from 1 with 10 items by default",
                    )
                )
    return problems
