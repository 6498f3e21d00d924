"""The generic entity operations: what every product's POST, GET, PUT and DELETE do.

No HTTP here: callers hand over a `Target` (where the request points) and the request's `data`
member; the HTTP layer and the behaviours (which act as an organisation through this same
path) both come through these methods, so every write is checked, stored and announced alike.
Methods are synchronous and take the database lock; the HTTP layer calls them in a thread.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from thg_connect_core import InvalidReferenceError, Reference
from thg_spec import Entity, Product

from . import access
from .access import Caller
from .clock import Clock, meta_timestamp
from .config import SandboxConfig
from .errors import ApiError, ErrorObject, conflict, field_error, not_found, unprocessable
from .filters import compile_filter
from .hooks import AttributeRule, AttributesValidator, RuleContext, TransactionHook, WriteHook
from .store import Database, Resource, ResourceStore
from .store.resources import with_statuses
from .validation import SchemaSet, check_attributes
from .validation.documents import pointer_of
from .validation.shape import ReferenceField

log = logging.getLogger("thg_sandbox")

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
MAX_ID_LENGTH = 200


def declared_values(product: Product, entity: Entity) -> list[str]:
    """What a status's GET …/_values answers: an annotated status's states (the `oneOf` mapping,
    CONVENTIONS §3); a published status's, those the front-end found (its `states` hint, else
    an `enum` on its `_values` items, else their first example), [] when none (§16)."""
    if entity.states:
        return [state.value for state in entity.states]
    return list(entity.known_states)


def _open_state(product: Product, entity: Entity, raw: Any) -> tuple[Any, Any, list[ErrorObject]]:
    """A published status's `state` (CONVENTIONS §16: its states are listed by `GET …/_values`,
    not declared in its schema): taken out of `raw` before the schema check, one of the declared
    values when there are any. Returns (the rest, the state or None, errors)."""
    if entity.kind != "status" or entity.values_path is None or entity.states:
        return raw, None, []
    if not isinstance(raw, dict) or "state" not in raw:
        return raw, None, []
    rest = {k: v for k, v in raw.items() if k != "state"}
    state, allowed = raw["state"], declared_values(product, entity)
    if not isinstance(state, str) or (allowed and state not in allowed):
        wanted = f"one of {', '.join(allowed)}" if allowed else "a string"
        return rest, None, [field_error("/data/attributes/state", f"state must be {wanted}")]
    return rest, state, []


@dataclass(frozen=True)
class Target:
    """Where a request points: an entity type under an owner, below these ancestor ids."""

    product: Product
    entity: Entity
    owner: str
    ancestors: tuple[str, ...]  # ids from the path, top-level first
    id: str | None = None  # the item id on item and lookup paths


@dataclass
class _Pending:
    """Writes committed by one call, announced to the hooks once the lock is released."""

    events: list[tuple[Entity, str, Resource]] = field(default_factory=list)


class Service:
    def __init__(
        self, db: Database, products: Iterable[Product], config: SandboxConfig, clock: Clock
    ) -> None:
        self.db = db
        self.config = config
        self.clock = clock
        self.products = {p.name: p for p in products}
        self.schemas = {name: SchemaSet(p.document) for name, p in self.products.items()}
        self.store = ResourceStore()
        self.hooks: list[WriteHook] = []
        self.transaction_hooks: list[TransactionHook] = []  # inside each write's transaction
        self.rules: dict[str, list[AttributeRule]] = {}
        self.validators: dict[str, AttributesValidator] = {}

    # -- registration -----------------------------------------------------------------------

    def add_rule(self, type_string: str, rule: AttributeRule) -> None:
        self.rules.setdefault(type_string, []).append(rule)

    def entity_by_type(self, type_string: str) -> tuple[Product, Entity] | None:
        product_name, _, path = type_string.partition(":")
        product = self.products.get(product_name)
        if product is None:
            return None
        entity = next((e for e in product.entities if e.type_string == type_string), None)
        return None if entity is None else (product, entity)

    # -- reads ------------------------------------------------------------------------------

    def list_page(
        self, caller: Caller, target: Target, *, number: int, size: int, filter_text: str | None
    ) -> tuple[list[Resource], bool]:
        """One page, and whether another may follow."""
        access.check(
            self.config, caller, target.product.name, target.owner, target.entity, write=False
        )
        sql = compile_filter(filter_text, self.schemas[target.product.name], target.entity.schema)
        with self.db.reading() as conn:
            parent_id = self._parent_id(conn, target)
            rows = self.store.page(
                conn,
                entity=target.entity.type_string,
                owner=target.owner,
                parent_id=parent_id,
                where=sql.where,
                params=sql.params,
                limit=size + 1,
                offset=(number - 1) * size,
            )
            page = self.with_statuses(conn, target.product, target.entity, rows[:size])
        return page, len(rows) > size

    def get(self, caller: Caller, target: Target) -> Resource:
        access.check(
            self.config, caller, target.product.name, target.owner, target.entity, write=False
        )
        with self.db.reading() as conn:
            found = self._existing(conn, target)
            return self.with_statuses(conn, target.product, target.entity, [found])[0]

    def check_read(self, caller: Caller, target: Target) -> None:
        """That `caller` may read `target`'s path (403/404 otherwise), its parents existing."""
        access.check(
            self.config, caller, target.product.name, target.owner, target.entity, write=False
        )
        with self.db.reading() as conn:
            self._parent_id(conn, target)

    def lookup(self, caller: Caller, target: Target) -> Resource:
        """By the entity's own id alone (the lookup path a reference string names)."""
        access.check(
            self.config, caller, target.product.name, target.owner, target.entity, write=False
        )
        with self.db.reading() as conn:
            found = self.store.get(conn, target.entity.type_string, target.owner, target.id or "")
            if found is None:
                raise not_found()
            return self.with_statuses(conn, target.product, target.entity, [found])[0]

    # -- writes -----------------------------------------------------------------------------

    def create(self, caller: Caller, target: Target, data: dict[str, Any]) -> Resource:
        entity = target.entity
        access.check(self.config, caller, target.product.name, target.owner, entity, write=True)
        pending = _Pending()
        with self.db.transaction() as conn:
            parent_id = self._parent_id(conn, target)
            if entity.kind == "status":
                if self.store.status_of(conn, entity.type_string, target.owner, parent_id):
                    raise conflict(f"The {entity.name[-1]} is already set; PUT to change it.")
                new_id = str(uuid.uuid4())
            elif entity.id_source == "client":
                new_id = self._client_id(data)
                if self.store.get(conn, entity.type_string, target.owner, new_id):
                    raise conflict(f"The id {new_id!r} is already taken.")
            else:
                new_id = str(uuid.uuid4())
            attributes = self._checked(conn, caller, target, None, data)
            now = meta_timestamp(self.clock.now())
            created = Resource(
                product=target.product.name,
                entity=entity.type_string,
                owner=target.owner,
                id=new_id,
                parent_id=parent_id,
                parents=self._parents(target),
                attributes=attributes,
                creator=caller.organisation,
                version=1,
                created_at=now,
                updated_at=now,
            )
            self.store.insert(conn, created)
            pending.events.append((entity, "CREATED", created))
            self._in_transaction(conn, pending, caller)
            created = self.with_statuses(conn, target.product, entity, [created])[0]
        self._announce(pending, caller)
        return created

    def replace(self, caller: Caller, target: Target, data: dict[str, Any]) -> Resource:
        entity = target.entity
        access.check(self.config, caller, target.product.name, target.owner, entity, write=True)
        pending = _Pending()
        with self.db.transaction() as conn:
            current = self._existing(conn, target)
            sent_id = data.get("id")
            if sent_id is not None and sent_id != current.id:
                raise unprocessable(
                    [field_error("/data/id", f"data.id {sent_id!r} is not the id in the path.")]
                )
            attributes = self._checked(conn, caller, target, current.id, data)
            updated = replace(
                current,
                attributes=attributes,
                version=current.version + 1,
                updated_at=meta_timestamp(self.clock.now()),
            )
            self.store.update(conn, updated)
            pending.events.append((entity, "UPDATED", updated))
            self._in_transaction(conn, pending, caller)
            updated = self.with_statuses(conn, target.product, entity, [updated])[0]
        self._announce(pending, caller)
        return updated

    def delete(self, caller: Caller, target: Target) -> None:
        access.check(
            self.config, caller, target.product.name, target.owner, target.entity, write=True
        )
        pending = _Pending()
        with self.db.transaction() as conn:
            current = self._existing(conn, target)
            doomed = [
                *self._elsewhere_below(conn, target, current),
                *self.store.descendants(conn, current),
                current,
            ]
            self.store.delete(conn, doomed)
            for res in doomed:
                found = self.entity_by_type(res.entity)
                if found is not None:
                    pending.events.append((found[1], "DELETED", res))
            self._in_transaction(conn, pending, caller)
        self._announce(pending, caller)

    # -- helpers ----------------------------------------------------------------------------

    def with_statuses(
        self, conn: sqlite3.Connection, product: Product, entity: Entity, resources: list[Resource]
    ) -> list[Resource]:
        """`resources` (of `entity`, one owner's) with each status child's current state, read
        now, so `meta.status` is never stale (CONVENTIONS §6, S7b): one query per call."""
        statuses = [
            product.entity(name)
            for name in entity.children
            if product.entity(name).kind == "status"
        ]
        if not statuses:
            return resources
        if not resources:
            return resources
        found = self.store.states_of(
            conn, resources[0].owner, [s.type_string for s in statuses], [r.id for r in resources]
        )
        names = [(s.name[-1], s.type_string) for s in statuses]
        return [
            with_statuses(
                res,
                {name: found[(res.id, kind)] for name, kind in names if (res.id, kind) in found},
            )
            for res in resources
        ]

    def _parents(self, target: Target) -> dict[str, str]:
        name = target.entity.name
        return {
            target.product.entity(name[: i + 1]).type_string: ancestor
            for i, ancestor in enumerate(target.ancestors)
        }

    def _partners_as(self, product: str, role: str, toward: str) -> list[str]:
        """The organisations that play `role` towards `toward` in `product`."""
        return [
            o for o in self.config.organisations if role in self.config.roles(product, o, toward)
        ]

    def _parent_on_paths(
        self, conn: sqlite3.Connection, target: Target, parent: Entity
    ) -> Resource | None:
        """The parent a path names. A child owned by the other side of its parent's partnership
        (CONVENTIONS §3: a provider's dispatch of its consumer's request) lives on its own
        owner's path under the id of a parent on a partner's path."""
        parent_id = target.ancestors[-1]
        if parent.owner_role == target.entity.owner_role:
            return self.store.get(conn, parent.type_string, target.owner, parent_id)
        for partner in self._partners_as(target.product.name, parent.owner_role, target.owner):
            found = self.store.get(conn, parent.type_string, partner, parent_id)
            if found is not None:
                return found
        return None

    def _elsewhere_below(
        self, conn: sqlite3.Connection, target: Target, doomed: Resource
    ) -> list[Resource]:
        """What lives on partners' paths below a resource being deleted (deepest first)."""
        found: list[Resource] = []
        for child in target.product.entities:
            if child.parent != target.entity.name or child.owner_role == target.entity.owner_role:
                continue
            for partner in self._partners_as(target.product.name, child.owner_role, doomed.owner):
                for res in self.store.children_on(conn, child.type_string, partner, doomed):
                    found.extend([*self.store.descendants(conn, res), res])
        return found

    def _parent_id(self, conn: sqlite3.Connection, target: Target) -> str:
        """The immediate parent's id after checking the whole chain exists (404 otherwise)."""
        if not target.ancestors:
            return ""
        parent_name = target.entity.name[:-1]
        parent = target.product.entity(parent_name)
        found = self._parent_on_paths(conn, target, parent)
        expected = replace(target, entity=parent, ancestors=target.ancestors[:-1])
        if found is None or found.parents != self._parents(expected):
            raise not_found()
        return found.id

    def _existing(self, conn: sqlite3.Connection, target: Target) -> Resource:
        entity = target.entity
        parent_id = self._parent_id(conn, target)
        if entity.kind == "status":
            found = self.store.status_of(conn, entity.type_string, target.owner, parent_id)
            if found is None:
                raise not_found(f"The {entity.name[-1]} is not set.")
            return found
        found = self.store.get(conn, entity.type_string, target.owner, target.id or "")
        if found is None or found.parent_id != parent_id:
            raise not_found()
        return found

    def _client_id(self, data: dict[str, Any]) -> str:
        new_id = data.get("id")
        if not isinstance(new_id, str) or not new_id:
            raise unprocessable([field_error("/data/id", "id is required: you choose this id")])
        if len(new_id) > MAX_ID_LENGTH or not ID_PATTERN.fullmatch(new_id):
            raise unprocessable(
                [field_error("/data/id", "id must match [A-Za-z0-9][A-Za-z0-9._~-]* (200 at most)")]
            )
        return new_id

    def _checked(
        self,
        conn: sqlite3.Connection,
        caller: Caller,
        target: Target,
        resource_id: str | None,
        data: dict[str, Any],
    ) -> dict[str, Any]:
        """The attributes to store, or a 422 listing every failing field."""
        raw, state, state_errors = _open_state(
            target.product, target.entity, data.get("attributes", {})
        )
        ctx = RuleContext(
            conn=conn,
            product=target.product,
            entity=target.entity,
            owner=target.owner,
            actor=caller.organisation,
            resource_id=resource_id,
            attributes=raw,
        )
        validator = self.validators.get(target.entity.type_string)
        if validator is None:
            schemas = self.schemas[target.product.name]
            result = check_attributes(schemas, target.entity.schema, raw)
        else:
            result = validator(ctx)
        errors = [*state_errors, *result.errors]
        if state is not None:
            result = replace(result, attributes={**result.attributes, "state": state})
        if not errors:
            errors.extend(self._missing_references(conn, caller, target, result.references))
        if not errors:
            ctx = replace(ctx, attributes=result.attributes)
            for rule in self.rules.get(target.entity.type_string, []):
                errors.extend(rule(ctx))
        if errors:
            raise ApiError(422, errors)
        return result.attributes

    def _missing_references(
        self,
        conn: sqlite3.Connection,
        caller: Caller,
        target: Target,
        references: list[ReferenceField],
    ) -> list[ErrorObject]:
        """A 422 for each reference to nothing, or to an entity of an organisation that is
        neither the caller nor its partner in this product: one answer for both, so a reference
        cannot probe another organisation's ids (the look-up runs either way)."""
        errors: list[ErrorObject] = []
        for ref in references:
            where = pointer_of(ref.path)
            try:
                parsed = Reference.parse(ref.value)
            except InvalidReferenceError:
                continue  # the schema's format check has reported it already
            if parsed.entity_type not in ref.targets:
                wanted = " or ".join(ref.targets)
                errors.append(field_error(where, f"{ref.path[-1]} must reference a {wanted}"))
                continue
            found = self.store.get(conn, parsed.entity_type, parsed.owner, parsed.id)
            shared = access.may_reference(
                self.config, caller.organisation, target.product.name, parsed.owner
            )
            if found is None or not shared:
                errors.append(
                    field_error(
                        where,
                        f"{ref.path[-1]} names {ref.value}, which does not exist or is not "
                        f"{caller.organisation}'s or a partner's in {target.product.name}",
                    )
                )
        return errors

    def _in_transaction(self, conn: sqlite3.Connection, pending: _Pending, caller: Caller) -> None:
        """What commits with the write or not at all (its events): a failure here rolls the
        write back, so a crash can never leave a committed write without its events."""
        for entity, action, resource in pending.events:
            for hook in self.transaction_hooks:
                hook(conn, entity, action, resource, caller.organisation)

    def _announce(self, pending: _Pending, caller: Caller) -> None:
        for entity, action, resource in pending.events:
            for hook in list(self.hooks):
                try:
                    hook(entity, action, resource, caller.organisation)
                except Exception:  # a failing listener must not undo or fail a committed write
                    log.exception("write hook %r failed for %s %s", hook, action, resource.entity)
