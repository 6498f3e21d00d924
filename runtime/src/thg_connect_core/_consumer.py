"""Event consumers: long-poll a subscription, run a handler per event, confirm what succeeded.

``EventConsumer`` (threads) and ``AsyncEventConsumer`` (asyncio) are shells around
``ConsumerState``: they poll, run handlers and confirm; every decision is made there. Several
consumers on one subscription share its events (the platform never gives the same visible event
to two pollers at once); one subscription per consumer gives each every event.

Shutdown (``stop()``, or SIGINT/SIGTERM while ``run`` is in the main thread): no new poll, no new
handler; handlers already running finish and are confirmed; events received but not started are
left alone, so the platform delivers them again after the window. A poll already waiting returns
within ``wait_time_seconds``.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set

from ._client import AsyncAPIClient, SyncAPIClient
from ._events import EVENTS_PATH, ConsumerSettings, ConsumerState, Event, ParkedEvent
from ._events import event_from_resource
from ._resources import path_id

__all__ = ["AsyncEventConsumer", "EventConsumer"]

logger = logging.getLogger("thg_connect")

_SKIPPED = object()  # a handler slot came free after the event's window had run out


def _path(api: Any, subscription_id: str) -> str:
    return EVENTS_PATH.format(
        owner=path_id(api.owner, "owner"), subscription=path_id(subscription_id, "subscription_id")
    )


def _confirm_body(ids: List[str]) -> bytes:
    import json

    body = {"data": {"type": "events:confirmation", "attributes": {"eventIds": ids}}}
    return json.dumps(body).encode()


def _events(document: Any) -> List[Event]:
    data = document.get("data") if isinstance(document, dict) else None
    return [event_from_resource(item) for item in data or []]


def _report(state: ConsumerState, parked: Optional[ParkedEvent], hook: Any) -> None:
    while state.overruns:
        event_id, late = state.overruns.pop(0)
        logger.warning(
            "event %s: its handler overran the visibility window by %.1f s", event_id, late
        )
    if parked is not None:
        logger.error(
            "event %s parked after %d deliveries: %s",
            parked.event.id,
            parked.event.receive_count,
            type(parked.error).__name__,
        )
        if hook is not None:
            hook(parked)


class EventConsumer:
    """Consume a subscription with a pool of threads: ``EventConsumer(api, "sub", handler).run()``.

    ``handler(event)`` returns normally when the event is handled (it is then confirmed) and
    raises to have it delivered again. Handlers must be idempotent: delivery is at least once.
    ``on_parked(parked)`` is called for an event that failed ``max_deliveries`` times; it is
    confirmed, so the platform stops delivering it, and kept in ``state.parked``.
    """

    def __init__(
        self,
        api: SyncAPIClient,
        subscription_id: str,
        handler: Callable[[Event], Any],
        *,
        settings: Optional[ConsumerSettings] = None,
        on_parked: Optional[Callable[[ParkedEvent], Any]] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._api = api
        self._path = _path(api, subscription_id)
        self._handler = handler
        self._on_parked = on_parked
        self._clock = clock
        self.state = ConsumerState(settings or ConsumerSettings())
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def stop(self) -> None:
        """Finish what is running, confirm it, and return from ``run``."""
        self._stop.set()

    def poll(self, max_events: int, wait_time_seconds: int) -> List[Event]:
        params = {"maxEvents": max_events, "waitTimeSeconds": wait_time_seconds}
        document = self._api.request(
            "GET", self._path + "/events", params=params, cast_to=dict,
            timeout=self._api.config.timeout + wait_time_seconds,
        )  # fmt: skip
        return _events(document)

    def confirm(self, ids: List[str]) -> None:
        if ids:
            self._api.request(
                "POST", self._path + "/confirm", body=_confirm_body(ids), cast_to=dict
            )

    def _flush(self, final: bool) -> None:
        with self._lock:
            batch = self.state.confirm_now(final=final)
        while batch:
            try:
                self.confirm(batch)
            except Exception as error:  # the events come back after the window: nothing lost
                logger.warning("confirm of %d event(s) failed: %s", len(batch), error)
                with self._lock:
                    self.state.requeue(batch)
                return
            with self._lock:
                batch = self.state.confirm_now(final=final)

    def _run_one(self, event: Event) -> Any:
        with self._lock:
            if not self.state.may_start(event, self._clock()):
                return _SKIPPED
        try:
            self._handler(event)
        except Exception as error:
            logger.warning("event %s: handler failed: %s", event.id, type(error).__name__)
            return error
        return None

    def _settle(self, done: Set["Future[Any]"], events: Dict["Future[Any]", Event]) -> None:
        for future in done:
            event = events.pop(future)
            outcome = future.result()
            if outcome is _SKIPPED:
                continue
            with self._lock:
                parked = self.state.finished(event, outcome, self._clock())
            _report(self.state, parked, self._on_parked)

    def run(self, *, handle_signals: bool = True) -> ConsumerState:
        """Poll and handle until ``stop()``; returns the final bookkeeping."""
        settings = self.state.settings
        restore = _install_signals(self.stop) if handle_signals else None
        events: Dict["Future[Any]", Event] = {}
        try:
            with ThreadPoolExecutor(settings.concurrency, thread_name_prefix="thg-events") as pool:
                while not self._stop.is_set():
                    done = {f for f in events if f.done()}
                    self._settle(done, events)
                    self._flush(final=False)
                    size = self.state.poll_size()
                    if size == 0:
                        wait(list(events), timeout=0.5, return_when=FIRST_COMPLETED)
                        continue
                    # While handlers run, poll briefly so their confirms are not held back.
                    wait_time = 1 if events else settings.wait_time_seconds
                    received = self.poll(size, wait_time)
                    with self._lock:
                        self.state.received(received, self._clock())
                    for event in received:
                        events[pool.submit(self._run_one, event)] = event
                    if not received:
                        self._flush(final=True)
                for future in list(events):
                    if future.cancel():
                        with self._lock:
                            self.state.may_start(events.pop(future), float("inf"))
                done, _ = wait(list(events))
                self._settle(done, events)
        finally:
            if restore is not None:
                restore()
            self._flush(final=True)
        return self.state


class AsyncEventConsumer:
    """The asyncio twin of ``EventConsumer``; ``handler`` is a coroutine function."""

    def __init__(
        self,
        api: AsyncAPIClient,
        subscription_id: str,
        handler: Callable[[Event], Awaitable[Any]],
        *,
        settings: Optional[ConsumerSettings] = None,
        on_parked: Optional[Callable[[ParkedEvent], Any]] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._api = api
        self._path = _path(api, subscription_id)
        self._handler = handler
        self._on_parked = on_parked
        self._clock = clock
        self.state = ConsumerState(settings or ConsumerSettings())
        self._stop = asyncio.Event()

    def stop(self) -> None:
        """Finish what is running, confirm it, and return from ``run``."""
        self._stop.set()

    async def poll(self, max_events: int, wait_time_seconds: int) -> List[Event]:
        params = {"maxEvents": max_events, "waitTimeSeconds": wait_time_seconds}
        document = await self._api.request(
            "GET", self._path + "/events", params=params, cast_to=dict,
            timeout=self._api.config.timeout + wait_time_seconds,
        )  # fmt: skip
        return _events(document)

    async def confirm(self, ids: List[str]) -> None:
        if ids:
            await self._api.request(
                "POST", self._path + "/confirm", body=_confirm_body(ids), cast_to=dict
            )

    async def _flush(self, final: bool) -> None:
        batch = self.state.confirm_now(final=final)
        while batch:
            try:
                await self.confirm(batch)
            except Exception as error:
                logger.warning("confirm of %d event(s) failed: %s", len(batch), error)
                self.state.requeue(batch)
                return
            batch = self.state.confirm_now(final=final)

    async def _run_one(self, event: Event, slots: asyncio.Semaphore) -> None:
        async with slots:
            if self._stop.is_set() or not self.state.may_start(event, self._clock()):
                if self._stop.is_set():
                    self.state.may_start(event, float("inf"))
                return
            error: Optional[BaseException] = None
            try:
                await self._handler(event)
            except Exception as failure:
                logger.warning("event %s: handler failed: %s", event.id, type(failure).__name__)
                error = failure
            parked = self.state.finished(event, error, self._clock())
            _report(self.state, parked, self._on_parked)

    async def run(self, *, handle_signals: bool = True) -> ConsumerState:
        """Poll and handle until ``stop()``; returns the final bookkeeping."""
        settings = self.state.settings
        slots = asyncio.Semaphore(settings.concurrency)
        tasks: Set["asyncio.Task[None]"] = set()
        restore = _install_async_signals(self.stop) if handle_signals else None
        stopping = asyncio.ensure_future(self._stop.wait())
        try:
            while not self._stop.is_set():
                tasks = {t for t in tasks if not t.done()}
                await self._flush(final=False)
                size = self.state.poll_size()
                if size == 0:
                    await asyncio.wait(tasks | {stopping}, return_when=asyncio.FIRST_COMPLETED)
                    continue
                wait_time = 1 if tasks else settings.wait_time_seconds
                polling = asyncio.ensure_future(self.poll(size, wait_time))
                await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not polling.done():  # stopping: the claimed events come back after the window
                    polling.cancel()
                    await asyncio.wait({polling})  # let the request close its connection now
                    break
                received = polling.result()
                self.state.received(received, self._clock())
                for event in received:
                    tasks.add(asyncio.ensure_future(self._run_one(event, slots)))
                if not received:
                    await self._flush(final=True)
            if tasks:
                await asyncio.gather(*tasks)
        finally:
            stopping.cancel()
            await asyncio.wait({stopping})
            if restore is not None:
                restore()
            await self._flush(final=True)
        return self.state


def _install_signals(stop: Callable[[], None]) -> Optional[Callable[[], None]]:
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda *_: stop())

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def _install_async_signals(stop: Callable[[], None]) -> Optional[Callable[[], None]]:
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            return None

    def restore() -> None:
        for sig in installed:
            loop.remove_signal_handler(sig)

    return restore
