"""DataChangedEvents as one typed value, whatever generation of the platform's shapes sent them.

``Event`` is THE event model: what handlers receive from the consumers and from webhook
notifications, and what a generated subscription's ``poll()`` returns (the spec marks its event
schema ``x-thg-runtime-model: Event``, so no second model is generated). Decoding
is lenient (DESIGN: one odd record never fails a page): a record with an id always becomes an
``Event``, with '' or None where its shape carries nothing; only a record without an id (it could
never be confirmed) or that is not an object is refused. It is also cheap: a few dictionary reads
per event; the reference and the timestamps are parsed on first access and kept.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional, Tuple, Type, TypeVar, Union

from pydantic import BaseModel, GetCoreSchemaHandler, ValidationError
from pydantic_core import core_schema

from ._base_error import ThgConnectError
from ._event_entities import as_model, decode_entity
from ._event_fields import epoch_seconds, iso_datetime, lenient_reference, single_state
from ._event_shapes import LEGACY, Fields, is_map, read_fields
from ._lenient import lenient_value
from ._models import lenient_enums
from ._references import Reference

__all__ = [
    "Event",
    "EventDocument",
    "EventFormatError",
    "EventListDocument",
    "event_from_resource",
    "events_from_document",
]

EVENTS_PATH = "/api/events/v1/{owner}/subscription/{subscription}"
"""Where a subscription lives (CONVENTIONS §11); poll is ``/events``, confirm ``/confirm``."""

_UNSET: Any = object()
M = TypeVar("M", bound=BaseModel)


class EventFormatError(ThgConnectError, ValueError):
    """A delivered record is not an event in any known shape (or carries no id)."""


class Event:
    """One DataChangedEvent as delivered on a subscription; read-only.

    ``shape`` says which generation it came in: ``DataChangedEvent`` (the JSON:API resource form
    of specs/events.yaml), ``Data_Changed_Event`` (the older ``eventType``/``metadata`` form) or
    ``events:event`` (what this project's sandbox served before issue 15).

    ``id`` is the receipt handle of this delivery: confirm with it, never dedupe on it (it is
    new on every delivery). ``key`` is the same for every delivery of one change.
    """

    __slots__ = (
        "_f",
        "raw",
        "_reference",
        "_occurred_at",
        "_hidden_until",
        "_state",
    )

    _f: Fields
    _reference: Any
    _occurred_at: Any
    _hidden_until: Any
    _state: Any
    raw: Mapping[str, Any]
    """The record as received, unknown members included."""

    def __init__(self, fields: Fields, raw: Mapping[str, Any]) -> None:
        set_ = object.__setattr__
        set_(self, "_f", fields)
        set_(self, "raw", raw)
        set_(self, "_reference", _UNSET)
        set_(self, "_occurred_at", _UNSET)
        set_(self, "_hidden_until", _UNSET)
        set_(self, "_state", _UNSET)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Event is read-only: cannot set {name!r}")

    def __repr__(self) -> str:
        f = self._f
        return f"Event(id={f.id!r}, action={f.action!r}, entity_type={f.entity_type!r}, " + (
            f"entity_id={f.entity_id!r}, shape={f.shape!r})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Event) and self._f == other._f

    def __hash__(self) -> int:
        return hash((self._f.id, self._f.shape))

    # -- read at decoding (plain dictionary reads) ---------------------------------------------

    @property
    def id(self) -> str:
        """The receipt handle of this delivery: what a confirm names. Opaque, and new on every
        delivery of the same change (dedupe on ``key``, not on this)."""
        return self._f.id

    @property
    def receipt_handle(self) -> str:
        """The same as ``id``: the receipt handle of this delivery."""
        return self._f.id

    @property
    def key(self) -> str:
        """The same for every delivery of one change: the changed entity (type, owner, id) with
        its version, ``updatedAt`` and the operation, joined. What handlers and the consumer
        dedupe on. The shapes that carry no such facts (``Data_Changed_Event``, ``events:event``)
        fall back to the id."""
        return self._f.key

    @property
    def shape(self) -> str:
        return self._f.shape

    @property
    def action(self) -> str:
        """``CREATED``, ``UPDATED`` or ``DELETED`` (``create``/``update``/``delete`` read so)."""
        return self._f.action

    @property
    def entity_type(self) -> str:
        """The entity type string, e.g. ``thg-fulfil:inventory-item.approval``."""
        return self._f.entity_type

    @property
    def product(self) -> str:
        return self._f.product

    @property
    def owner(self) -> str:
        """The organisation in the entity's path."""
        return self._f.owner

    @property
    def actor(self) -> str:
        """The organisation whose call caused the change ('' when the shape does not say)."""
        return self._f.actor

    @property
    def entity_id(self) -> str:
        return self._f.entity_id

    @property
    def path(self) -> str:
        """The entity's URL path ('' when the shape has none: use ``reference.path``)."""
        return self._f.path

    @property
    def parent(self) -> Dict[str, str]:
        """Each ancestor's entity type string mapped to its id, where the shape lists them."""
        return self._f.parent

    @property
    def parent_id(self) -> str:
        """The immediate parent's id ('' for a top-level entity or when unknown)."""
        return self._f.parent_id

    @property
    def version(self) -> Optional[str]:
        return self._f.version

    @property
    def receive_count(self) -> int:
        """How many times the event has been delivered, when the shape counts (only the old
        ``events:event`` shape did); 1 otherwise."""
        return self._f.receive_count

    @property
    def subscription_id(self) -> str:
        return self._f.subscription_id

    @property
    def entity(self) -> Optional[Mapping[str, Any]]:
        """The changed entity as sent with the event: the resource object (resource form) or
        its attributes (``Data_Changed_Event``); None when only referenced (``events:event``)."""
        return self._f.entity

    @property
    def attributes(self) -> Optional[Mapping[str, Any]]:
        """The changed entity's attributes as received (None when the event carries none)."""
        entity = self._f.entity
        if entity is None:
            return None
        if self._f.shape == LEGACY:
            return entity
        found = entity.get("attributes")
        return found if isinstance(found, Mapping) else None

    @property
    def data(self) -> Any:
        """The changed entity's attributes as the generated model of ``entity_type`` (e.g.
        ``InventoryItem`` for ``thg-fulfil:inventory-item``) when the generated package knows
        that type; otherwise (or when they do not fit it) the raw mapping; None when the event
        carries no entity. For a typed result use ``entity_as(Model)``."""
        return decode_entity(self._f.entity_type, self.attributes)

    def entity_as(self, model: Type[M]) -> M:
        """The changed entity's attributes validated as ``model`` (a generated model class),
        typed as it: ``event.entity_as(InventoryItem).sku``. Raises ``EventFormatError`` when the
        event carries no entity. Attributes that do not fit (a broken constraint, a missing or
        odd member) are read leniently as any response is (``_lenient``): fields kept as sent."""
        attributes = self.attributes
        if attributes is None:
            raise EventFormatError(f"event {self._f.id}: carries no entity attributes")
        try:
            return as_model(model, attributes)
        except ValidationError:
            with lenient_enums():
                built: M = lenient_value(model, dict(attributes))
            return built

    @property
    def reference_text(self) -> str:
        """The reference string exactly as received (never parsed; '' when absent)."""
        return self._f.reference

    # -- parsed on first access --------------------------------------------------------------

    @property
    def state(self) -> Optional[str]:
        """Statuses only: the state after the change (the status entity's ``state``, or the one
        status of the entity's ``meta.status``)."""
        if self._state is _UNSET:
            raw = self._f.state
            object.__setattr__(
                self, "_state", raw if not isinstance(raw, Mapping) else (single_state(raw))
            )
        state: Optional[str] = self._state
        return state

    @property
    def reference(self) -> Reference:
        """The entity's reference; raises ``EventFormatError`` when the event carries none that
        can be read (the handler fails for this event only, and it is redelivered or parked)."""
        if self._reference is _UNSET:
            f = self._f
            found = lenient_reference(f.reference, f.product, f.owner, f.entity_id)
            if found is None and f.product and f.owner and f.entity_id and f.entity_type:
                try:
                    path = f.entity_type.partition(":")[2] or f.entity_type
                    found = Reference(f.product, path, f.owner, f.entity_id)
                except ValueError:
                    found = None
            object.__setattr__(self, "_reference", found)
        if self._reference is None:
            raise EventFormatError(f"event {self._f.id}: no readable reference")
        reference: Reference = self._reference
        return reference

    @property
    def occurred_at(self) -> Optional[datetime]:
        """When the change happened (UTC), where the shape says: ``occurredAt``, the entity's
        ``updatedAt`` in the resource form, ``createdAt`` of a create in the oldest form."""
        if self._occurred_at is _UNSET:
            raw = self._f.occurred_at
            parsed = epoch_seconds(raw) if self._f.shape == LEGACY else iso_datetime(raw)
            object.__setattr__(self, "_occurred_at", parsed)
        occurred: Optional[datetime] = self._occurred_at
        return occurred

    @property
    def hidden_until(self) -> Optional[datetime]:
        """The end of this delivery's visibility window, when the shape says (only the old
        ``events:event`` shape did; None otherwise)."""
        if self._hidden_until is _UNSET:
            object.__setattr__(self, "_hidden_until", iso_datetime(self._f.hidden_until))
        hidden: Optional[datetime] = self._hidden_until
        return hidden

    # -- as a pydantic field type (a generated model may hold events) ------------------------

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate_event,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda e: e.raw),
        )


