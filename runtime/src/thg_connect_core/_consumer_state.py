"""Every decision of consuming a subscription, without I/O: the sync and async consumers share it.

The platform's contract (specs/CONVENTIONS.md §11): a poll hides the events it returns from every
poller of the subscription for the visibility window (30 s) and delivers them again unless they
are confirmed; confirming works whenever it arrives; delivery is at least once.

``ConsumerState`` holds each received event from its delivery until its handler has finished,
keyed by ``Event.key`` (the same for every delivery of one change: the platform's receipt handle,
the event's ``id``, is new on every delivery, so it cannot tell a redelivery), so the in-flight
count is the size of that table and cannot drift. It decides how
many events to ask for (free slots, and no more than the handlers can start within the window
at their measured pace), which deliveries are new (a redelivery of an event still held or still
waiting for its confirm is not run again: its confirm, which works whenever it arrives, settles
both), whether an event may still start, what to confirm (``confirms``, a ``ConfirmQueue``),
when a failing event is parked, and which running handlers have outlived their window (each
reported once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from ._confirm_queue import ConfirmQueue

if TYPE_CHECKING:
    from ._events import Event

__all__ = ["ConsumerSettings", "ConsumerState", "ParkedEvent"]

TICK = 0.25
"""The confirm loop's longest sleep: how late an overrun is noticed, at most."""
_PACE_WEIGHT = 0.2  # how fast the measured handler time follows change (exponential average)


@dataclass(frozen=True)
class ConsumerSettings:
    """How an event consumer behaves; every number has a default that fits the platform."""

    concurrency: int = 4
    """Handlers running at once."""
    max_in_flight: int = 20
    """Events received but not yet finished (running or waiting for a handler slot)."""
    wait_time_seconds: int = 20
    """Long-poll wait (0–20)."""
    max_events: int = 10
    """Events per poll (1–100)."""
    visibility_window: float = 30.0
    """The platform's window; an event not confirmed within it is delivered again."""
    safety_margin: float = 3.0
    """Time kept back from the window for the confirm itself."""
    max_deliveries: int = 5
    """A failing event delivered this many times is parked instead of redelivered forever."""
    confirm_batch: int = 100
    """Most confirms (one request per event) sent in one round (1–100). Rounds do not wait to
    fill: one starts as soon as an event finishes and none is out, and what finishes meanwhile
    goes in the next one."""
    confirm_linger: float = 0.02
    """While more handlers are about to finish, wait this long (seconds) for them to join a
    round: fewer rounds at a full poll's pace, a few milliseconds' later confirm."""

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.max_in_flight < self.concurrency:
            raise ValueError("need concurrency >= 1 and max_in_flight >= concurrency")
        if not 0 <= self.wait_time_seconds <= 20 or not 1 <= self.max_events <= 100:
            raise ValueError("wait_time_seconds must be 0-20 and max_events 1-100")
        if self.safety_margin >= self.visibility_window or self.max_deliveries < 1:
            raise ValueError("safety_margin must be below the window; max_deliveries >= 1")
        if not 1 <= self.confirm_batch <= 100:
            raise ValueError("confirm_batch must be 1-100")
        if not 0 <= self.confirm_linger <= 1:
            raise ValueError("confirm_linger must be 0-1 s (confirms are due within 1 s)")


@dataclass(frozen=True)
class ParkedEvent:
    """An event taken out of circulation after failing ``max_deliveries`` times."""

    event: Event
    error: BaseException


@dataclass
class _Held:
    event: Event
    deadline: float  # monotonic: when its window (less the margin) ends
    handle: str  # the receipt handle of its newest delivery: what its confirm sends
    started: float = -1.0  # when its handler started; -1 while waiting for a slot
    overrun_reported: bool = False


