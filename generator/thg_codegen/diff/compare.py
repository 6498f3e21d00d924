"""Compare two surfaces location by location and classify every difference.

A location only in the old surface was removed (or renamed: a rename is a removal plus an
addition, and is breaking); only in the new one, added. A removal or addition is reported once, at
its top: the fields of a removed model or the operations of a removed entity are not repeated,
nor a model that disappears (or appears) only with the entities that use it. Field-level rules,
including which direction makes narrowing or widening breaking, are in `fields.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from .changes import BREAKING, DOCS, NON_BREAKING, Change
from .fields import compare_field, subject_of
from .nodes import (
    WRITE,
    EntityNode,
    FieldNode,
    Location,
    ModelNode,
    Node,
    OperationNode,
    ProductNode,
    StateNode,
    Surface,
    VariantNode,
)


def _entity(location: Location) -> str:
    return f"`{location.product}:{location.entity}`"


def _state(location: Location) -> str:
    return location.field.strip("[]")


def _removed(node: Node) -> Change:
    at = node.location
    if isinstance(node, ProductNode):
        return Change(
            BREAKING,
            "product-removed",
            at,
            f"product `{at.product}` was removed",
            f"Remove every use of the `{at.product}` product from your code.",
        )
    if isinstance(node, EntityNode):
        return Change(
            BREAKING,
            "entity-removed",
            at,
            f"entity {_entity(at)} was removed or renamed",
            f"Remove or rewrite code that uses {_entity(at)} (a rename shows as an addition).",
        )
    if isinstance(node, OperationNode):
        return Change(
            BREAKING,
            "operation-removed",
            at,
            f"{at.operation}() of {_entity(at)} ({node.method} {node.path}) was removed",
            f"Stop calling {at.operation}() on {_entity(at)}.",
        )
    if isinstance(node, StateNode):
        return Change(
            BREAKING,
            "state-removed",
            at,
            f"state {_state(at)} of {_entity(at)} was removed or renamed",
            f"Remove code that matches or sets the state {_state(at)} of {_entity(at)}.",
        )
    if isinstance(node, ModelNode):
        return Change(
            BREAKING,
            "model-removed",
            at,
            f"model `{at.schema}` was removed or renamed",
            f"Replace imports and uses of the model `{at.schema}`.",
        )
    if isinstance(node, VariantNode):
        return Change(
            BREAKING,
            "variant-removed",
            at,
            f"union member {subject_of(at)} was removed",
            f"Remove code that builds or matches {subject_of(at)}.",
        )
    assert isinstance(node, FieldNode)
    noun = "parameter" if at.field.startswith("?") else "field"
    return Change(
        BREAKING,
        f"{noun}-removed",
        at,
        f"{noun} {subject_of(at)} was removed or renamed",
        f"Stop reading or passing {subject_of(at)}.",
    )


def _added_reason(node: Node) -> tuple[str, str]:
    at = node.location
    if isinstance(node, ProductNode):
        return "product-added", f"new product `{at.product}`"
    if isinstance(node, EntityNode):
        return "entity-added", f"new entity {_entity(at)}"
    if isinstance(node, OperationNode):
        return "operation-added", f"new operation {at.operation}() on {_entity(at)}"
    if isinstance(node, StateNode):
        return "state-added", f"new state {_state(at)} of {_entity(at)}"
    if isinstance(node, ModelNode):
        return "model-added", f"new model `{at.schema}`"
    return "variant-added", f"new union member {subject_of(at)}"


def _added(node: Node) -> Change:
    at = node.location
    if isinstance(node, FieldNode):
        noun = "parameter" if at.field.startswith("?") else "field"
        if node.required and WRITE in node.directions:
            return Change(
                BREAKING,
                f"{noun}-added-required",
                at,
                f"new required {noun} {subject_of(at)}: requests without it are refused",
                f"Pass {subject_of(at)} in every call that sends it.",
            )
        required = "required" if node.required else "optional"
        return Change(NON_BREAKING, f"{noun}-added", at, f"new {required} {noun} {subject_of(at)}")
    kind, reason = _added_reason(node)
    return Change(NON_BREAKING, kind, at, reason)


def _attribute(
    kind: str, what: str, action: Callable[[str, str], str]
) -> Callable[[Location, str, str], Change]:
    def change(at: Location, old: str, new: str) -> Change:
        return Change(BREAKING, kind, at, f"{what} changed from {old} to {new}", action(old, new))

    return change


_ENTITY_RULES = {
    "kind": _attribute(
        "entity-kind-changed",
        "the entity kind",
        lambda o, n: f"Rewrite calls: a {n} has different operations than a {o}.",
    ),
    "owner_role": _attribute(
        "owner-direction-changed",
        "the owner direction (whose organisation is in the path)",
        lambda o, n: f"Pass the {n}'s organisation as owner instead of the {o}'s.",
    ),
    "writer_role": _attribute(
        "writer-changed",
        "the writer role (who may create, replace and delete)",
        lambda o, n: f"Move create/replace/delete calls from the {o}'s side to the {n}'s.",
    ),
    "id_source": _attribute(
        "id-source-changed",
        "who chooses ids",
        lambda o, n: (
            "Pass an id you choose to create()."
            if n == "client"
            else "Stop passing an id to create(); the server assigns it."
        ),
    ),
    "model": _attribute(
        "entity-model-changed",
        "the attributes model",
        lambda o, n: f"Use the model `{n}` where you used `{o}`.",
    ),
}
_OPERATION_RULES = {
    "path": _attribute(
        "operation-path-changed",
        "the path",
        lambda o, n: "Upgrade the client: older clients call the old path and fail.",
    ),
    "method": _attribute(
        "operation-method-changed",
        "the HTTP method",
        lambda o, n: "Upgrade the client: older clients send the old method and fail.",
    ),
}
_PRODUCT_RULES = {
    "base_url": _attribute(
        "server-changed", "the API host", lambda o, n: "Upgrade the client or set its base URL."
    ),
    "token_url": _attribute(
        "server-changed", "the token URL", lambda o, n: "Upgrade the client or set its token URL."
    ),
}
_MODEL_REFERENCE = _attribute(
    "union-member-model-changed",
    "the member's model",
    lambda o, n: f"Use the model `{n}` where you matched `{o}`.",
)


def _changed(old: Node, new: Node) -> list[Change]:
    at = new.location
    if isinstance(old, FieldNode) and isinstance(new, FieldNode):
        return compare_field(old, new)
    rules: dict[str, Callable[[Location, str, str], Change]] = {}
    if isinstance(new, EntityNode):
        rules = _ENTITY_RULES
    elif isinstance(new, OperationNode):
        rules = _OPERATION_RULES
    elif isinstance(new, ProductNode):
        rules = _PRODUCT_RULES
    elif isinstance(new, (StateNode, VariantNode)):
        rules = {"model": _MODEL_REFERENCE}
    changes = [
        rule(at, str(getattr(old, name)), str(getattr(new, name)))
        for name, rule in rules.items()
        if getattr(old, name) != getattr(new, name)
    ]
    if old.docs != new.docs:
        changed = sorted({k for k, _ in set(old.docs) ^ set(new.docs)})
        changes.append(Change(DOCS, "docs-changed", at, f"{', '.join(changed)} changed"))
    return changes


def _reported(surface: Surface, keys: set[Location]) -> list[Location]:
    """The keys worth reporting as removed (or added): tops only, not models of gone entities."""
    entities = {(at.product, at.entity) for at in keys if isinstance(surface[at], EntityNode)}
    tops = []
    for at in keys:
        node = surface[at]
        if node.parent in keys:
            continue
        if isinstance(node, ModelNode) and all(
            (at.product, user) in entities for user in node.used_by
        ):
            continue
        tops.append(at)
    return tops


def compare_surfaces(old: Surface, new: Surface) -> list[Change]:
    """Every classified change from `old` to `new`, breaking first, then by location."""
    changes = [_removed(old[at]) for at in _reported(old, set(old.keys() - new.keys()))]
    changes += [_added(new[at]) for at in _reported(new, set(new.keys() - old.keys()))]
    for at in old.keys() & new.keys():
        if type(old[at]) is type(new[at]):
            changes.extend(_changed(old[at], new[at]))
        else:
            changes.extend([_removed(old[at]), _added(new[at])])
    return sorted(changes, key=Change.sort_key)
