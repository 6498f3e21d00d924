"""Seams for behaviour beyond plain storage.

* `TransactionHook`s run inside every POST, PUT and DELETE's own transaction (one call per
  resource, children of a cascade included), before it commits: what must commit with the write
  or not at all (its events) goes here. Raising rolls the write back.
* `WriteHook`s run after every committed POST, PUT and DELETE (one call per resource, children
  of a cascade included) with the action `CREATED`, `UPDATED` or `DELETED` and the acting
  organisation: events, webhooks and the sandbox organisation's reactions hang here.
* `AttributeRule`s run inside the write's transaction, after schema validation, and return
  field errors (a 422): uniqueness of business keys.
* An `AttributesValidator` replaces the schema validation of one entity type where the spec's
  schema cannot say everything (products checked against the product model they name).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, Protocol

from thg_spec import Entity, Product

from .errors import ErrorObject
from .store import Resource
from .validation import AttributesCheck


class TransactionHook(Protocol):
    def __call__(
        self, conn: sqlite3.Connection, entity: Entity, action: str, resource: Resource, actor: str
    ) -> None: ...


class WriteHook(Protocol):
    def __call__(self, entity: Entity, action: str, resource: Resource, actor: str) -> None: ...


@dataclass(frozen=True)
class RuleContext:
    conn: sqlite3.Connection  # the write's own transaction: read, never write
    product: Product
    entity: Entity
    owner: str
    actor: str
    resource_id: str | None  # the id being replaced; None on create
    attributes: dict[str, Any]


class AttributeRule(Protocol):
    def __call__(self, ctx: RuleContext) -> list[ErrorObject]: ...


class AttributesValidator(Protocol):
    """Replaces the generic schema check of one entity type (`ctx.attributes` is the raw
    request's); returns what to store and every field error."""

    def __call__(self, ctx: RuleContext) -> AttributesCheck: ...
