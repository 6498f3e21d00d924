"""The `links` of resource objects and list documents, as the platform's reference shows them
(S1 https://docs-stable.apisandbox.tech/thg-fulfil-docs; recovered/schemas.md §1, CONVENTIONS §6).

Every URL is built from the model's path templates (no per-product code): an entity's item path
(its collection path for a status, which has one per parent) filled with the owner and the ids of
its ancestors from `meta.parent`. `describedBy` names the attributes schema inside the spec
document the sandbox serves at `SPEC_ROUTE`, as a JSON pointer fragment (RFC 6901 §6).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from thg_spec import Entity, Product
from thg_spec.path_tree import PARAM

from .store import Resource

SPEC_ROUTE = "/openapi/{product}.json"
# Ids and organisation slugs are made of these (service.ID_PATTERN, config.SLUG): quoting them is
# a no-op, and skipping it halves the cost of a page's links.
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")


def _segment(value: str) -> str:
    return value if _UNRESERVED.fullmatch(value) else quote(value, safe="")


def fill_path(template: str, values: Mapping[str, str]) -> str:
    """`template` with each `{name}` replaced by its value, percent-encoded so that no value can
    add a segment or a query. A name without a value raises KeyError (a model bug)."""
    return PARAM.sub(lambda match: _segment(values[match.group(1)]), template)


def spec_url(root: str, product: str) -> str:
    return root + SPEC_ROUTE.format(product=quote(product, safe=""))


@dataclass(frozen=True)
class _Shape:
    """What the links of one entity's resources are made from, worked out once per request."""

    own: str  # the resource's path template (a status's: its path under the parent)
    related: str  # the collection's (a status's: the parent's item path)
    ancestors: tuple[tuple[str, str], ...]  # (type string, id parameter), top-level first
    id_param: str  # the resource's own id parameter ("" for a status)
    owner_param: str
    described_by: str


def _ids(product: Product, entity: Entity, owner: str, ids: tuple[str, ...]) -> dict[str, str]:
    """The path values of `entity` (and its ancestors): `ids` along its name, top-level first."""
    values = {entity.owner_param: owner} if entity.owner_param else {}
    for depth, id_ in enumerate(ids, start=1):
        values[product.entity(entity.name[:depth]).id_param] = id_
    return values


@dataclass(frozen=True)
class LinkBuilder:
    """Links relative to `root`, the sandbox's own URL as the request reached it (no slash)."""

    root: str
    _shapes: dict[str, _Shape] = field(default_factory=dict, compare=False, repr=False)

    def described_by(self, product: Product, entity: Entity) -> str:
        document = spec_url(self.root, product.name)
        return document + "#" + quote(entity.schema, safe="/~") if entity.schema else document

    def item(self, product: Product, entity: Entity, owner: str, ids: tuple[str, ...]) -> str:
        """One entity's URL (`ids` ends with its own id), or a status's (`ids` are its parents')."""
        return self.root + fill_path(_own_template(entity), _ids(product, entity, owner, ids))

    def collection(
        self, product: Product, entity: Entity, owner: str, parents: tuple[str, ...]
    ) -> str:
        return self.root + fill_path(entity.collection_path, _ids(product, entity, owner, parents))

    def parent(
        self, product: Product, entity: Entity, owner: str, parents: tuple[str, ...]
    ) -> str | None:
        """The URL of the entity whose child `entity` is; None at the top level."""
        if len(entity.name) < 2:
            return None
        return self.item(product, product.entity(entity.name[:-1]), owner, parents)

    def resource(self, product: Product, entity: Entity, res: Resource) -> dict[str, Any]:
        """`self` (the resource), `related` (its collection; a status's parent), `describedBy`."""
        shape = self._shape(product, entity)
        values = {shape.owner_param: res.owner} if shape.owner_param else {}
        for type_string, param in shape.ancestors:
            values[param] = res.parents.get(type_string, "")
        if shape.id_param:
            values[shape.id_param] = res.id
        return {
            "self": self.root + fill_path(shape.own, values),
            "related": self.root + fill_path(shape.related, values),
            "describedBy": shape.described_by,
        }

    def _shape(self, product: Product, entity: Entity) -> _Shape:
        key = entity.type_string
        found = self._shapes.get(key)
        if found is None:
            ancestors = tuple(
                (parent.type_string, parent.id_param)
                for parent in (
                    product.entity(entity.name[:depth]) for depth in range(1, len(entity.name))
                )
            )
            if entity.kind == "status":
                own, id_param = entity.collection_path, ""
                parent = product.entity(entity.name[:-1])
                related = _own_template(parent)
            else:
                own, id_param = _own_template(entity), entity.id_param
                related = entity.collection_path
            found = _Shape(
                own,
                related,
                ancestors,
                id_param,
                entity.owner_param,
                self.described_by(product, entity),
            )
            self._shapes[key] = found
        return found


def _own_template(entity: Entity) -> str:
    if entity.kind == "entity":
        return entity.item_path or entity.lookup_path or entity.collection_path
    return entity.collection_path
