"""Names a user's code spells, and what each reads: the breaking changes the spec-level surface
cannot see.

The spec-level comparison (`surface.py`) keys everything by wire names, so an addition looks
harmless there. But the generated client's Python names are claimed in order and de-duplicated:
adding an action named `inspection` to an entity whose child is `inspection` moves the child's
accessor to `inspection_`; adding `reasonCode` beside `ReasonCode` can make `reason_code` read the
other field. Code written against the old client then calls something else, or fails. Here both
clients' names are built by the generator's own model and bound to what they read; a name that
reads something else now, or a thing that is still there under another name, is breaking.
"""

from __future__ import annotations

from collections.abc import Sequence

from thg_spec import Product

from .. import naming
from ..model.package import EntityModule, ProductPackage, ResourceClass, build_package
from .changes import BREAKING, Change
from .nodes import Location
from .walker import component_name

# Attributes of the generated Client a product attribute must not take (as generate.py claims).
_CLIENT_MEMBERS = {"get", "owner", "api", "for_owner", "close", "from_env"}

Binding = tuple[str, str]  # (the Python owner of the name: `Client`, a class), the name
Target = tuple[Location, str]  # where in the spec the name leads, and what it is there


def _packages(products: Sequence[Product]) -> list[ProductPackage]:
    names = naming.Namespace(_CLIENT_MEMBERS, avoid_builtins=True)
    ordered = sorted(products, key=lambda p: p.name)
    return [build_package(p, names.claim(naming.snake(p.name))) for p in ordered]


def _resource_names(
    found: dict[Binding, Target], package: ProductPackage, module: EntityModule, rc: ResourceClass
) -> None:
    entity = ".".join(module.entity.name)
    # An action is known by its name in the spec (`x-thg-action`), not by its path segment.
    actions = {
        op.path.rsplit("/", 1)[-1]: op.action
        for op in module.entity.operations
        if op.role == "action"
    }
    owner = f"{package.package}.{rc.name}"
    for child in rc.children:
        child_entity = f"{entity}.{child.segment}"
        target = Location(package.product.name, child_entity)
        found[(owner, child.attribute)] = (target, f"the `{child_entity}` accessor")
    for method in rc.methods:
        operation = (
            actions.get(method.segment, method.segment)
            if method.kind == "action"
            else (method.kind)
        )
        target = Location(package.product.name, entity, operation)
        found[(owner, method.name)] = (target, f"the `{operation}` operation")


def bindings(products: Sequence[Product]) -> dict[Binding, Target]:
    """Every public Python name of the generated client, bound to what it reads."""
    found: dict[Binding, Target] = {}
    for package in _packages(products):
        product = package.product.name
        found[("Client", package.package)] = (Location(product), f"the `{product}` product")
        for child in package.top_level:
            target = Location(product, child.segment)
            found[(package.sync_class, child.attribute)] = (
                target,
                f"the `{child.segment}` accessor",
            )
        for module in package.entities:
            for rc in module.resources:
                _resource_names(found, package, module, rc)
        defs = [*package.common, *(d for m in package.entities for d in m.definitions)]
        for definition in defs:
            # Keyed by the schema, not the class name: a class renamed by a collision is found.
            schema = component_name(definition.pointer) or definition.pointer
            model = Location(product, schema=schema)
            found[(package.package, definition.name)] = (model, f"the model of `{schema}`")
            owner = f"{package.package}.{definition.name}"
            for f in definition.fields:
                at = Location(product, schema=schema, field=f.wire)
                found[(owner, f.name)] = (at, f"the wire field `{f.wire}`")
            for member, value in definition.members:
                at = Location(product, schema=schema, field=value)
                found[(owner, member)] = (at, f"the value {value}")
    return found


def name_changes(old: Sequence[Product], new: Sequence[Product]) -> list[Change]:
    """Python names that read something else now, and things that moved to another name."""
    before, after = bindings(old), bindings(new)
    names_of: dict[Target, list[Binding]] = {}
    for binding, target in after.items():
        names_of.setdefault(target, []).append(binding)
    changes: list[Change] = []
    for binding, target in sorted(before.items()):
        owner, name = binding
        spelled = f"`{owner}.{name}`" if owner != "Client" else f"`client.{name}`"
        now = after.get(binding)
        if now == target:
            continue
        if now is not None:
            changes.append(
                Change(
                    BREAKING,
                    "name-rebound",
                    target[0],
                    f"{spelled} read {target[1]}; it now reads {now[1]}",
                    f"Check every use of {spelled}: the same code now reads something else.",
                )
            )
        moved = sorted(b[1] for b in names_of.get(target, []) if b[0] == owner)
        if moved:
            changes.append(
                Change(
                    BREAKING,
                    "name-changed",
                    target[0],
                    f"{target[1][:1].upper()}{target[1][1:]} was {spelled} and is now "
                    f"`{moved[0]}`: a name added beside it took the old one",
                    f"Rename `{name}` to `{moved[0]}` where you mean {target[1]}.",
                )
            )
    return changes