@dataclass
class ConsumerState:
    """The bookkeeping of one consumer; the sync and async shells only poll, run and confirm."""

    settings: ConsumerSettings = field(default_factory=ConsumerSettings)
    handled: int = 0
    failed: int = 0
    redelivered: int = 0
    """Deliveries of an event this consumer still held or had not confirmed yet: not run again."""
    expired: int = 0
    """Events whose window ran out before a handler slot came free: left for redelivery."""
    parked: List[ParkedEvent] = field(default_factory=list)
    confirms: ConfirmQueue = field(default_factory=ConfirmQueue)
    _held: Dict[str, _Held] = field(default_factory=dict)
    _failures: Dict[str, int] = field(default_factory=dict)
    # Keys confirmed within the last window, oldest first, with when to forget them: a poll the
    # platform answered just before a confirm landed may still bring the event back.
    _confirmed: Dict[str, float] = field(default_factory=dict)
    _pace: float = 0.0  # the handlers' average duration, seconds (0: not measured yet)
    _linger_until: Optional[float] = None
    _give_up: Optional[float] = None  # stopping: when the final confirms stop being retried

    def __post_init__(self) -> None:
        self.confirms.batch = self.settings.confirm_batch

    @property
    def in_flight(self) -> int:
        """Events received and not yet finished."""
        return len(self._held)

    @property
    def running(self) -> int:
        return sum(1 for h in self._held.values() if h.started >= 0)

    def _budget(self) -> float:
        return self.settings.visibility_window - self.settings.safety_margin

    def poll_size(self) -> int:
        """How many events to ask for: never more than free slots, nor more than the handlers
        can start before the window runs out at their measured pace (a backlog left waiting in
        this process past its window would come back to another poller and be run twice). Events
        handled but not yet confirmed take a slot too: confirms are one request per event, so a
        poller that outran them would only lengthen the wait of every confirm."""
        s = self.settings
        room = s.max_in_flight - len(self._held) - len(self.confirms)
        if self._pace > 0:
            startable = max(s.concurrency, int(s.concurrency * self._budget() / self._pace))
            room = min(room, startable - len(self._held))
        return max(0, min(s.max_events, room))

    def received(self, events: List[Event], now: float) -> List[Event]:
        """A poll returned ``events`` at ``now`` (monotonic); returns those to run. A delivery of
        an event already held (same ``key``) gets the new window and its handle is kept for the
        confirm (it is the one the platform counts now); one whose confirm is pending is settled
        by that confirm, sent with the newest handle."""
        fresh: List[Event] = []
        deadline = now + self._budget()
        for event in events:
            key = event.key
            held = self._held.get(key)
            if held is not None:
                held.deadline = deadline
                held.overrun_reported = False
                held.handle = event.id
                self.redelivered += 1
            elif key in self.confirms:
                self.confirms.renew(key, event.id)
                self.redelivered += 1
            elif self._confirmed_lately(key, now):
                # Handled and confirmed already: confirm this delivery's handle too (a platform
                # that honours only the newest handle would otherwise bring it back), never rerun.
                self.confirms.add(key, event.id)
                self.redelivered += 1
            else:
                self._held[key] = _Held(event, deadline, event.id)
                fresh.append(event)
        return fresh

    def confirm_settled(self, key: str, found: bool, now: float) -> None:
        """A confirm of ``key`` answered 2xx (``found``) or 404 (already gone)."""
        self.confirms.settled(key, found)
        self._confirmed.pop(key, None)  # re-inserted last: the dict stays ordered by expiry
        self._confirmed[key] = now + self.settings.visibility_window

    def _confirmed_lately(self, key: str, now: float) -> bool:
        confirmed = self._confirmed
        while confirmed:
            oldest = next(iter(confirmed))
            if confirmed[oldest] > now:
                break
            del confirmed[oldest]
        return key in confirmed

    def start(self, event: Event, now: float) -> bool:
        """Whether to run ``event`` now. One whose window has (nearly) run out before a slot came
        free is let go: it will be delivered again, and starting it would race that delivery."""
        held = self._held.get(event.key)
        if held is None:
            return False
        if now >= held.deadline:
            del self._held[event.key]
            self.expired += 1
            return False
        held.started = now
        return True

    def release(self, event: Event) -> None:
        """Give back an event that was never started (the consumer is stopping)."""
        held = self._held.get(event.key)
        if held is not None and held.started < 0:
            del self._held[event.key]

    def finished(
        self, event: Event, error: Optional[BaseException], now: float
    ) -> Optional[ParkedEvent]:
        """Record a handler's outcome. Success (or parking) queues a confirm; a failure below
        ``max_deliveries`` leaves the event unconfirmed so the platform delivers it again."""
        key = event.key
        held = self._held.pop(key, None)
        handle = event.id if held is None else held.handle
        if held is not None and held.started >= 0:
            took = now - held.started
            self._pace = (
                took if self._pace <= 0 else self._pace + _PACE_WEIGHT * (took - self._pace)
            )
        if error is None:
            self.handled += 1
            self._failures.pop(key, None)
            self.confirms.add(key, handle)
            return None
        self.failed += 1
        # The platform's shape counts no deliveries: count the failures seen here (by key).
        failures = self._failures[key] = self._failures.get(key, 0) + 1
        if max(event.receive_count, failures) >= self.settings.max_deliveries:
            self._failures.pop(key, None)
            parked = ParkedEvent(event, error)
            self.parked.append(parked)
            self.confirms.add(key, handle)
            return parked
        return None

    def overdue(self, now: float) -> List[Event]:
        """Running handlers that have outlived their window, each returned once."""
        late = []
        for held in self._held.values():
            if held.started >= 0 and not held.overrun_reported and now > held.deadline:
                held.overrun_reported = True
                late.append(held.event)
        return late

    def deadline(self, event: Event) -> float:
        return self._held[event.key].deadline

    def next_confirm(self, now: float, final: bool = False) -> Tuple[List[Tuple[str, str]], float]:
        """The (key, handle) of the confirms to send now (empty: none yet), and how long the
        confirm loop may sleep before asking again (it is also woken when an event finishes)."""
        queue = self.confirms
        if queue.busy:
            return [], TICK
        if not queue.ready(now):
            self._linger_until = None
            due = queue.next_due()
            return [], TICK if due is None else min(TICK, max(0.0, due - now))
        linger = self.settings.confirm_linger
        if not final and linger > 0 and len(queue) < queue.batch and self._held:
            if self._linger_until is None:
                self._linger_until = now + linger
            if now < self._linger_until:
                return [], self._linger_until - now
        self._linger_until = None
        return queue.take(now), 0.0

    def confirm_turn(
        self, now: float, final: bool, final_seconds: float
    ) -> Tuple[List[Tuple[str, str]], float, List[Event], bool]:
        """One turn of a confirm loop: (the (key, handle) confirms to send now, how long it may
        sleep otherwise,
        the handlers newly past their window, whether the loop is over). Once ``final`` (the
        consumer is stopping, no handler left), the loop ends when nothing is left to confirm or
        ``final_seconds`` after the first final turn."""
        late = self.overdue(now)
        if final:
            if self._give_up is None:
                self._give_up = now + final_seconds
            if not self.confirms or now >= self._give_up:
                return [], 0.0, late, True
        batch, sleep = self.next_confirm(now, final=final)
        return batch, sleep, late, False

    def wakes_confirmer(self) -> bool:
        """After ``finished``: whether the confirm loop should look now (the first id waiting,
        a full batch, or nothing left running to linger for)."""
        waiting = len(self.confirms)
        return waiting == 1 or waiting >= self.confirms.batch or not self._held