def _validate_event(value: Any) -> Event:
    return value if isinstance(value, Event) else event_from_resource(value)


def event_from_resource(resource: Mapping[str, Any]) -> Event:
    """The typed event of one record of a poll response or webhook notification, in any known
    shape; ``EventFormatError`` when it is not an object, in no known shape, or has no id."""
    if not isinstance(resource, Mapping):
        raise EventFormatError("an event must be a JSON object")
    fields = read_fields(resource)
    if fields is None:
        raise EventFormatError("not an event in any known shape, or without an id")
    return Event(fields, resource)


def events_from_document(document: Any) -> Tuple[List[Event], List[Any]]:
    """The events of a poll response (``{"data": [...]}`` or a bare list), and the records that
    are not events; a malformed record never fails the others."""
    data = document.get("data") if is_map(document) else document
    if not isinstance(data, list):
        return [], ([] if data is None else [data])
    events: List[Event] = []
    odd: List[Any] = []
    for record in data:
        fields = read_fields(record) if is_map(record) else None
        if fields is None:
            odd.append(record)
        else:
            events.append(Event(fields, record))
    return events, odd


class EventListDocument:
    """A poll response decoded into ``Event``s (what a generated ``poll()`` decodes with):
    ``data`` holds the events; records in no known shape are logged and left out."""

    __slots__ = ("data",)

    def __init__(self, data: List[Event]) -> None:
        self.data = data

    @classmethod
    def __thg_from_json__(cls, content: Union[bytes, str]) -> EventListDocument:
        """Read by ``decode``: the poll response's JSON, into events."""
        return _event_list(json.loads(content))

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_event_list)


def _event_list(document: Any) -> EventListDocument:
    events, odd = events_from_document(document)
    if odd:
        logging.getLogger("thg_connect").warning(
            "%d polled record(s) are not events in any known shape (or have no id): skipped",
            len(odd),
        )
    return EventListDocument(events)


class EventDocument:
    """A document holding one event (a confirm's answer); ``data`` is None when its ``data`` is
    not an event in any known shape (lenient: the request has succeeded all the same)."""

    __slots__ = ("data",)

    def __init__(self, data: Optional[Event]) -> None:
        self.data = data

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_event_single)


def _event_single(document: Any) -> EventDocument:
    data = document.get("data") if isinstance(document, Mapping) else None
    if not isinstance(data, Mapping):
        return EventDocument(None)
    fields = read_fields(data)
    return EventDocument(None if fields is None else Event(fields, data))
