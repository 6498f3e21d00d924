"""Webhook notifications: verify the signature, parse the events, run the handler, confirm.

A notification (CONVENTIONS §11) is ``{"data": [<event>…], "meta": {"subscriptionId",
"deliveryId", "attempt"}}`` POSTed with ``THG-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
"<t>.<body>">`` keyed with the subscription's ``webhookSecret``. It never removes an event: the
receiver confirms what it handled, exactly as a poller would, so polling stays the safety net.

``handle_notification`` is the framework-free core; ``WebhookApp`` is an ASGI app around it that
mounts in Starlette or FastAPI (``app.mount("/thg-webhook", WebhookApp(...))``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Union

from ._config import Secret
from ._events import Event, EventFormatError, events_from_document

__all__ = [
    "SIGNATURE_HEADER",
    "Notification",
    "WebhookApp",
    "WebhookSignatureError",
    "handle_notification",
    "handle_notification_sync",
    "parse_notification",
    "verify_signature",
]

logger = logging.getLogger("thg_connect")

SIGNATURE_HEADER = "THG-Signature"
DEFAULT_TOLERANCE = 300.0
"""How old a signature's timestamp may be, in seconds (replay protection)."""


class WebhookSignatureError(ValueError):
    """The notification is not signed by the subscription's secret (or is too old)."""


@dataclass(frozen=True)
class Notification:
    subscription_id: str
    delivery_id: str
    attempt: int
    events: List[Event]


def _secret_bytes(secret: Union[str, Secret]) -> bytes:
    return (secret.reveal() if isinstance(secret, Secret) else secret).encode()


def verify_signature(
    body: bytes,
    header: Optional[str],
    secret: Union[str, Secret],
    *,
    now: Optional[float] = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> None:
    """Raise ``WebhookSignatureError`` unless ``header`` signs ``body`` with ``secret``."""
    if not header:
        raise WebhookSignatureError(f"the {SIGNATURE_HEADER} header is missing")
    parts: Dict[str, List[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise WebhookSignatureError("the signature has no valid timestamp") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookSignatureError("the signature's timestamp is outside the tolerance")
    expected = hmac.new(
        _secret_bytes(secret), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    if not any(hmac.compare_digest(expected, given) for given in parts.get("v1", [])):
        raise WebhookSignatureError("the signature does not match the body")


def parse_notification(body: bytes) -> Notification:
    """The typed notification; ``EventFormatError`` when the body is not one."""
    try:
        document = json.loads(body)
    except ValueError:
        raise EventFormatError("the notification body is not JSON") from None
    if not isinstance(document, Mapping) or not isinstance(document.get("data"), list):
        raise EventFormatError("a notification needs a data array")
    meta = document.get("meta") or {}
    return Notification(
        subscription_id=str(meta.get("subscriptionId") or ""),
        delivery_id=str(meta.get("deliveryId") or ""),
        attempt=int(meta.get("attempt") or 1),
        events=_events_of(document),
    )


def _events_of(document: Mapping[str, Any]) -> List[Event]:
    # Lenient: a record that is not an event is logged and skipped, never the whole delivery.
    events, odd = events_from_document(document)
    if odd:
        logger.warning("webhook: %d record(s) are not events (or have no id): skipped", len(odd))
    return events


Confirm = Callable[[str, List[str]], Awaitable[Any]]
"""``confirm(subscription_id, receipt_handles)``, awaited: e.g. ``AsyncEventConsumer.confirm``
(one ``DELETE …/confirm`` per handle)."""
SyncConfirm = Callable[[str, List[str]], Any]


def _accept(
    body: bytes, signature: Optional[str], secret: Union[str, Secret], now: Optional[float]
) -> Union[Notification, int]:
    """The notification, or the status that refuses it (401 bad signature, 400 malformed)."""
    try:
        verify_signature(body, signature, secret, now=now)
    except WebhookSignatureError as error:
        logger.warning("webhook refused: %s", error)
        return 401
    try:
        return parse_notification(body)
    except (EventFormatError, ValueError) as error:
        logger.warning("webhook refused: %s", error)
        return 400


def _failed(event: Event, error: BaseException) -> None:
    reference = f" ({event.reference_text})" if event.reference_text else ""
    logger.error(
        "event %s%s: webhook handler failed: %s: %s",
        event.id,
        reference,
        type(error).__name__,
        error,
        exc_info=(type(error), error, error.__traceback__),
    )


async def handle_notification(
    body: bytes,
    signature: Optional[str],
    secret: Union[str, Secret],
    handler: Callable[[Event], Awaitable[Any]],
    confirm: Confirm,
    *,
    now: Optional[float] = None,
) -> int:
    """Verify, parse, handle each event, confirm the handled ones; the HTTP status to answer.

    401 for a bad signature, 400 for a malformed body, 204 otherwise — also when a handler
    failed: that event stays unconfirmed and comes back through polling, and answering an error
    would only make the platform send the same notification again.
    """
    accepted = _accept(body, signature, secret, now)
    if isinstance(accepted, int):
        return accepted
    handled = []
    for event in accepted.events:
        try:
            await handler(event)
        except Exception as error:
            _failed(event, error)
            continue
        handled.append(event.id)
    if handled:
        try:
            await confirm(accepted.subscription_id, handled)
        except Exception as error:  # delivered again after the window: handlers are idempotent
            logger.warning("confirm after webhook failed: %s", type(error).__name__)
    return 204


def handle_notification_sync(
    body: bytes,
    signature: Optional[str],
    secret: Union[str, Secret],
    handler: Callable[[Event], Any],
    confirm: SyncConfirm,
    *,
    now: Optional[float] = None,
) -> int:
    """The blocking twin of ``handle_notification``, for WSGI frameworks (Flask, Django)."""
    accepted = _accept(body, signature, secret, now)
    if isinstance(accepted, int):
        return accepted
    handled = []
    for event in accepted.events:
        try:
            handler(event)
        except Exception as error:
            _failed(event, error)
            continue
        handled.append(event.id)
    if handled:
        try:
            confirm(accepted.subscription_id, handled)
        except Exception as error:
            logger.warning("confirm after webhook failed: %s", type(error).__name__)
    return 204


class WebhookApp:
    """An ASGI app that receives notifications: POST only, any path it is mounted at."""

    def __init__(
        self,
        secret: Union[str, Secret],
        handler: Callable[[Event], Awaitable[Any]],
        confirm: Confirm,
        *,
        max_body: int = 10 * 1024 * 1024,
    ) -> None:
        self._secret = secret if isinstance(secret, Secret) else Secret(secret)
        self._handler = handler
        self._confirm = confirm
        self._max_body = max_body

    def __repr__(self) -> str:
        return "WebhookApp(secret=Secret('***'))"

    async def __call__(self, scope: Dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            return
        if scope.get("method") != "POST":
            await _answer(send, 405)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max_body:
                await _answer(send, 413)
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        status = await handle_notification(
            b"".join(chunks),
            headers.get(SIGNATURE_HEADER.lower()),
            self._secret,
            self._handler,
            self._confirm,
        )
        await _answer(send, status)


async def _answer(send: Any, status: int) -> None:
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b""})
