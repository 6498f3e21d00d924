"""The order writes committed in, recorded inside each write's own transaction.

Write hooks run after the commit, each in its own request thread, so two concurrent writes can
reach the emitter in the opposite order to their commits (two PUTs of one entity would then queue
version 3 before version 2). SQLite triggers on `resources` log every insert, update and delete
in the write's transaction, numbered in commit order. The emitter takes its write's number for
the events it queues, and removes the log row once they are queued; polls only hand out events
numbered below the oldest write still in the log, so nobody sees a later change before an earlier
one has been announced. A log row whose hook never came stops holding events back after
`STALE_SECONDS`. Table and triggers are TEMP: they belong to this process's connection (the
order of writes in flight), never to the database file.
"""

from __future__ import annotations

import sqlite3
import time

STALE_SECONDS = 5.0

# Real time in microseconds, inside SQLite: only for the staleness guard, never for the window.
_NOW_SQL = "CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)"

SCHEMA = f"""
CREATE TEMP TABLE IF NOT EXISTS event_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- commit order
    entity TEXT NOT NULL,
    owner TEXT NOT NULL,
    id TEXT NOT NULL,
    action TEXT NOT NULL,
    version INTEGER NOT NULL,
    at INTEGER NOT NULL                     -- real microseconds since the epoch
);
CREATE TEMP TRIGGER IF NOT EXISTS event_changes_created AFTER INSERT ON resources BEGIN
    INSERT INTO event_changes (entity, owner, id, action, version, at)
    VALUES (NEW.entity, NEW.owner, NEW.id, 'CREATED', NEW.version, {_NOW_SQL});
END;
CREATE TEMP TRIGGER IF NOT EXISTS event_changes_updated AFTER UPDATE ON resources BEGIN
    INSERT INTO event_changes (entity, owner, id, action, version, at)
    VALUES (NEW.entity, NEW.owner, NEW.id, 'UPDATED', NEW.version, {_NOW_SQL});
END;
CREATE TEMP TRIGGER IF NOT EXISTS event_changes_deleted AFTER DELETE ON resources BEGIN
    INSERT INTO event_changes (entity, owner, id, action, version, at)
    VALUES (OLD.entity, OLD.owner, OLD.id, 'DELETED', OLD.version, {_NOW_SQL});
END;
"""

NO_LIMIT = 2**62


def real_micros() -> int:
    return int(time.time() * 1_000_000)


def take(
    conn: sqlite3.Connection, entity: str, owner: str, id: str, action: str, version: int
) -> int | None:
    """The commit number of this write, removing it from the log (None if it was never logged)."""
    row = conn.execute(
        "SELECT seq FROM event_changes WHERE entity = ? AND owner = ? AND id = ? AND action = ? "
        "AND version = ? ORDER BY seq LIMIT 1",
        (entity, owner, id, action, version),
    ).fetchone()
    if row is None:
        return None
    conn.execute("DELETE FROM event_changes WHERE seq = ?", (row["seq"],))
    return int(row["seq"])


def latest(conn: sqlite3.Connection) -> int:
    """The newest commit number handed out so far."""
    row = conn.execute(
        "SELECT seq FROM temp.sqlite_sequence WHERE name = 'event_changes'"
    ).fetchone()
    return 0 if row is None else int(row["seq"])


def watermark(conn: sqlite3.Connection) -> int:
    """Events numbered below this may be handed out: every earlier write has been announced."""
    cutoff = real_micros() - int(STALE_SECONDS * 1_000_000)
    row = conn.execute(
        "SELECT MIN(seq) AS seq FROM event_changes WHERE at > ?", (cutoff,)
    ).fetchone()
    return NO_LIMIT if row is None or row["seq"] is None else int(row["seq"])


def forget_stale(conn: sqlite3.Connection) -> None:
    cutoff = real_micros() - int(STALE_SECONDS * 1_000_000)
    conn.execute("DELETE FROM event_changes WHERE at <= ?", (cutoff,))
