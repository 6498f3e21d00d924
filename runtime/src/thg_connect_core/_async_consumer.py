"""The asyncio event consumer: the twin of ``EventConsumer`` with tasks instead of threads.

A poller task, ``concurrency`` worker tasks fed by an ``asyncio.Queue``, and a confirmer task
share one ``ConsumerState``; the confirmer is woken when an event finishes, so a confirm never
waits behind a long poll. Shutdown cancels the poll in progress (its connection closes at once;
its events come back after the window), lets running handlers finish, releases queued events
and confirms what finished. The asyncio primitives are made inside ``run`` so the consumer may be
built outside the loop that runs it (Python 3.9 binds them to a loop when made).
"""

from __future__ import annotations

import asyncio
import signal
import time
from typing import Any, Awaitable, Callable, List, Optional, Tuple

from ._async_client import AsyncAPIClient
from ._consumer_io import (
    CONFIRM_CONCURRENCY,
    FINAL_CONFIRM_SECONDS,
    POLL_BACKOFF,
    ConfirmAnswer,
    confirm_failed,
    confirm_request,
    is_gone,
    log_confirm_failure,
    log_handler_failure,
    log_odd,
    log_overdue,
    log_parked,
    log_poll_failure,
    poll_params,
    subscription_path,
)
from ._consumer_state import ConsumerSettings, ConsumerState, ParkedEvent
from ._events import Event, events_from_document

__all__ = ["AsyncEventConsumer"]


class _Signals:
    """The loop's asyncio primitives of one ``run``."""

    def __init__(self) -> None:
        self.stopped = asyncio.Event()
        self.wake = asyncio.Event()  # something for the confirmer
        self.slot = asyncio.Event()  # a poll slot may have come free
        self.work: "asyncio.Queue[Optional[Event]]" = asyncio.Queue()


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
        self._path = subscription_path(api, subscription_id)
        self._handler = handler
        self._on_parked = on_parked
        self._clock = clock
        self.state = ConsumerState(settings or ConsumerSettings())
        self._stop_requested = False
        self._final = False
        self._signals: Optional[_Signals] = None

    def stop(self) -> None:
        """Finish what is running, confirm it, and return from ``run`` (call it on the loop)."""
        self._stop_requested = True
        if self._signals is not None:
            self._signals.stopped.set()

    # -- requests ----------------------------------------------------------------------------

    async def poll(self, max_events: int, wait_time_seconds: int) -> List[Event]:
        """One long poll; records that are not events are logged and skipped."""
        document = await self._api.request(
            "GET",
            self._path + "/events",
            params=poll_params(max_events, wait_time_seconds),
            cast_to=dict,
            timeout=self._api.config.timeout + wait_time_seconds,
        )
        events, odd = events_from_document(document)
        log_odd(odd)
        return events

    async def confirm_one(self, handle: str) -> bool:
        """Confirm one event by the receipt handle of one of its deliveries (``event.id``):
        True when it was removed now, False when the handle is unknown or the event already
        confirmed (a 404: gone either way). Other failures raise."""
        try:
            await self._api.request("DELETE", self._path + "/confirm", **confirm_request(handle))
        except Exception as error:
            if is_gone(error):
                return False
            raise
        return True

    async def confirm(self, handles: List[str]) -> ConfirmAnswer:
        """Confirm events by receipt handle, one request each, back to back: (confirmed, not
        found). A failure other than a 404 raises (the handles before it are confirmed)."""
        confirmed: List[str] = []
        missing: List[str] = []
        for handle in dict.fromkeys(handles):
            (confirmed if await self.confirm_one(handle) else missing).append(handle)
        return confirmed, missing

    # -- the three loops ---------------------------------------------------------------------

    async def _poll_loop(self, signals: _Signals) -> None:
        settings, state, failures = self.state.settings, self.state, 0
        while not self._stop_requested:
            size = state.poll_size()
            if size == 0:
                signals.slot.clear()
                await _wait(signals.slot, 0.5)
                continue
            try:
                events = await self.poll(size, settings.wait_time_seconds)
            except Exception as error:
                log_poll_failure(error)
                await _wait(signals.stopped, POLL_BACKOFF[min(failures, len(POLL_BACKOFF) - 1)])
                failures += 1
                continue
            failures = 0
            for event in state.received(events, self._clock()):
                signals.work.put_nowait(event)

    async def _work_loop(self, signals: _Signals) -> None:
        state = self.state
        while True:
            event = await signals.work.get()
            if event is None:
                return
            if self._stop_requested:
                state.release(event)
                continue
            if not state.start(event, self._clock()):
                signals.slot.set()
                continue
            error: Optional[BaseException] = None
            try:
                await self._handler(event)
            except Exception as failure:
                log_handler_failure(event, failure)
                error = failure
            parked = state.finished(event, error, self._clock())
            signals.slot.set()
            if state.wakes_confirmer() or parked is not None:
                signals.wake.set()
            if parked is not None:
                log_parked(parked)
                if self._on_parked is not None:
                    self._on_parked(parked)

    async def _confirm_loop(self, signals: _Signals) -> None:
        state, window = self.state, self.state.settings.visibility_window
        while True:
            turn = state.confirm_turn(self._clock(), self._final, FINAL_CONFIRM_SECONDS)
            batch, sleep, late, over = turn
            log_overdue(late, window)
            if over:
                return
            if batch:
                await self._send(batch)
                continue
            signals.wake.clear()
            await _wait(signals.wake, sleep)

    async def _send(self, batch: List[Tuple[str, str]]) -> None:
        """One round: the events' confirms, ``CONFIRM_CONCURRENCY`` at a time; each outcome
        settles that event only, so a refused or failing confirm never holds the others."""
        limit = asyncio.Semaphore(CONFIRM_CONCURRENCY)

        signals = self._signals

        async def send(key: str, handle: str) -> None:
            async with limit:
                try:
                    found = await self.confirm_one(handle)
                except Exception as error:
                    dropped = confirm_failed(self.state, key, error, self._clock())
                    log_confirm_failure(error, dropped)
                else:
                    self.state.confirm_settled(key, found, self._clock())
                if signals is not None:
                    signals.slot.set()  # a settled confirm frees a poll slot

        await asyncio.gather(*(send(key, handle) for key, handle in batch))

    # -- running -----------------------------------------------------------------------------

    async def run(self, *, handle_signals: bool = True) -> ConsumerState:
        """Poll and handle until ``stop()``; returns the final bookkeeping."""
        signals = self._signals = _Signals()
        if self._stop_requested:
            signals.stopped.set()
        restore = _install_async_signals(self.stop) if handle_signals else None
        count = self.state.settings.concurrency
        workers = [asyncio.ensure_future(self._work_loop(signals)) for _ in range(count)]
        confirmer = asyncio.ensure_future(self._confirm_loop(signals))
        poller = asyncio.ensure_future(self._poll_loop(signals))
        try:
            await signals.stopped.wait()
        finally:
            self._stop_requested = True
            poller.cancel()  # a long poll in progress: its events come back after the window
            await asyncio.wait({poller})
            for _ in workers:
                signals.work.put_nowait(None)  # after every queued event: those are released
            await asyncio.wait(workers)  # handlers already running finish
            self._final = True
            signals.wake.set()
            await asyncio.wait({confirmer}, timeout=FINAL_CONFIRM_SECONDS + 5)
            confirmer.cancel()
            if restore is not None:
                restore()
        return self.state


async def _wait(event: asyncio.Event, timeout: float) -> None:
    try:
        await asyncio.wait_for(event.wait(), timeout)
    except asyncio.TimeoutError:
        pass


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
