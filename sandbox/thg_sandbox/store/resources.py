"""Rows of the `resources` table as `Resource` values, and the queries over them.

Every method takes the connection of a transaction (or read) the caller already holds, so one
service call can read and write atomically.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_COLUMNS = (
    "product, entity, owner, id, parent_id, parents, attributes, creator, version, "
    "created_at, updated_at"
)


@dataclass(frozen=True)
class Resource:
    product: str
    entity: str  # type string
    owner: str
    id: str
    parent_id: str  # '' at the top level
    parents: dict[str, str]  # every ancestor's type string -> id
    attributes: dict[str, Any]
    creator: str
    version: int
    created_at: str
    updated_at: str
    # Each status child's state by status name (`meta.status`), read with the resource when its
    # entity has statuses; None when it has none (then `meta.status` is left out).
    statuses: dict[str, str] | None = None


def with_statuses(res: Resource, statuses: dict[str, str]) -> Resource:
    """`res` with its `statuses` (spelt out: `dataclasses.replace` costs 9 µs a resource)."""
    return Resource(
        res.product,
        res.entity,
        res.owner,
        res.id,
        res.parent_id,
        res.parents,
        res.attributes,
        res.creator,
        res.version,
        res.created_at,
        res.updated_at,
        statuses,
    )


def _row(row: sqlite3.Row) -> Resource:
    return Resource(
        product=row["product"],
        entity=row["entity"],
        owner=row["owner"],
        id=row["id"],
        parent_id=row["parent_id"],
        parents=json.loads(row["parents"]),
        attributes=json.loads(row["attributes"]),
        creator=row["creator"],
        version=int(row["version"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


class ResourceStore:
    def get(self, conn: sqlite3.Connection, entity: str, owner: str, id: str) -> Resource | None:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM resources WHERE entity = ? AND owner = ? AND id = ?",
            (entity, owner, id),
        ).fetchone()
        return None if row is None else _row(row)

    def status_of(
        self, conn: sqlite3.Connection, entity: str, owner: str, parent_id: str
    ) -> Resource | None:
        """The one status of `entity` type under its parent, if set."""
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM resources WHERE entity = ? AND owner = ? AND parent_id = ?",
            (entity, owner, parent_id),
        ).fetchone()
        return None if row is None else _row(row)

    def states_of(
        self,
        conn: sqlite3.Connection,
        owner: str,
        status_types: Sequence[str],
        parent_ids: Sequence[str],
    ) -> dict[tuple[str, str], str]:
        """(parent id, status type) -> the state of every status of these types set under these
        parents: one indexed query for a whole page (`resources_listing` leads with entity,
        owner, parent_id). A status whose `state` is not a string is left out."""
        if not status_types or not parent_ids:
            return {}
        types = ", ".join("?" for _ in status_types)
        parents = ", ".join("?" for _ in parent_ids)
        rows = conn.execute(
            "SELECT parent_id, entity, json_extract(attributes, '$.state') AS state "
            f"FROM resources WHERE entity IN ({types}) AND owner = ? AND parent_id IN ({parents})",
            (*status_types, owner, *parent_ids),
        ).fetchall()
        return {
            (row["parent_id"], row["entity"]): row["state"]
            for row in rows
            if isinstance(row["state"], str)
        }

    def insert(self, conn: sqlite3.Connection, res: Resource) -> None:
        conn.execute(
            f"INSERT INTO resources ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                res.product,
                res.entity,
                res.owner,
                res.id,
                res.parent_id,
                _dump(res.parents),
                _dump(res.attributes),
                res.creator,
                res.version,
                res.created_at,
                res.updated_at,
            ),
        )

    def update(self, conn: sqlite3.Connection, res: Resource) -> None:
        conn.execute(
            "UPDATE resources SET attributes = ?, creator = ?, version = ?, updated_at = ? "
            "WHERE entity = ? AND owner = ? AND id = ?",
            (
                _dump(res.attributes),
                res.creator,
                res.version,
                res.updated_at,
                res.entity,
                res.owner,
                res.id,
            ),
        )

    def descendants(self, conn: sqlite3.Connection, res: Resource) -> list[Resource]:
        """Every resource below `res`, deepest first (the order they are deleted in)."""
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM resources WHERE owner = ? AND product = ? "
            "AND json_extract(parents, ?) = ?",
            (res.owner, res.product, _json_key_path(res.entity), res.id),
        ).fetchall()
        found = [_row(r) for r in rows]
        found.sort(key=lambda r: (-len(r.parents), r.created_at, r.id))
        return found

    def children_on(
        self, conn: sqlite3.Connection, entity: str, owner: str, parent: Resource
    ) -> list[Resource]:
        """The `entity` resources on `owner`'s path below `parent`, which lives on another
        organisation's path (a provider's dispatches of a consumer's request)."""
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM resources WHERE entity = ? AND owner = ? "
            "AND json_extract(parents, ?) = ?",
            (entity, owner, _json_key_path(parent.entity), parent.id),
        ).fetchall()
        return [_row(r) for r in rows]

    def delete(self, conn: sqlite3.Connection, resources: Sequence[Resource]) -> None:
        conn.executemany(
            "DELETE FROM resources WHERE entity = ? AND owner = ? AND id = ?",
            [(r.entity, r.owner, r.id) for r in resources],
        )

    def page(
        self,
        conn: sqlite3.Connection,
        *,
        entity: str,
        owner: str,
        parent_id: str,
        where: str,
        params: Sequence[Any],
        limit: int,
        offset: int,
    ) -> list[Resource]:
        """One page in the documented order (createdAt, then id); `where` is trusted SQL."""
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM resources WHERE entity = ? AND owner = ? AND parent_id = ? "
            f"AND ({where}) ORDER BY created_at, id LIMIT ? OFFSET ?",
            (entity, owner, parent_id, *params, limit, offset),
        ).fetchall()
        return [_row(r) for r in rows]


def _json_key_path(key: str) -> str:
    """A JSON path naming one object member, quoted since type strings hold ':' and '-'."""
    return '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
