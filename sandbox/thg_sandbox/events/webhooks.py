"""Webhook notifications: signed POSTs of new events, retried with backoff (CONVENTIONS §11).

Deliveries run as asyncio tasks on the server's loop, one task per subscription at a time, so a
write's response never waits for a receiver and a subscription's notifications stay in order.
A notification only reads the queue: it never hides or removes an event, so polling stays the
safety net when a receiver is down.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import uuid
from dataclasses import dataclass, field

import anyio.to_thread
import httpx

from ..clock import Clock
from .emit import Recipient
from .queue import EventQueue, SubscriptionKey
from .render import event_resource

log = logging.getLogger("thg_sandbox.events")

SIGNATURE_HEADER = "THG-Signature"
MAX_BATCH = 100


@dataclass(frozen=True)
class WebhookSettings:
    attempts: int = 5  # bounded: a dead receiver costs 5 tries, then polling is the way
    backoff_seconds: float = 0.2  # doubled after each failed try: 0.2, 0.4, 0.8, 1.6
    timeout_seconds: float = 5.0


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed with the webhook secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


@dataclass
class _Outbox:
    url: str
    event_ids: list[str] = field(default_factory=list)  # the queue's own ids, not handles


class WebhookSender:
    def __init__(self, queue: EventQueue, clock: Clock, settings: WebhookSettings) -> None:
        self.queue = queue
        self.clock = clock
        self.settings = settings
        self._outboxes: dict[SubscriptionKey, _Outbox] = {}
        self._tasks: set[asyncio.Task[None]] = set()  # strong references until done

    def schedule(self, recipient: Recipient) -> None:
        """On the loop: send this event soon (batched with any others already waiting)."""
        if not recipient.webhook_url:
            return
        outbox = self._outboxes.get(recipient.key)
        if outbox is None:
            outbox = self._outboxes[recipient.key] = _Outbox(recipient.webhook_url)
            task = asyncio.get_running_loop().create_task(self._run(recipient.key, outbox))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        outbox.event_ids.append(recipient.event_id)

    async def _run(self, key: SubscriptionKey, outbox: _Outbox) -> None:
        async with httpx.AsyncClient(timeout=self.settings.timeout_seconds) as client:
            # A closed database is a sandbox closed (a reset, or the end of a test) while its
            # deliveries were under way: its events went with it, and nothing is left to send.
            while outbox.event_ids and not self.queue.db.closed:
                batch = outbox.event_ids[:MAX_BATCH]
                del outbox.event_ids[:MAX_BATCH]
                try:
                    await self._deliver(client, key, outbox.url, batch)
                except Exception:  # one bad delivery must not stop the next ones
                    if not self.queue.db.closed:
                        log.exception("webhook delivery for subscription %s failed", key.id)
            # No await between the emptiness check and this: a new event either made it into
            # this outbox's batch above or finds no outbox and starts a new task.
            del self._outboxes[key]

    async def _deliver(
        self, client: httpx.AsyncClient, key: SubscriptionKey, url: str, event_ids: list[str]
    ) -> None:
        secret = await anyio.to_thread.run_sync(self.queue.secret, key)
        if secret is None:
            return  # the subscription is gone (or never had a webhook)
        delivery_id = str(uuid.uuid4())
        for attempt in range(1, self.settings.attempts + 1):
            # Each attempt is a delivery: its events get new receipt handles.
            events = await anyio.to_thread.run_sync(self.queue.deliver, key, event_ids)
            if not events:
                return  # all confirmed already: nothing left to tell
            body = json.dumps(
                {
                    "data": [event_resource(e, key.id) for e in events],
                    "meta": {
                        "subscriptionId": key.id,
                        "deliveryId": delivery_id,
                        "attempt": attempt,
                    },
                },
                separators=(",", ":"),
                ensure_ascii=False,
            ).encode()
            timestamp = int(self.clock.now().timestamp())
            headers = {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature(secret, timestamp, body),
            }
            try:
                response = await client.post(url, content=body, headers=headers)
                if 200 <= response.status_code < 300:
                    return
                problem = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            log.info(
                "webhook %s attempt %d for subscription %s: %s",
                delivery_id,
                attempt,
                key.id,
                problem,
            )
            if attempt < self.settings.attempts:
                await asyncio.sleep(self.settings.backoff_seconds * 2 ** (attempt - 1))
        log.warning(
            "webhook %s for subscription %s gave up after %d attempts; the events stay queued",
            delivery_id,
            key.id,
            self.settings.attempts,
        )
