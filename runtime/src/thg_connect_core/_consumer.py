"""The threaded event consumer: long-poll a subscription, run a handler per event, confirm.

Three kinds of thread share one ``ConsumerState`` under one condition variable, so none waits on
another's I/O: a poller (long polls whenever a slot is free), ``concurrency`` workers (take
events from a queue, run the handler), and a confirmer (sends a confirm as soon as an event
finishes and none is out, so a handled event is confirmed within milliseconds whatever the poll
is doing; one ``DELETE …/confirm`` per event, a few at once). Events reach the workers through a
``queue.SimpleQueue`` (cheap, in C) rather than a
thread-pool future per event.

Shutdown (``stop()``, or SIGINT/SIGTERM while ``run`` is in the main thread): no new poll, no new
handler; handlers already running finish and are confirmed; events received but not started are
released (the platform delivers them again after the window). ``run`` returns without waiting
for a long poll in progress; what that poll brings is left alone.
"""

from __future__ import annotations

import queue
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, List, Optional, Tuple

from ._client import SyncAPIClient
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

__all__ = ["EventConsumer"]


class EventConsumer:
    """Consume a subscription with threads: ``EventConsumer(api, "sub", handler).run()``.

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
        self._path = subscription_path(api, subscription_id)
        self._handler = handler
        self._on_parked = on_parked
        self._clock = clock
        self.state = ConsumerState(settings or ConsumerSettings())
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._final = False  # the confirmer flushes everything and exits
        self._poller_waiting = False  # for a free slot: wake it when one frees
        self._work: "queue.SimpleQueue[Optional[Event]]" = queue.SimpleQueue()
        self._pool: Optional[ThreadPoolExecutor] = None  # the confirm round's, while running

    def stop(self) -> None:
        """Finish what is running, confirm it, and return from ``run``."""
        self._stop.set()

    # -- requests ----------------------------------------------------------------------------

    def poll(self, max_events: int, wait_time_seconds: int) -> List[Event]:
        """One long poll; records that are not events are logged and skipped."""
        events, odd = events_from_document(self._poll_document(max_events, wait_time_seconds))
        log_odd(odd)
        return events

    def _poll_document(self, max_events: int, wait_time_seconds: int) -> Any:
        return self._api.request(
            "GET",
            self._path + "/events",
            params=poll_params(max_events, wait_time_seconds),
            cast_to=dict,
            timeout=self._api.config.timeout + wait_time_seconds,
        )

    def confirm_one(self, handle: str) -> bool:
        """Confirm one event by the receipt handle of one of its deliveries (``event.id``):
        True when it was removed now, False when the handle is unknown or the event already
        confirmed (a 404: gone either way). Other failures raise."""
        try:
            self._api.request("DELETE", self._path + "/confirm", **confirm_request(handle))
        except Exception as error:
            if is_gone(error):
                return False
            raise
        return True

    def confirm(self, handles: List[str]) -> ConfirmAnswer:
        """Confirm events by receipt handle, one request each, back to back: (confirmed, not
        found). A failure other than a 404 raises (the handles before it are confirmed)."""
        confirmed: List[str] = []
        missing: List[str] = []
        for handle in dict.fromkeys(handles):
            (confirmed if self.confirm_one(handle) else missing).append(handle)
        return confirmed, missing

    # -- the three loops ---------------------------------------------------------------------

    def _poll_loop(self) -> None:
        settings, state, failures = self.state.settings, self.state, 0
        while not self._stop.is_set():
            with self._cond:
                size = state.poll_size()
                if size == 0:
                    self._poller_waiting = True
                    self._cond.wait(0.5)  # woken when a handler finishes
                    self._poller_waiting = False
                    continue
            try:
                events = self.poll(size, settings.wait_time_seconds)
            except Exception as error:
                if self._stop.is_set():
                    return
                log_poll_failure(error)
                self._stop.wait(POLL_BACKOFF[min(failures, len(POLL_BACKOFF) - 1)])
                failures += 1
                continue
            failures = 0
            if self._stop.is_set():
                return  # not started: delivered again after the window
            with self._cond:
                fresh = state.received(events, self._clock())
            for event in fresh:
                self._work.put(event)

    def _work_loop(self) -> None:
        state = self.state
        while True:
            event = self._work.get()
            if event is None:
                return
            with self._cond:
                if self._stop.is_set():
                    state.release(event)
                    continue
                if not state.start(event, self._clock()):
                    if self._poller_waiting:
                        self._cond.notify_all()
                    continue
            error: Optional[BaseException] = None
            try:
                self._handler(event)
            except Exception as failure:
                log_handler_failure(event, failure)
                error = failure
            with self._cond:
                parked = state.finished(event, error, self._clock())
                if state.wakes_confirmer() or parked is not None or self._poller_waiting:
                    self._cond.notify_all()
            if parked is not None:
                self._report(parked)

    def _confirm_loop(self) -> None:
        state, window = self.state, self.state.settings.visibility_window
        while True:
            with self._cond:
                turn = state.confirm_turn(self._clock(), self._final, FINAL_CONFIRM_SECONDS)
                batch, sleep, late, over = turn
                if over:
                    return
                if not batch and not late:
                    self._cond.wait(sleep)
                    continue
            log_overdue(late, window)
            if batch:
                self._send(batch)

    def _send(self, batch: List[Tuple[str, str]]) -> None:
        """One round: the events' confirms, ``CONFIRM_CONCURRENCY`` at a time on a small pool;
        each outcome settles that event only, so a refused or failing confirm never holds the
        others."""
        if len(batch) == 1 or self._pool is None:
            for key, handle in batch:
                self._send_one(key, handle)
            return
        list(self._pool.map(lambda pair: self._send_one(*pair), batch))

    def _send_one(self, key: str, handle: str) -> None:
        try:
            found = self.confirm_one(handle)
        except Exception as error:
            with self._cond:
                dropped = confirm_failed(self.state, key, error, self._clock())
                self._slot_freed()
            log_confirm_failure(error, dropped)
            return
        with self._cond:
            self.state.confirm_settled(key, found, self._clock())
            self._slot_freed()

    def _slot_freed(self) -> None:
        """Under the condition: a settled confirm frees a poll slot (pending ones take one)."""
        if self._poller_waiting:
            self._cond.notify_all()

    def _report(self, parked: ParkedEvent) -> None:
        log_parked(parked)
        if self._on_parked is not None:
            self._on_parked(parked)

    # -- running -----------------------------------------------------------------------------

    def run(self, *, handle_signals: bool = True) -> ConsumerState:
        """Poll and handle until ``stop()``; returns the final bookkeeping."""
        restore = _install_signals(self.stop) if handle_signals else None
        count = self.state.settings.concurrency
        workers = [self._thread(self._work_loop, f"work-{n}") for n in range(count)]
        self._pool = ThreadPoolExecutor(CONFIRM_CONCURRENCY, "thg-events-confirm")
        confirmer = self._thread(self._confirm_loop, "confirm")
        self._thread(self._poll_loop, "poll")
        try:
            while not self._stop.wait(0.5):
                pass
        finally:
            self._stop.set()
            for _ in workers:
                self._work.put(None)  # after every queued event: those are released
            for worker in workers:
                worker.join()  # handlers already running finish
            with self._cond:
                self._final = True
                self._cond.notify_all()
            confirmer.join(FINAL_CONFIRM_SECONDS + 5)
            self._pool.shutdown(wait=False)
            if restore is not None:
                restore()
        return self.state

    def _thread(self, target: Callable[[], None], name: str) -> threading.Thread:
        thread = threading.Thread(target=target, name=f"thg-events-{name}", daemon=True)
        thread.start()
        return thread


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
