"""Reads the entity structure of one spec from its paths and `x-thg-entity` declarations.

This is the convention-level view shared by validation and the model stage: which path item is a
collection, an item, a status, a lookup, an action or the token endpoint, and which entity each
belongs to. It never fails: whatever does not fit is recorded for the validator to report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import conventions as cv
from . import pointer as jp
from .diagnostics import Diagnostic
from .loader import LoadedSpec
from .path_tree import VALUES_SEGMENT


@dataclass(frozen=True)
class PathShape:
    """What one path is, by its shape alone."""

    path: str
    kind: str  # collection | item | lookup | action | values | token | foreign | malformed
    product: str = ""
    entity_path: tuple[str, ...] = ()
    id_params: tuple[str, ...] = ()
    action_segment: str = ""
    problem: str = ""
    # The path's prefix as written (path_tree.py) and its owner parameter ("" when it has none).
    # Annotated paths are always /api/<product>/v1/{owner}; published ones say what they are.
    prefix: str = ""
    owner_param: str = "owner"


@dataclass
class EntityDecl:
    """An entity as declared by `x-thg-entity` on its collection (or status) path item."""

    name: tuple[str, ...]
    kind: str
    owner: str | None
    writer: str
    schema_ref: str | None
    id_source: str
    collection_path: str
    pointer: str
    item_path: str | None = None
    lookup_path: str | None = None
    actions: list[str] = field(default_factory=list)
    # Published documents (inference.py): the id parameter as the item path names it ("" means
    # the annotated <lowerCamel>Id), the owner parameter of its paths ("" when they have none),
    # and the path of the status's possible states (GET …/<status>/_values).
    id_param: str = ""
    owner_param: str = "owner"
    values_path: str | None = None
    # A published status's possible states (inference.py): from the `states` hint ("hint"),
    # its `_values` items' `enum` ("enum") or first example ("example"); () and "" when none.
    states: tuple[str, ...] = ()
    states_source: str = ""

    @property
    def parent(self) -> tuple[str, ...]:
        return self.name[:-1]


@dataclass(frozen=True)
class HintNeeded:
    """A hint inference could not decide: `value` is merged into the node at `pointer` to give
    it (an overlay action's update); `guessed` is what was assumed instead, `why` says so."""

    pointer: str
    value: dict[str, Any]
    guessed: str
    why: str


@dataclass
class SpecIndex:
    spec: LoadedSpec
    product: str
    shapes: dict[str, PathShape] = field(default_factory=dict)
    entities: dict[tuple[str, ...], EntityDecl] = field(default_factory=dict)
    # "annotated" (CONVENTIONS §1-§15, x-thg-* declarations) or "published" (the platform's own
    # FastAPI exports, read by inference.py); `notes` are what inference could not decide.
    dialect: str = "annotated"
    notes: list[Diagnostic] = field(default_factory=list)
    hints: list[HintNeeded] = field(default_factory=list)  # what `thg-codegen overlay` writes

    def entity_types(self) -> set[str]:
        return {cv.entity_type_string(self.product, name) for name in self.entities}


def classify_path(path: str, path_item: Any) -> PathShape:
    """Classify a path by CONVENTIONS.md §2 and §4."""
    if isinstance(path_item, dict) and path_item.get(cv.TOKEN_EXTENSION) is True:
        return PathShape(path, "token")
    parts = path.split("/")
    if len(parts) < 6 or parts[0] != "" or parts[1] != "api" or parts[3] != "v1":
        return PathShape(
            path, "malformed", problem="does not start /api/<product>/v1/{owner}/<entity>"
        )
    product, owner, rest = parts[2], parts[4], parts[5:]
    if owner != "{owner}":
        return PathShape(path, "malformed", product, problem="the owner segment must be {owner}")
    prefix = f"/api/{product}/v1/{{owner}}"
    if rest[-1] == VALUES_SEGMENT and len(rest) > 1:
        # A status's possible states: implied by CONVENTIONS §3 (THG029 refuses a declaration),
        # classified here so that the rule can say so instead of a shape error.
        status = classify_path(path[: -len(VALUES_SEGMENT) - 1], None)
        if status.kind != "collection" or len(status.entity_path) < 2:
            return PathShape(
                path, "malformed", product, problem="/_values belongs after a status segment"
            )
        return PathShape(
            path, "values", product, status.entity_path, status.id_params, prefix=prefix
        )
    segments = rest[0::2]
    params = rest[1::2]
    for seg in segments:
        names = seg.split(".")
        if not all(cv.KEBAB.fullmatch(n) for n in names):
            return PathShape(
                path, "malformed", product, problem=f"{seg!r} is not a kebab-case entity segment"
            )
    stripped: list[str] = []
    for param in params:
        match = cv.PATH_PARAM.fullmatch(param)
        if not match:
            return PathShape(
                path,
                "malformed",
                product,
                problem=f"{param!r} stands where an id parameter {{…Id}} belongs",
            )
        stripped.append(match.group(1))
    if "." in segments[0]:
        if len(rest) != 2:
            return PathShape(
                path, "malformed", product, problem="a lookup path is <entity.path>/{<child>Id}"
            )
        return PathShape(
            path, "lookup", product, tuple(segments[0].split(".")), tuple(stripped), prefix=prefix
        )
    if any("." in s for s in segments):
        return PathShape(path, "malformed", product, problem="only a lookup path may hold dots")
    ends_with_param = len(rest) % 2 == 0
    if ends_with_param:
        return PathShape(path, "item", product, tuple(segments), tuple(stripped), prefix=prefix)
    is_action = isinstance(path_item, dict) and any(
        isinstance(op, dict) and cv.ACTION_EXTENSION in op
        for m, op in path_item.items()
        if m in cv.HTTP_METHODS
    )
    if is_action and cv.ENTITY_EXTENSION not in path_item and len(segments) >= 2:
        return PathShape(
            path,
            "action",
            product,
            tuple(segments[:-1]),
            tuple(stripped),
            segments[-1],
            prefix=prefix,
        )
    return PathShape(path, "collection", product, tuple(segments), tuple(stripped), prefix=prefix)


def dialect_of(data: Any) -> str:
    """ "annotated" when the document declares itself in our dialect (`info.x-thg-product`, an
    `x-thg-entity` with a name, or an `x-thg-token-endpoint` path item), else "published".

    Hints alone (`x-thg-entity: {owner: consumer}` added to a published document or by an overlay)
    keep a document published: they refine what inference decides instead of replacing it."""
    if not isinstance(data, dict):
        return "annotated"  # nothing to infer from; the annotated rules say what is missing
    info = data.get("info")
    if isinstance(info, dict) and cv.PRODUCT_EXTENSION in info:
        return "annotated"
    paths = data.get("paths")
    for item in (paths if isinstance(paths, dict) else {}).values():
        if not isinstance(item, dict):
            continue
        decl = item.get(cv.ENTITY_EXTENSION)
        if (isinstance(decl, dict) and "name" in decl) or cv.TOKEN_EXTENSION in item:
            return "annotated"
    return "published"


def build_index(spec: LoadedSpec) -> SpecIndex:
    if dialect_of(spec.data) == "published":
        from .inference import build_published_index

        return build_published_index(spec)
    data = spec.data if isinstance(spec.data, dict) else {}
    info = data.get("info")
    product = info.get(cv.PRODUCT_EXTENSION) if isinstance(info, dict) else None
    index = SpecIndex(spec, product if isinstance(product, str) else spec.path.stem)
    paths = data.get("paths")
    if not isinstance(paths, dict):
        return index
    for path, item in paths.items():
        shape = classify_path(path, item)
        index.shapes[path] = shape
        if shape.kind != "collection" or not isinstance(item, dict):
            continue
        decl = item.get(cv.ENTITY_EXTENSION)
        if not isinstance(decl, dict):
            continue
        pointer = jp.join("paths", path, cv.ENTITY_EXTENSION)
        kind = decl.get("kind", "entity")
        owner = decl.get("owner")
        index.entities[shape.entity_path] = EntityDecl(
            name=shape.entity_path,
            kind=kind if isinstance(kind, str) else "entity",
            owner=owner if isinstance(owner, str) else None,
            writer=str(decl.get("writer", "owner")),
            schema_ref=decl["schema"] if isinstance(decl.get("schema"), str) else None,
            id_source=str(decl.get("idSource", "server")),
            collection_path=path,
            pointer=pointer,
        )
    for path, shape in index.shapes.items():
        entity = index.entities.get(shape.entity_path)
        if entity is None:
            continue
        if shape.kind == "item":
            entity.item_path = path
        elif shape.kind == "lookup":
            entity.lookup_path = path
        elif shape.kind == "action":
            entity.actions.append(shape.action_segment)
    for entity in index.entities.values():
        if entity.kind == "status":
            # Every status lists its states at …/<status>/_values, by convention (§3, THG029).
            entity.values_path = f"{entity.collection_path}/{VALUES_SEGMENT}"
    return index


def operations(path_item: Any) -> list[tuple[str, dict[str, Any]]]:
    """The (method, operation) pairs of a path item, in the document's order."""
    if not isinstance(path_item, dict):
        return []
    return [(m, op) for m, op in path_item.items() if m in cv.HTTP_METHODS and isinstance(op, dict)]
