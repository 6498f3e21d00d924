"""Resources as JSON:API resource objects and documents (CONVENTIONS §6)."""

from __future__ import annotations

from typing import Any

from thg_connect_core import Reference

from .store import Resource


def entity_path_of(type_string: str) -> str:
    """`thg-fulfil:fulfilment-request.dispatched` -> `fulfilment-request.dispatched`."""
    return type_string.split(":", 1)[1]


def reference_of(res: Resource) -> str:
    # Reference formats the document product's short form itself (CONVENTIONS §5).
    return str(Reference(res.product, entity_path_of(res.entity), res.owner, res.id))


def resource_object(res: Resource) -> dict[str, Any]:
    return {
        "id": res.id,
        "type": res.entity,
        "attributes": res.attributes,
        "meta": {
            "createdAt": res.created_at,
            "creator": res.creator,
            "owner": res.owner,
            "parent": dict(res.parents),
            "product": res.product,
            "reference": reference_of(res),
            "updatedAt": res.updated_at,
        },
        "version": str(res.version),
    }


def single(res: Resource) -> dict[str, Any]:
    return {"data": resource_object(res)}


def listing(
    resources: list[Resource], *, self_link: str, next_link: str | None, number: int, size: int
) -> dict[str, Any]:
    links: dict[str, Any] = {"self": self_link}
    if next_link is not None:
        links["next"] = next_link
    return {
        "data": [resource_object(r) for r in resources],
        "links": links,
        "meta": {"page": {"number": number, "size": size}},
    }
