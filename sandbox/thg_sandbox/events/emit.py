"""The DataChangedEvent of a write, and who receives it (CONVENTIONS §11): the changed entity's
resource object and the operation (`create`/`update`/`delete`).

`EventEmitter.in_transaction` is a `TransactionHook`: inside every POST, PUT and DELETE's own
transaction (each child of a cascade included) it builds one event and queues it on every
subscription of the owner organisation and of the owner's partners in that product whose
`entityTypes` admit it. The write and its events commit together or not at all: a crash between
them cannot lose an event (issue 15); and since writes commit one at a time, events are queued in
commit order by construction, so no later write's event can overtake an earlier one.
The emitter itself is the `WriteHook` that runs after the commit and tells the `Notifier`, so
long polls wake and webhooks go out.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from thg_spec import Entity, Product

from ..clock import Clock
from ..config import SandboxConfig
from ..store import Database, Resource
from .queue import EventQueue, SubscriptionKey
from .render import event_body

log = logging.getLogger("thg_sandbox.events")

SUBSCRIPTION = "events:subscription"


@dataclass(frozen=True)
class Recipient:
    """One subscription an event was just queued on."""

    key: SubscriptionKey
    webhook_url: str | None
    event_id: str  # the queue's own id of the event (never sent: deliveries carry handles)


def audience(config: SandboxConfig, product: str, owner: str) -> list[str]:
    """The owner and every organisation partnered with it (either role) in `product`."""
    partners = [o for o in config.organisations if o != owner and config.roles(product, o, owner)]
    return sorted({owner, *partners})


def admits(attributes: dict[str, Any], entity_type: str) -> bool:
    wanted = attributes.get("entityTypes")
    return not wanted or entity_type in wanted


class EventEmitter:
    def __init__(
        self,
        db: Database,
        queue: EventQueue,
        products: dict[str, Product],
        config: SandboxConfig,
        clock: Clock,
        announce: Callable[[list[Recipient]], None],
        render: Callable[[sqlite3.Connection, Entity, Resource], dict[str, Any]],
    ) -> None:
        self.render = render  # the entity's resource object, as a GET of it returns it now
        self.db = db
        self.queue = queue
        self.products = products
        self.config = config
        self.clock = clock
        self.announce = announce
        self._local = threading.local()

    def in_transaction(
        self, conn: sqlite3.Connection, entity: Entity, action: str, resource: Resource, actor: str
    ) -> None:
        """Queue the write's event in the write's own transaction (raising rolls it back)."""
        if entity.type_string == SUBSCRIPTION:
            self._subscription_changed(conn, action, resource)
        recipients = self._queue(conn, entity, action, resource, actor)
        if recipients:
            # Announced by __call__ once committed, in this same thread.
            self._announcements().append((_key(entity, action, resource), recipients))

    def __call__(self, entity: Entity, action: str, resource: Resource, actor: str) -> None:
        """After the commit: wake the long polls and start the webhooks of the queued event."""
        waiting = self._announcements()
        key = _key(entity, action, resource)
        for index, (queued, recipients) in enumerate(waiting):
            if queued == key:
                del waiting[index]
                self.announce(recipients)
                return

    def _announcements(self) -> list[tuple[tuple[str, str, str, str, int], list[Recipient]]]:
        # Per thread: a write's transaction and its announcement run in the same thread. A
        # rolled-back write leaves its entry behind; the list is cut short so that cannot grow.
        found = getattr(self._local, "waiting", None)
        if found is None:
            found = self._local.waiting = []
        del found[:-_MAX_WAITING]
        return found

    def _queue(
        self, conn: sqlite3.Connection, entity: Entity, action: str, resource: Resource, actor: str
    ) -> list[Recipient]:
        """Queue the event on its subscriptions; who got it."""
        if resource.product not in self.products:
            return []
        event_id = str(uuid.uuid4())
        orgs = audience(self.config, resource.product, resource.owner)
        marks = ", ".join("?" for _ in orgs)
        recipients: list[Recipient] = []
        # Reading the subscriptions and queueing on them in the write's transaction: a
        # subscription deleted concurrently is either fully served or not at all.
        # The entity as a GET of it returns it now (for a delete: as it was last).
        event = event_body(action, self.render(conn, entity, resource))
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        rows = conn.execute(
            f"SELECT owner, id, attributes FROM resources WHERE entity = ? AND owner IN ({marks}) "
            "ORDER BY owner, created_at, id",
            (SUBSCRIPTION, *orgs),
        ).fetchall()
        for row in rows:
            sub = json.loads(row["attributes"])
            if admits(sub, entity.type_string):
                url = sub.get("webhookUrl")
                key = SubscriptionKey(row["owner"], row["id"])
                recipients.append(Recipient(key, url if isinstance(url, str) else None, event_id))
        EventQueue.push_in(conn, [(r.key.owner, r.key.id, event_id, body) for r in recipients])
        return recipients

    def _subscription_changed(
        self, conn: sqlite3.Connection, action: str, resource: Resource
    ) -> None:
        key = SubscriptionKey(resource.owner, resource.id)
        if action == "DELETED":
            # Its queue goes before anything is announced, so it never receives its own end.
            EventQueue.drop_in(conn, key)
        elif action == "CREATED" and resource.attributes.get("webhookUrl"):
            EventQueue.set_secret_in(conn, key, new_webhook_secret())


_MAX_WAITING = 64


def _key(entity: Entity, action: str, resource: Resource) -> tuple[str, str, str, str, int]:
    return (entity.type_string, resource.owner, resource.id, action, resource.version)


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_hex(24)
