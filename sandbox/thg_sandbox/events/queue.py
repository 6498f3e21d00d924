"""Per-subscription event queues in SQLite, with a visibility window (CONVENTIONS §11).

Each delivery of an event (a poll claiming it, or a webhook notification announcing it) gets a
new opaque receipt handle, as the platform's SQS-style queue does; a confirm names any handle
ever issued for the event and removes the event (and all its handles). The event's own id is
the queue's bookkeeping and never leaves the sandbox.

No HTTP and no asyncio here: the queue is a plain object over the sandbox's `Database` and an
injectable clock, so a state machine can drive it with virtual time. Every method runs in one
`BEGIN IMMEDIATE` transaction under the database lock, which is what makes a claim atomic: two
pollers of one subscription can never both see an event as visible and take it.

Times are stored as integer microseconds since the epoch so "hidden until" compares exactly.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ..clock import Clock
from ..store import Database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS event_queue (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- commit order: queued in the write's transaction
    change_seq INTEGER NOT NULL,            -- 0; kept for databases made before issue 15
    owner TEXT NOT NULL,                    -- the subscription's organisation
    subscription TEXT NOT NULL,             -- the subscription's id
    event_id TEXT NOT NULL,                 -- internal: never sent (the handles are)
    event TEXT NOT NULL,                    -- JSON: {"method", "entity": <resource object>}
    receive_count INTEGER NOT NULL DEFAULT 0,
    hidden_until INTEGER NOT NULL DEFAULT 0, -- microseconds since the epoch; visible once <= now
    UNIQUE (owner, subscription, event_id)
);
CREATE INDEX IF NOT EXISTS event_queue_order
    ON event_queue (owner, subscription, change_seq, seq);
CREATE TABLE IF NOT EXISTS event_receipts (
    handle TEXT PRIMARY KEY,                -- one per delivery; any of them confirms the event
    owner TEXT NOT NULL,
    subscription TEXT NOT NULL,
    event_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS event_receipts_event
    ON event_receipts (owner, subscription, event_id);
CREATE TABLE IF NOT EXISTS event_webhook_secrets (
    owner TEXT NOT NULL,
    subscription TEXT NOT NULL,
    secret TEXT NOT NULL,
    PRIMARY KEY (owner, subscription)
);
"""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICRO = timedelta(microseconds=1)


def to_micros(moment: datetime) -> int:
    return (moment.astimezone(timezone.utc) - _EPOCH) // _MICRO


def from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


@dataclass(frozen=True, order=True)
class SubscriptionKey:
    owner: str
    id: str


@dataclass(frozen=True)
class QueuedEvent:
    """One event as it stands on one subscription (one delivery of it, when `handle` is set)."""

    id: str  # internal, stable; never sent
    body: dict[str, Any]  # {"method": "create" | "update" | "delete", "entity": <resource object>}
    receive_count: int
    hidden_until: datetime | None  # None: visible now
    handle: str = ""  # the receipt handle of this delivery ("" when only peeked)


HANDLE_PREFIX = "AQEB"


def new_handle() -> str:
    """An opaque, URL-safe receipt handle, long like the platform's (SQS-style)."""
    return HANDLE_PREFIX + secrets.token_urlsafe(96)


MAX_HANDLE = 1024
"""A longer handle was never issued: it is unknown without a look."""


