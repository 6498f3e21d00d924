"""Events as JSON:API resource objects, the same for a poll and a webhook notification."""

from __future__ import annotations

from typing import Any

from .queue import QueuedEvent

EVENT_TYPE = "events:event"


def event_resource(event: QueuedEvent, subscription_id: str) -> dict[str, Any]:
    hidden = event.hidden_until.isoformat() if event.hidden_until is not None else None
    return {
        "id": event.id,
        "type": EVENT_TYPE,
        "attributes": event.attributes,
        "meta": {
            "subscriptionId": subscription_id,
            # A notification of a never-polled event still says 1: the spec's minimum, and the
            # first delivery it is; notifications themselves never count (they never hide).
            "receiveCount": max(1, event.receive_count),
            "hiddenUntil": hidden,
        },
    }
