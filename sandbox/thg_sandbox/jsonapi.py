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


def resource_object(res: Resource, links: dict[str, Any] | None = None) -> dict[str, Any]:
    """The resource as a GET returns it; `links` (links.py) when the caller knows its URL."""
    found: dict[str, Any] = {
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
    if res.statuses is not None:
        # {"<status name>": {"value": "<STATE>"}} for each status set (S7b, recovered/gap.md §3).
        found["meta"]["status"] = {
            name: {"value": state} for name, state in sorted(res.statuses.items())
        }
    if links is not None:
        found["links"] = links
    return found


def single(res: Resource, links: dict[str, Any] | None = None) -> dict[str, Any]:
    """A document of one resource; its links are the resource's (S1 F1, F5)."""
    document: dict[str, Any] = {"data": resource_object(res, links), "meta": {}}
    if links is not None:
        document["links"] = dict(links)
    return document


def listing(
    resources: list[Resource],
    item_links: list[dict[str, Any]],
    links: dict[str, Any],
    *,
    number: int,
    size: int,
) -> dict[str, Any]:
    """A page: each resource with its links, and the page's own links (self, related, next,
    prev, first, describedBy: S1 F3; a missing one is null)."""
    if len(resources) != len(item_links):  # zip(strict=True) is 3.10+; the sandbox runs on 3.9
        raise ValueError("one links object per resource")
    return {
        "data": [resource_object(r, links_of_r) for r, links_of_r in zip(resources, item_links)],
        "links": links,
        "meta": {"page": {"number": number, "size": size}},
    }
