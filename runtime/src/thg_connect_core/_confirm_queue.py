"""What to confirm next, and what a confirm's outcome means: a sans-I/O queue of event ids.

The consumers' confirm loop asks ``take(now)`` for the next request's ids and reports the
answer with ``done`` or ``failed``. The rules (issue 15):

* An id is listed once: it is a key of an ordered dict, so queueing it twice changes nothing,
  and an id in a request now is not taken again until that request has answered.
* One request at a time (a confirm's outcome decides what the next one holds), up to ``batch``
  ids; what finishes meanwhile goes in the next request, so batching comes for free.
* A refusal (a 4xx other than 429) never blocks the rest: the ids the error objects point at
  (``/data/attributes/eventIds/<n>``) are dropped; when the server does not say which, the batch
  is split in halves, retried at once, down to single ids, and a single refused id is dropped.
  Dropped ids are reported for logging: the platform delivers them again after the window.
* A transient failure (network, 429, 5xx) keeps the ids, in order, for a retry after a backoff
  that doubles up to ``MAX_BACKOFF`` (or the server's ``Retry-After``); after ``MAX_ATTEMPTS`` an
  id is dropped and reported (the platform delivers it again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

__all__: List[str] = []  # internal to the consumers; nothing here is public API

MAX_ATTEMPTS = 8
FIRST_BACKOFF = 0.25
MAX_BACKOFF = 10.0
_POINTER = re.compile(r"^/data/attributes/eventIds/([0-9]+)(?:/|$)")


@dataclass
class _Waiting:
    attempts: int = 0
    not_before: float = 0.0
    limit: int = 0  # 0: any batch; n: sent in batches of at most n (bisecting a refusal)


@dataclass(frozen=True)
class Dropped:
    """Ids taken out of the queue without being confirmed, and why."""

    ids: Tuple[str, ...]
    reason: str


class ConfirmQueue:
    def __init__(self, batch: int = 100) -> None:
        if not 1 <= batch <= 100:
            raise ValueError("a confirm carries 1-100 ids")
        self.batch = batch
        self._waiting: Dict[str, _Waiting] = {}
        self._sending: Tuple[str, ...] = ()
        # Transient failures per id: survive the trip through ``_sending``; cleared on settling.
        self._attempts: Dict[str, int] = {}
        self.confirmed = 0
        self.not_found = 0
        self.refused = 0
        self.requests = 0
        self.failed_requests = 0

    def __len__(self) -> int:
        return len(self._waiting) + len(self._sending)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._waiting or event_id in self._sending

    @property
    def busy(self) -> bool:
        """A request is out and has not answered yet."""
        return bool(self._sending)

    def add(self, event_id: str) -> None:
        if event_id not in self._sending:
            self._waiting.setdefault(event_id, _Waiting())

    def ready(self, now: float) -> bool:
        """Something could be sent now."""
        if self._sending:
            return False
        return any(w.not_before <= now for w in self._waiting.values())

    def next_due(self) -> Optional[float]:
        """When the earliest waiting id may be sent (None when nothing waits)."""
        return min((w.not_before for w in self._waiting.values()), default=None)

    def take(self, now: float) -> List[str]:
        """The ids of the next request (empty while one is out or nothing is due)."""
        if self._sending or not self._waiting:
            return []
        batch: List[str] = []
        limit = 0
        for event_id, waiting in self._waiting.items():
            if waiting.not_before > now:
                continue
            if not batch:  # the oldest due id sets the size: a bisected half goes on its own
                limit = waiting.limit or self.batch
            batch.append(event_id)
            if len(batch) >= limit:
                break
        for event_id in batch:
            del self._waiting[event_id]
        self._sending = tuple(batch)
        self.requests += bool(batch)
        return batch

    def done(self, confirmed: int, not_found: int) -> None:
        """The request answered 2xx: every id in it is settled (confirmed, or already gone)."""
        self.confirmed += confirmed
        self.not_found += not_found
        for event_id in self._sending:
            self._attempts.pop(event_id, None)
        self._sending = ()

    def failed(
        self,
        now: float,
        *,
        status: Optional[int],
        pointers: Iterable[str] = (),
        retry_after: Optional[float] = None,
    ) -> List[Dropped]:
        """The request failed (``status`` None: no answer). Decide each id's fate; return what
        was dropped, for the log."""
        sent, self._sending = self._sending, ()
        self.failed_requests += 1
        if status is not None and 400 <= status < 500 and status not in (408, 429):
            return self._refused(sent, status, pointers)
        return self._later(sent, now, retry_after)

    def _refused(self, sent: Sequence[str], status: int, pointers: Iterable[str]) -> List[Dropped]:
        named = set()
        for pointer in pointers:
            match = _POINTER.match(pointer)
            if match and int(match[1]) < len(sent):
                named.add(int(match[1]))
        if named:
            bad = tuple(sent[i] for i in sorted(named))
            self._requeue_front([e for i, e in enumerate(sent) if i not in named], 0)
        elif len(sent) == 1:
            bad = tuple(sent)
        else:
            self._requeue_front(sent, max(1, len(sent) // 2))
            return []
        for event_id in bad:
            self._attempts.pop(event_id, None)
        self.refused += len(bad)
        return [Dropped(bad, f"refused with HTTP {status}")]

    def _later(
        self, sent: Sequence[str], now: float, retry_after: Optional[float]
    ) -> List[Dropped]:
        dropped: List[str] = []
        keep: List[Tuple[str, _Waiting]] = []
        for event_id in sent:
            attempts = self._attempts.get(event_id, 0) + 1
            if attempts >= MAX_ATTEMPTS:
                dropped.append(event_id)
                self._attempts.pop(event_id, None)
                continue
            self._attempts[event_id] = attempts
            wait = min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (attempts - 1))
            if retry_after is not None:
                wait = max(wait, retry_after)
            keep.append((event_id, _Waiting(attempts, now + wait)))
        self._put_front(keep)
        if not dropped:
            return []
        return [Dropped(tuple(dropped), f"not confirmed after {MAX_ATTEMPTS} attempts")]

    def _requeue_front(self, ids: Sequence[str], limit: int) -> None:
        self._put_front([(e, _Waiting(self._attempts.get(e, 0), 0.0, limit)) for e in ids])

    def _put_front(self, items: List[Tuple[str, _Waiting]]) -> None:
        # In front of what arrived meanwhile: the oldest finished events go first.
        rest = self._waiting
        self._waiting = dict(items)
        for event_id, waiting in rest.items():
            self._waiting.setdefault(event_id, waiting)
