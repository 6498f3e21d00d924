"""Events by webhook: a subscription with a webhook URL and a tiny receiver that verifies each
notification's THG-Signature, handles its events and confirms them.

The receiver listens on 127.0.0.1 (THG_WEBHOOK_PORT, default a free port), which the local
sandbox can reach. Against the platform, expose it publicly (a tunnel, a load balancer) and set
THG_WEBHOOK_URL to that address. It stops after the expected events or a 30 s timeout.
"""

from __future__ import annotations

import os
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from thg_connect import Client
from thg_connect.events import Subscription
from thg_connect.thg_fulfil import Barcode, Dimensions, InventoryItem
from thg_connect_core import Event

EXPECTED = 2  # the item's create and its delete


def main() -> None:
    with Client.from_env() as client:
        seen: set[str] = set()
        done = threading.Event()
        secret = ""

        def handle(event: Event) -> None:
            if event.key in seen:  # delivery is at least once
                return
            seen.add(event.key)
            print(event.action, event.reference, event.entity_as(InventoryItem).title, flush=True)

        class Receiver(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                signature = self.headers.get("THG-Signature")
                # Verifies the signature, calls handle() per event, confirms the handled ones.
                status = client.handle_webhook(body, signature, secret, handle)
                self.send_response(status)
                self.end_headers()
                if len(seen) >= EXPECTED:  # handled and confirmed
                    done.set()

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet

        port = int(os.environ.get("THG_WEBHOOK_PORT", "0"))
        server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = os.environ.get("THG_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/thg")
        try:
            name = f"hook-{uuid.uuid4().hex[:8]}"
            created = client.events.subscriptions.create(
                name, Subscription(webhook_url=url, entity_types=["thg-fulfil:inventory"])
            )
            assert created.attributes.webhook_secret is not None  # shown once, on creation
            secret = created.attributes.webhook_secret
            print("subscribed", name, "->", url, flush=True)

            items = client.thg_fulfil.inventory
            sku = f"WH-{uuid.uuid4().hex[:8]}"
            item = items.create(
                InventoryItem(
                    consumer_reference=sku,
                    title="Candle",
                    description="A soy wax candle in a glass jar",
                    type="home",
                    barcodes=[Barcode(barcode=sku, type="ean")],
                    dimensions=Dimensions(depth=8, height=10, mass=0.4, width=8),
                    batch_controlled=False,
                )
            )
            items(item.id).delete()
            arrived = done.wait(timeout=30)
            left = client.events.subscriptions(name).poll(wait_time_seconds=0)
            print("handled", len(seen), "events;", len(left), "left unconfirmed")
            client.events.subscriptions(name).delete()
        finally:
            server.shutdown()
            server.server_close()
        if not arrived:
            sys.exit("timed out waiting for the webhook notifications")


if __name__ == "__main__":
    main()
