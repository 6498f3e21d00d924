"""A provider's event consumer: approve every new inventory item of its consumers.

Run as the provider (THG_CLIENT_ID=thg, THG_OWNER=thg). ``--once`` stops after the first
approval (used by the tests); otherwise it runs until Ctrl-C, finishing and confirming the
events in hand.
"""

from __future__ import annotations

import sys
import uuid

from thg_connect import Client
from thg_connect.events import Subscription
from thg_connect.thg_fulfil import ApprovalApproved, ApprovalRejected, InventoryItem
from thg_connect_core import ConsumerSettings, Event


def main() -> None:
    once = "--once" in sys.argv
    with Client.from_env() as client:
        name = f"approver-{uuid.uuid4().hex[:8]}"
        client.events.subscriptions.create(
            name, Subscription(entity_types=["thg-fulfil:inventory"])
        )

        def review(event: Event) -> None:
            if event.action != "CREATED":
                return
            item = client.get(event.reference).attributes
            assert isinstance(item, InventoryItem)
            approval = client.for_owner(event.owner).thg_fulfil.inventory(event.entity_id)
            if item.hazmat_code and item.hazmat_documentation is None:
                approval.approval.create(
                    ApprovalRejected(
                        reason="OTHER", message="Hazmat items need a safety data sheet"
                    )
                )
            else:
                reference = f"PROV-{item.consumer_reference or event.entity_id}"
                approval.approval.create(ApprovalApproved(provider_reference=reference))
            print("reviewed", event.reference, flush=True)
            if once:
                consumer.stop()

        consumer = client.consumer(name, review, settings=ConsumerSettings(wait_time_seconds=2))
        print("listening on", name, flush=True)
        consumer.run()
        client.events.subscriptions(name).delete()


if __name__ == "__main__":
    main()
