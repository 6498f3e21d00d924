"""The events product's own endpoints: create a subscription (with its webhook secret), the
`poll` action (long polling) and the `confirm` action: `DELETE …/confirm` with one event's
receipt handle in the `receipt-handle` header (specs/events.yaml, CONVENTIONS §11)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from thg_spec import Entity, Product

from .. import access
from ..access import Caller
from ..config import SLUG
from ..endpoints import Api, create_status, json_response
from ..errors import ApiError, ErrorObject, bad_request, not_found
from ..service import ID_PATTERN, Target
from .notifier import Notifier
from .queue import EventQueue, SubscriptionKey
from .render import event_resource

RECEIPT_HANDLE_HEADER = "receipt-handle"
MAX_WAIT = 20
MAX_EVENTS = 100
DEFAULT_EVENTS = 10


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw[:6]) <= high:
        raise bad_request(
            "InvalidQueryParameter",
            f"{name} must be an integer from {low} to {high}.",
            parameter=name,
        )
    return int(raw)


@dataclass
class EventEndpoints:
    api: Api
    product: Product
    entity: Entity  # events:subscription
    queue: EventQueue
    notifier: Notifier

    def routes(self) -> list[BaseRoute]:
        """The paths the document declares: the annotated events API's create, poll and confirm
        under `/api/events/v1/{owner}/…`, or a published document's owner-less confirm
        (`DELETE /subscription/{subscription_id}/confirm`, CONVENTIONS §16)."""
        routes: list[BaseRoute] = []
        for op in self.entity.operations:
            if op.role == "create":
                # Only POST here: GET on the collection path falls through to the listing.
                routes.append(Route(op.path, self.create, methods=["POST"]))
            elif op.role == "action" and op.action == "poll" and op.method == "GET":
                routes.append(Route(op.path, self.poll, methods=["GET", "HEAD"]))
            elif op.role == "action" and op.action == "confirm" and op.method == "DELETE":
                routes.append(Route(op.path, self.confirm, methods=["DELETE"]))
        return routes

    # -- create: the generic create, plus the webhook secret shown this once -----------------

    async def create(self, request: Request) -> Response:
        caller = self.api.caller(request)
        target = self.api.target(request, self.product, self.entity, item=False)
        data = await self.api.body(request, self.entity)
        created = await run_in_threadpool(self.api.service.create, caller, target, data)
        secret = await run_in_threadpool(
            self.queue.secret, SubscriptionKey(created.owner, created.id)
        )
        document = self.api.document(request, self.product, self.entity, created)
        document["data"]["attributes"]["webhookSecret"] = secret
        document["meta"] = {}
        return json_response(document, create_status(self.entity))

    # -- poll and confirm ------------------------------------------------------------------

    async def _subscription(self, request: Request, caller: Caller) -> SubscriptionKey:
        """The subscription, once the caller may act on it (404/403 as CONVENTIONS §10 says).
        Where the path names no owner (a published events document), the owner is the
        caller's organisation."""
        if self.entity.owner_param:
            owner = str(request.path_params.get(self.entity.owner_param, ""))
        else:
            owner = caller.organisation
        sub_id = request.path_params.get(self.entity.id_param)
        if not SLUG.fullmatch(owner) or not isinstance(sub_id, str):
            raise not_found()
        if not ID_PATTERN.fullmatch(sub_id):
            raise not_found()
        target = Target(self.product, self.entity, owner, (), sub_id)
        config = self.api.service.config
        access.check(config, caller, self.product.name, owner, self.entity, write=True)
        await run_in_threadpool(self.api.service.get, caller, target)  # 404 when it is gone
        return SubscriptionKey(owner, sub_id)

    async def poll(self, request: Request) -> Response:
        self.notifier.bind()
        caller = self.api.caller(request)
        wait = _int_param(request, "waitTimeSeconds", 0, 0, MAX_WAIT)
        most = _int_param(request, "maxEvents", DEFAULT_EVENTS, 1, MAX_EVENTS)
        key = await self._subscription(request, caller)
        if request.method == "HEAD":
            return json_response({"data": [], "meta": {}})  # a HEAD must not hide events
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            with self.notifier.waiter(key) as woken:
                claimed = await run_in_threadpool(self.queue.claim, key, most)
                remaining = deadline - loop.time()
                if claimed or remaining <= 0:
                    break
                comeback = await run_in_threadpool(self.queue.seconds_until_visible, key)
                timeout = remaining if comeback is None else min(remaining, comeback)
                try:
                    await asyncio.wait_for(woken.wait(), timeout)
                except asyncio.TimeoutError:  # the builtin from 3.11, a class of its own before
                    pass
        return json_response({"data": [event_resource(e, key.id) for e in claimed], "meta": {}})

    async def confirm(self, request: Request) -> Response:
        self.notifier.bind()
        key = await self._subscription(request, self.api.caller(request))
        handle = request.headers.get(RECEIPT_HANDLE_HEADER, "").strip()
        if not handle:
            # FastAPI's answer to a missing required header, as a JSON:API error object.
            raise ApiError(
                422,
                [
                    ErrorObject(
                        422,
                        "RequestValidationError",
                        f"The {RECEIPT_HANDLE_HEADER} header is required: the receipt handle "
                        "of a delivery of the event to confirm.",
                        parameter=RECEIPT_HANDLE_HEADER,
                    )
                ],
            )
        confirmed = await run_in_threadpool(self.queue.confirm, key, handle)
        if confirmed is None:
            raise not_found("No queued event has this receipt handle (unknown, or confirmed).")
        return json_response({"data": event_resource(confirmed, key.id), "meta": {}})
