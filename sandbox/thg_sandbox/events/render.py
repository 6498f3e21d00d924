"""Events as the platform's JSON:API resources (CONVENTIONS §11), the same for a poll, a webhook
notification and a confirm's answer: the receipt handle of the delivery as `id`, the changed
entity's resource object as `attributes`."""

from __future__ import annotations

from typing import Any

from .queue import QueuedEvent

EVENT_TYPE = "DataChangedEvent"
METHODS = {"CREATED": "create", "UPDATED": "update", "DELETED": "delete"}
"""A write's action as the event's `meta.method`."""


def event_body(action: str, entity: dict[str, Any]) -> dict[str, Any]:
    """What the queue keeps of an event: the operation and the entity's resource object."""
    return {"method": METHODS.get(action, action.lower()), "entity": entity}


def event_resource(event: QueuedEvent, subscription_id: str) -> dict[str, Any]:
    return {
        "id": event.handle,
        "type": EVENT_TYPE,
        "attributes": event.body.get("entity"),
        "meta": {
            "receiptHandle": event.handle,
            "subscriptionId": subscription_id,
            "method": event.body.get("method"),
        },
    }
