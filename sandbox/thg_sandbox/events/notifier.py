"""From a write (in a worker thread) to the event loop: wake long polls, start webhook deliveries.

Writes run in worker threads (the database lock must not block the loop), while long polls wait
on the server's event loop. `Notifier.announce` is called from the write's thread and hops onto
the loop with `call_soon_threadsafe`; there each waiting poll of a subscription has an
`asyncio.Event` that is set, so the poll answers at once instead of sleeping in a loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import anyio.from_thread

from .emit import Recipient
from .queue import SubscriptionKey

log = logging.getLogger("thg_sandbox.events")


class Notifier:
    def __init__(self, on_webhook: Callable[[Recipient], None]) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: dict[SubscriptionKey, set[asyncio.Event]] = {}
        self._on_webhook = on_webhook

    def bind(self) -> None:
        """Remember the running loop (called from the async endpoints)."""
        self._loop = asyncio.get_running_loop()

    def _find_loop(self) -> asyncio.AbstractEventLoop | None:
        try:
            return asyncio.get_running_loop()  # a write made on the loop itself
        except RuntimeError:
            pass
        if self._loop is not None and not self._loop.is_closed():
            return self._loop
        try:
            # A worker thread started by the server's loop (run_in_threadpool) can ask it.
            self._loop = anyio.from_thread.run_sync(asyncio.get_running_loop)
        except RuntimeError:
            return None  # no server running: the events are queued, nobody is waiting
        return self._loop

    def announce(self, recipients: list[Recipient]) -> None:
        """Thread-safe: new events were queued for these subscriptions."""
        loop = self._find_loop()
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(self._wake, recipients)
        except RuntimeError:
            log.debug("event loop closed; %d wake-ups dropped", len(recipients))

    def _wake(self, recipients: list[Recipient]) -> None:
        for recipient in recipients:
            for event in self._waiters.get(recipient.key, ()):
                event.set()
            if recipient.webhook_url:
                self._on_webhook(recipient)

    @contextmanager
    def waiter(self, key: SubscriptionKey) -> Iterator[asyncio.Event]:
        """An event set when something is queued on `key`; register it before looking, so a
        write between the look and the wait is never missed."""
        event = asyncio.Event()
        self._waiters.setdefault(key, set()).add(event)
        try:
            yield event
        finally:
            waiting = self._waiters.get(key)
            if waiting is not None:
                waiting.discard(event)
                if not waiting:
                    del self._waiters[key]
