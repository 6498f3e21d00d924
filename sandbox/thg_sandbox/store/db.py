"""The SQLite connection, its schema, and the per-database signing key.

One connection shared by every thread, serialised by one re-entrant lock: SQLite allows one
writer anyway, and the sandbox's load is a test suite's, so a pool would only add ways to
deadlock. WAL on disk so a crash mid-write never corrupts what the last commit stored.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timezone
from pathlib import Path

from thg_connect_core import parse_utc_datetime

from ..config import ALL_PRODUCTS, SandboxConfig

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    product TEXT NOT NULL,
    entity TEXT NOT NULL,          -- the entity type string, e.g. thg-fulfil:inventory
    owner TEXT NOT NULL,
    id TEXT NOT NULL,
    parent_id TEXT NOT NULL,       -- the immediate parent's id; '' at the top level
    parents TEXT NOT NULL,         -- JSON map: every ancestor's type string -> its id
    attributes TEXT NOT NULL,      -- JSON object
    creator TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,      -- meta form: UTC, no zone, microseconds (sorts as time)
    updated_at TEXT NOT NULL,
    UNIQUE (entity, owner, id)
);
CREATE INDEX IF NOT EXISTS resources_listing
    ON resources (entity, owner, parent_id, created_at, id);
CREATE TABLE IF NOT EXISTS organisations (slug TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS clients (
    client_id TEXT PRIMARY KEY,
    organisation TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL    -- never the secret itself
);
CREATE TABLE IF NOT EXISTS partnerships (
    product TEXT NOT NULL,
    consumer TEXT NOT NULL,
    provider TEXT NOT NULL,
    PRIMARY KEY (product, consumer, provider)
);
CREATE TABLE IF NOT EXISTS keys (name TEXT PRIMARY KEY, value BLOB NOT NULL);
"""


def instant_micros(text: object) -> int | None:
    """SQL function `thg_instant`: any ISO 8601 text as integer microseconds since the epoch (UTC).

    Integers, not floats, so equality at second precision is exact; NULL for anything that is not
    a date-time, so a malformed stored value never matches instead of raising mid-query.
    """
    if not isinstance(text, str):
        return None
    try:
        moment = parse_utc_datetime(text)
    except (ValueError, TypeError):
        return None
    delta = moment.astimezone(timezone.utc) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_EPOCH = parse_utc_datetime("1970-01-01T00:00:00+00:00")


class Database:
    def __init__(self, path: Path | None) -> None:
        """`path=None`: in memory, gone when closed."""
        self.path = path
        self.lock = threading.RLock()
        self._closed = False
        target = ":memory:" if path is None else str(path)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves so a transaction spans exactly
        # one `with db.transaction()` block.
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.create_function("thg_instant", 1, instant_micros, deterministic=True)
        with self.lock:
            if path is not None:
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            yield self._conn

    def close(self) -> None:
        with self.lock:
            self._closed = True
            self._conn.close()

    @property
    def closed(self) -> bool:
        """Whether `close` was called: work still running for this database then stops."""
        return self._closed

    def signing_key(self) -> bytes:
        """This database's token key: random on first use, then kept, so tokens outlive restarts."""
        with self.transaction() as conn:
            row = conn.execute("SELECT value FROM keys WHERE name = 'jwt'").fetchone()
            if row is not None:
                return bytes(row["value"])
            key = secrets.token_bytes(32)
            conn.execute("INSERT INTO keys (name, value) VALUES ('jwt', ?)", (key,))
            return key

    def store_directory(self, config: SandboxConfig) -> None:
        """Record who exists, as configured now (the config file stays the source of truth)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM organisations")
            conn.execute("DELETE FROM clients")
            conn.execute("DELETE FROM partnerships")
            conn.executemany(
                "INSERT INTO organisations (slug) VALUES (?)", [(o,) for o in config.organisations]
            )
            conn.executemany(
                "INSERT INTO clients (client_id, organisation, secret_sha256) VALUES (?, ?, ?)",
                [
                    (
                        c.client_id,
                        c.organisation,
                        hashlib.sha256(c.client_secret.encode()).hexdigest(),
                    )
                    for c in config.clients
                ],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO partnerships (product, consumer, provider) VALUES (?, ?, ?)",
                [
                    (p.product if p.product else ALL_PRODUCTS, p.consumer, provider)
                    for p in config.partnerships
                    for provider in p.providers
                ],
            )
