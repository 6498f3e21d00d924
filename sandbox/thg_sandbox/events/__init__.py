"""Events (CONVENTIONS §11): a DataChangedEvent per write, queued per subscription, long-polled,
confirmed, and announced to webhooks.

* `queue.py`    the per-subscription queues and visibility window over SQLite (no I/O, no loop)
* `emit.py`     the write hook: build the event, fan it out to the subscriptions that see it
* `notifier.py` from the write's thread to the loop: wake long polls, start webhook deliveries
* `webhooks.py` signed notifications, retried with backoff
* `handlers.py` subscription create (with its webhook secret), poll and confirm
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute

from thg_spec import Entity

from ..errors import field_error
from ..hooks import RuleContext
from ..jsonapi import resource_object
from ..links import LinkBuilder
from ..store import Resource
from ..validation import AttributesCheck, SchemaSet, check_attributes
from .emit import SUBSCRIPTION, EventEmitter
from .handlers import EventEndpoints
from .notifier import Notifier
from .queue import EventQueue, QueuedEvent, SubscriptionKey
from .webhooks import SIGNATURE_HEADER, WebhookSender, WebhookSettings, signature

if TYPE_CHECKING:
    from ..app import Sandbox

JsonObject = dict[str, Any]


class SubscriptionCheck:
    """The spec's schema, plus: a webhook URL the sandbox can call (http or https), and the
    read-only `webhookSecret` stored as null (it is shown once, by the create response only)."""

    def __init__(self, schemas: SchemaSet, pointer: str) -> None:
        self.schemas = schemas
        self.pointer = pointer

    def __call__(self, ctx: RuleContext) -> AttributesCheck:
        result = check_attributes(self.schemas, self.pointer, ctx.attributes)
        errors = list(result.errors)
        url = result.attributes.get("webhookUrl")
        if isinstance(url, str) and not url.lower().startswith(("http://", "https://")):
            errors.append(
                field_error("/data/attributes/webhookUrl", "webhookUrl must be an http(s) URL")
            )
        attributes = {**result.attributes, "webhookSecret": None}
        return AttributesCheck(attributes, errors, result.references)


def _renderer(sandbox: Sandbox) -> Callable[[sqlite3.Connection, Entity, Resource], JsonObject]:
    """An event's entity as a GET of it returns it at the write: its `meta.status` read in the
    write's transaction, its links on the sandbox's URL (none before it is served)."""

    def render(conn: sqlite3.Connection, entity: Entity, resource: Resource) -> JsonObject:
        product = sandbox.service.products[resource.product]
        current = sandbox.service.with_statuses(conn, product, entity, [resource])[0]
        root = sandbox.public_url
        links = LinkBuilder(root).resource(product, entity, current) if root else None
        return resource_object(current, links)

    return render


def events_extension(
    webhooks: WebhookSettings = WebhookSettings(),
) -> Callable[[Sandbox], Sequence[BaseRoute]]:
    """The events extension; the visibility window comes from the sandbox config."""

    def install_events(sandbox: Sandbox) -> Sequence[BaseRoute]:
        service = sandbox.service
        found = service.entity_by_type(SUBSCRIPTION)
        if found is None:
            return ()  # the events product is not served: nobody can subscribe
        product, entity = found
        queue = EventQueue(sandbox.db, sandbox.clock, sandbox.config.event_visibility)
        sender = WebhookSender(queue, sandbox.clock, webhooks)
        notifier = Notifier(sender.schedule)
        emitter = EventEmitter(
            sandbox.db,
            queue,
            service.products,
            sandbox.config,
            sandbox.clock,
            notifier.announce,
            _renderer(sandbox),
        )
        service.transaction_hooks.append(emitter.in_transaction)  # the events commit with it
        service.hooks.append(emitter)  # then long polls wake and webhooks go out
        service.validators[SUBSCRIPTION] = SubscriptionCheck(
            service.schemas[product.name], entity.schema
        )
        endpoints = EventEndpoints(sandbox.api, product, entity, queue, notifier)
        return endpoints.routes()

    return install_events


install_events = events_extension()

__all__ = [
    "EventQueue",
    "QueuedEvent",
    "SIGNATURE_HEADER",
    "SubscriptionKey",
    "WebhookSettings",
    "events_extension",
    "install_events",
    "signature",
]
