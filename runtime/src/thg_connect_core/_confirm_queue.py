"""What to confirm next, and what a confirm's outcome means: a sans-I/O queue of receipt handles.

A confirm is one request per event: ``DELETE …/subscription/{id}/confirm`` with the receipt
handle in the ``receipt-handle`` header (CONVENTIONS §11). Events are keyed by ``Event.key``
(the same for every delivery of one change); each holds the handle to send, the newest one seen
(``renew``), since the platform issues a new handle on every delivery.

The consumers' confirm loop asks ``take(now)`` for the confirms to send now, sends them (back to
back, or concurrently) and reports each outcome with ``settled`` or ``failed``. The rules
(issue 15):

* A key is listed once: it is a key of an ordered dict, so queueing it twice changes nothing,
  and a key whose confirm is out is not taken again until that confirm has answered.
* One round at a time, up to ``batch`` confirms; what finishes meanwhile goes in the next round.
* 2xx: confirmed. 404: the handle is unknown or its event already confirmed (a retried confirm):
  settled too, the event is gone either way.
* Another refusal (a 4xx other than 404, 408 and 429) drops that event alone, reported for
  logging: the platform delivers it again after the window. It never blocks the others.
* A transient failure (network, 408, 429, 5xx) keeps the event, in order, for a retry after a
  backoff that doubles up to ``MAX_BACKOFF`` (or the server's ``Retry-After``); after
  ``MAX_ATTEMPTS`` it is dropped and reported (the platform delivers it again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

__all__: List[str] = []  # internal to the consumers; nothing here is public API

MAX_ATTEMPTS = 8
FIRST_BACKOFF = 0.25
MAX_BACKOFF = 10.0


@dataclass
class _Waiting:
    handle: str
    attempts: int = 0
    not_before: float = 0.0


@dataclass(frozen=True)
class Dropped:
    """Events taken out of the queue without being confirmed (their handles), and why."""

    ids: Tuple[str, ...]
    reason: str


class ConfirmQueue:
    def __init__(self, batch: int = 100) -> None:
        if not 1 <= batch <= 100:
            raise ValueError("a confirm round carries 1-100 events")
        self.batch = batch
        self._waiting: Dict[str, _Waiting] = {}
        self._sending: Dict[str, _Waiting] = {}
        self._renewed: Dict[str, str] = {}  # key -> a newer handle delivered while sending
        self._retrying: List[str] = []  # keys of this round kept for a retry, in round order
        self.confirmed = 0
        self.not_found = 0
        self.refused = 0
        self.requests = 0
        self.failed_requests = 0

    def __len__(self) -> int:
        return len(self._waiting) + len(self._sending)

    def __contains__(self, key: object) -> bool:
        return key in self._waiting or key in self._sending

    @property
    def busy(self) -> bool:
        """A round is out and has not fully answered yet."""
        return bool(self._sending)

    def add(self, key: str, handle: str) -> None:
        """Confirm the event ``key`` with ``handle`` (a key already queued keeps its place and
        takes the newer handle while it waits)."""
        if key in self._sending:
            return
        waiting = self._waiting.get(key)
        if waiting is None:
            self._waiting[key] = _Waiting(handle)
        else:
            waiting.handle = handle

    def renew(self, key: str, handle: str) -> None:
        """The event was delivered again with ``handle``: send that one when it is waiting; when
        its confirm is already out, send this handle after it (a platform may honour only the
        newest handle)."""
        waiting = self._waiting.get(key)
        if waiting is not None:
            waiting.handle = handle
        elif key in self._sending:
            self._renewed[key] = handle

    def ready(self, now: float) -> bool:
        """Something could be sent now."""
        if self._sending:
            return False
        return any(w.not_before <= now for w in self._waiting.values())

    def next_due(self) -> Optional[float]:
        """When the earliest waiting event may be sent (None when nothing waits)."""
        return min((w.not_before for w in self._waiting.values()), default=None)

    def take(self, now: float) -> List[Tuple[str, str]]:
        """The (key, handle) of the confirms to send now (empty while a round is out or nothing
        is due), oldest first."""
        if self._sending or not self._waiting:
            return []
        batch: List[Tuple[str, str]] = []
        for key, waiting in self._waiting.items():
            if waiting.not_before > now:
                continue
            batch.append((key, waiting.handle))
            if len(batch) >= self.batch:
                break
        for key, _ in batch:
            self._sending[key] = self._waiting.pop(key)
        self._retrying = []
        self.requests += len(batch)
        return batch

    def settled(self, key: str, found: bool = True) -> None:
        """The confirm of ``key`` answered 2xx (``found``) or 404 (already gone)."""
        if self._sending.pop(key, None) is None:
            return
        if found:
            self.confirmed += 1
        else:
            self.not_found += 1
        newer = self._renewed.pop(key, None)
        if newer is not None:
            self._waiting[key] = _Waiting(newer)

    def failed(
        self, key: str, now: float, *, status: Optional[int], retry_after: Optional[float] = None
    ) -> List[Dropped]:
        """The confirm of ``key`` failed (``status`` None: no answer). Decide its fate; return
        what was dropped, for the log."""
        sent = self._sending.pop(key, None)
        if sent is None:
            return []
        self.failed_requests += 1
        newer = self._renewed.pop(key, None)
        if status == 404 or (
            status is not None and 400 <= status < 500 and status not in (408, 429)
        ):
            if status == 404:
                self.not_found += 1
            else:
                self.refused += 1
            if newer is not None:  # the newer delivery's handle may still be honoured
                self._waiting[key] = _Waiting(newer)
                return []
            if status == 404:
                return []
            return [Dropped((sent.handle,), f"refused with HTTP {status}")]
        if newer is not None:
            sent.handle = newer
        attempts = sent.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            return [Dropped((sent.handle,), f"not confirmed after {MAX_ATTEMPTS} attempts")]
        wait = min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (attempts - 1))
        if retry_after is not None:
            wait = max(wait, retry_after)
        # In front of what arrived meanwhile, in the round's order: the oldest go first.
        self._retrying.append(key)
        rest = self._waiting
        self._waiting = {k: rest.pop(k) for k in self._retrying[:-1] if k in rest}
        self._waiting[key] = _Waiting(sent.handle, attempts, now + wait)
        self._waiting.update(rest)
        return []