class EventQueue:
    def __init__(self, db: Database, clock: Clock, visibility_seconds: float) -> None:
        if visibility_seconds <= 0:
            raise ValueError("the visibility window must be positive")
        self.db = db
        self.clock = clock
        self.window_micros = round(visibility_seconds * 1_000_000)
        with db.reading() as conn:  # no transaction open: executescript manages its own
            conn.executescript(_SCHEMA)

    def _now(self) -> int:
        return to_micros(self.clock.now())

    # -- writing -----------------------------------------------------------------------------

    def push(self, keys: Iterable[SubscriptionKey], event_id: str, event: dict[str, Any]) -> None:
        """Queue one event on each subscription, visible at once, after everything queued."""
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        with self.db.transaction() as conn:
            self.push_in(conn, [(k.owner, k.id, event_id, body) for k in keys])

    @staticmethod
    def push_in(conn: sqlite3.Connection, rows: Sequence[tuple[str, str, str, str]]) -> None:
        """`rows` of (owner, subscription, event id, JSON event body) inside the caller's
        transaction (the write's own: writes commit one at a time, so this is commit order)."""
        conn.executemany(
            "INSERT OR IGNORE INTO event_queue (owner, subscription, event_id, event, change_seq) "
            "VALUES (?, ?, ?, ?, 0)",
            rows,
        )

    def drop(self, key: SubscriptionKey) -> None:
        """Forget the subscription's queue and webhook secret (the subscription is gone)."""
        with self.db.transaction() as conn:
            self.drop_in(conn, key)

    @staticmethod
    def drop_in(conn: sqlite3.Connection, key: SubscriptionKey) -> None:
        """`drop` inside the caller's transaction (the subscription's own DELETE)."""
        conn.execute(
            "DELETE FROM event_queue WHERE owner = ? AND subscription = ?", (key.owner, key.id)
        )
        conn.execute(
            "DELETE FROM event_receipts WHERE owner = ? AND subscription = ?", (key.owner, key.id)
        )
        conn.execute(
            "DELETE FROM event_webhook_secrets WHERE owner = ? AND subscription = ?",
            (key.owner, key.id),
        )

    # -- polling -----------------------------------------------------------------------------

    def claim(self, key: SubscriptionKey, max_events: int) -> list[QueuedEvent]:
        """Up to `max_events` visible events, oldest first, now hidden for the window, each with
        a new receipt handle."""
        with self.db.transaction() as conn:
            now = self._now()
            rows = conn.execute(
                "SELECT seq, event_id, event, receive_count FROM event_queue "
                "WHERE owner = ? AND subscription = ? AND hidden_until <= ? "
                "ORDER BY change_seq, seq LIMIT ?",
                (key.owner, key.id, now, max_events),
            ).fetchall()
            until = now + self.window_micros
            conn.executemany(
                "UPDATE event_queue SET receive_count = receive_count + 1, hidden_until = ? "
                "WHERE seq = ?",
                [(until, row["seq"]) for row in rows],
            )
            handles = self._issue_in(conn, key, [row["event_id"] for row in rows])
        return [
            QueuedEvent(
                row["event_id"],
                json.loads(row["event"]),
                int(row["receive_count"]) + 1,
                from_micros(until),
                handle,
            )
            for row, handle in zip(rows, handles)
        ]

    @staticmethod
    def _issue_in(
        conn: sqlite3.Connection, key: SubscriptionKey, event_ids: Sequence[str]
    ) -> list[str]:
        # One handle per event, so the callers' zips pair them one to one.
        handles = [new_handle() for _ in event_ids]
        conn.executemany(
            "INSERT INTO event_receipts (handle, owner, subscription, event_id) "
            "VALUES (?, ?, ?, ?)",
            [(h, key.owner, key.id, e) for h, e in zip(handles, event_ids)],
        )
        return handles

    def confirm(self, key: SubscriptionKey, handle: str) -> QueuedEvent | None:
        """Remove the event `handle` was issued for, whenever the confirm arrives (even after
        the window, even while another poller holds it); None when the handle is unknown or its
        event already confirmed. The removed event is returned with that handle."""
        if not handle or len(handle) > MAX_HANDLE:
            return None
        with self.db.transaction() as conn:
            found = conn.execute(
                "SELECT event_id FROM event_receipts "
                "WHERE handle = ? AND owner = ? AND subscription = ?",
                (handle, key.owner, key.id),
            ).fetchone()
            if found is None:
                return None
            event_id = found["event_id"]
            row = conn.execute(
                "SELECT event, receive_count FROM event_queue "
                "WHERE owner = ? AND subscription = ? AND event_id = ?",
                (key.owner, key.id, event_id),
            ).fetchone()
            conn.execute(
                "DELETE FROM event_queue WHERE owner = ? AND subscription = ? AND event_id = ?",
                (key.owner, key.id, event_id),
            )
            conn.execute(
                "DELETE FROM event_receipts WHERE owner = ? AND subscription = ? AND event_id = ?",
                (key.owner, key.id, event_id),
            )
        if row is None:
            return None
        return QueuedEvent(
            event_id, json.loads(row["event"]), int(row["receive_count"]), None, handle
        )

    def deliver(self, key: SubscriptionKey, event_ids: Sequence[str]) -> list[QueuedEvent]:
        """The events of `event_ids` still queued, oldest first, each with a new receipt handle
        and otherwise untouched (a webhook notification: it never hides an event)."""
        with self.db.transaction() as conn:
            events = self._peek_in(conn, key, event_ids)
            handles = self._issue_in(conn, key, [e.id for e in events])
        return [
            QueuedEvent(e.id, e.body, e.receive_count, e.hidden_until, h)
            for e, h in zip(events, handles)
        ]

    def seconds_until_visible(self, key: SubscriptionKey) -> float | None:
        """How long until the next hidden event comes back; None when nothing is hidden."""
        with self.db.reading() as conn:
            now = self._now()
            row = conn.execute(
                "SELECT MIN(hidden_until) AS next FROM event_queue "
                "WHERE owner = ? AND subscription = ? AND hidden_until > ?",
                (key.owner, key.id, now),
            ).fetchone()
        if row is None or row["next"] is None:
            return None
        return max(0.0, (int(row["next"]) - now) / 1_000_000)

    # -- reading without touching (webhooks, tests) ------------------------------------------

    def peek(
        self, key: SubscriptionKey, event_ids: Sequence[str] | None = None
    ) -> list[QueuedEvent]:
        """Events still queued (all, or those of `event_ids`), oldest first, unchanged."""
        with self.db.reading() as conn:
            return self._peek_in(conn, key, event_ids)

    def _peek_in(
        self, conn: sqlite3.Connection, key: SubscriptionKey, event_ids: Sequence[str] | None
    ) -> list[QueuedEvent]:
        now = self._now()
        rows = conn.execute(
            "SELECT event_id, event, receive_count, hidden_until FROM event_queue "
            "WHERE owner = ? AND subscription = ? ORDER BY change_seq, seq",
            (key.owner, key.id),
        ).fetchall()
        wanted = None if event_ids is None else set(event_ids)
        return [
            QueuedEvent(
                row["event_id"],
                json.loads(row["event"]),
                int(row["receive_count"]),
                from_micros(int(row["hidden_until"])) if row["hidden_until"] > now else None,
            )
            for row in rows
            if wanted is None or row["event_id"] in wanted
        ]

    # -- webhook secrets ---------------------------------------------------------------------

    def set_secret(self, key: SubscriptionKey, secret: str) -> None:
        with self.db.transaction() as conn:
            self.set_secret_in(conn, key, secret)

    @staticmethod
    def set_secret_in(conn: sqlite3.Connection, key: SubscriptionKey, secret: str) -> None:
        """`set_secret` inside the caller's transaction (the subscription's own POST)."""
        conn.execute(
            "INSERT OR REPLACE INTO event_webhook_secrets (owner, subscription, secret) "
            "VALUES (?, ?, ?)",
            (key.owner, key.id, secret),
        )

    def secret(self, key: SubscriptionKey) -> str | None:
        with self.db.reading() as conn:
            row = conn.execute(
                "SELECT secret FROM event_webhook_secrets WHERE owner = ? AND subscription = ?",
                (key.owner, key.id),
            ).fetchone()
        return None if row is None else str(row["secret"])
