"""The `links` of resource objects and list documents, as the platform's reference shows them
(S1 https://docs-stable.apisandbox.tech/thg-fulfil-docs; recovered/schemas.md §1, CONVENTIONS §6).

Every URL is built from the model's path templates (no per-product code): an entity's item path
(its collection path for a status, which has one per parent) filled with the owner and the ids of
its ancestors from `meta.parent`. `describedBy` names the attributes schema inside the spec
document the sandbox serves at `SPEC_ROUTE`, as a JSON pointer fragment (RFC 6901 §6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from thg_spec import Entity, Product
from thg_spec.path_tree import PARAM

from .store import Resource

SPEC_ROUTE = "/openapi/{product}.json"


def fill_path(template: str, values: Mapping[str, str]) -> str:
    """`template` with each `{name}` replaced by its value, percent-encoded so that no value can
    add a segment or a query. A name without a value raises KeyError (a model bug)."""
    return PARAM.sub(lambda match: quote(values[match.group(1)], safe=""), template)


def spec_url(root: str, product: str) -> str:
    return root + SPEC_ROUTE.format(product=quote(product, safe=""))


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

    def described_by(self, product: Product, entity: Entity) -> str:
        document = spec_url(self.root, product.name)
        return document + "#" + quote(entity.schema, safe="/~") if entity.schema else document

    def item(self, product: Product, entity: Entity, owner: str, ids: tuple[str, ...]) -> str:
        """One entity's URL (`ids` ends with its own id), or a status's (`ids` are its parents')."""
        template = entity.collection_path
        if entity.kind == "entity":
            template = entity.item_path or entity.lookup_path or entity.collection_path
        return self.root + fill_path(template, _ids(product, entity, owner, ids))

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
        parents = tuple(
            res.parents.get(product.entity(entity.name[:depth]).type_string, "")
            for depth in range(1, len(entity.name))
        )
        if entity.kind == "status":
            own = self.item(product, entity, res.owner, parents)
            related = self.parent(product, entity, res.owner, parents) or own
        else:
            own = self.item(product, entity, res.owner, (*parents, res.id))
            related = self.collection(product, entity, res.owner, parents)
        return {"self": own, "related": related, "describedBy": self.described_by(product, entity)}
