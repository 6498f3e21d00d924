"""The generations of the platform's event shapes, each read into the same flat fields.

* ``DataChangedEvent`` — generation (b) of the recovered pages, what specs/events.yaml and the
  sandbox serve (CONVENTIONS §11): ``{id: <receipt handle>, type: "DataChangedEvent",
  attributes: <the changed entity as a resource object>, meta: {receiptHandle, subscriptionId,
  method}}``. The handle is new on every delivery.
* ``Data_Changed_Event`` — generation (a): ``{eventType, eventTypeVersion, metadata: {method,
  owner, resourceUrl, entityId, parentEntityId, entityType, entityTypeVersion, product,
  createdAt, consumer, provider, reference}, data}``.
* ``events:event`` — the shape this project invented before issue 15 (older sandboxes): ``{id,
  type: "events:event", attributes: {action, entityType, product, owner, actor, entityId,
  reference, path, parent, version, state?, occurredAt}, meta: {subscriptionId, receiveCount,
  hiddenUntil}}``; still read, leniently.

Only plain dictionary reads happen here, once per event; parsing (timestamps, references) is
left to the event's lazy properties, so a handler that never looks at them never pays for them.
"""

from __future__ import annotations

from collections.abc import Mapping as _AbcMapping
from typing import Any, Dict, List, Mapping, NamedTuple, Optional

__all__: List[str] = []  # internal to event decoding; nothing here is public API

SANDBOX = "events:event"  # the shape served before issue 15 (older sandboxes)
RESOURCE = "DataChangedEvent"
LEGACY = "Data_Changed_Event"
SHAPES = (SANDBOX, RESOURCE, LEGACY)

_ACTIONS = {"create": "CREATED", "update": "UPDATED", "delete": "DELETED"}
_EMPTY: Mapping[str, Any] = {}


class Fields(NamedTuple):
    """What every shape is read into; '' where a shape does not carry a value."""

    shape: str
    id: str
    action: str
    entity_type: str
    product: str
    owner: str
    actor: str
    entity_id: str
    path: str
    parent: Dict[str, str]
    parent_id: str
    version: Optional[str]
    state: Optional[Any]  # a str, or a generation (b) status map read lazily
    receive_count: int
    subscription_id: str
    reference: str
    occurred_at: Any  # the raw timestamp; its form depends on the shape
    hidden_until: Any
    entity: Optional[Mapping[str, Any]]
    key: str  # the same for every delivery of one change (CONVENTIONS §11): what to dedupe on


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def is_map(value: Any) -> bool:
    """A JSON object: a dict almost always (checked first: ``isinstance`` against the typing
    alias costs more than the rest of reading an event), any other Mapping too."""
    return type(value) is dict or isinstance(value, _AbcMapping)


def _map(value: Any) -> Mapping[str, Any]:
    return value if is_map(value) else _EMPTY


def _action(value: Any) -> str:
    text = _str(value)
    return _ACTIONS.get(text.lower(), text.upper())


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1


def _sandbox(record: Mapping[str, Any], event_id: str) -> Fields:
    a, meta = _map(record.get("attributes")), _map(record.get("meta"))
    parent = a.get("parent")
    parents = {str(k): _str(v) for k, v in _map(parent).items()}
    version, state = a.get("version"), a.get("state")
    return Fields(
        SANDBOX,
        event_id,
        _action(a.get("action")),
        _str(a.get("entityType")),
        _str(a.get("product")),
        _str(a.get("owner")),
        _str(a.get("actor")),
        _str(a.get("entityId")),
        _str(a.get("path")),
        parents,
        next(reversed(parents.values()), "") if parents else "",
        None if version is None else _str(version),
        None if state is None else _str(state),
        _count(meta.get("receiveCount")),
        _str(meta.get("subscriptionId")),
        _str(a.get("reference")),
        a.get("occurredAt"),
        meta.get("hiddenUntil"),
        None,
        event_id,
    )


def _resource(record: Mapping[str, Any], event_id: str) -> Fields:
    entity, meta = _map(record.get("attributes")), _map(record.get("meta"))
    entity_meta = _map(entity.get("meta"))
    entity_type = _str(entity.get("type"))
    product = _str(entity_meta.get("product")) or entity_type.partition(":")[0]
    version = entity.get("version")
    parent = entity_meta.get("parent")
    parents = {str(k): _str(v) for k, v in _map(parent).items()}
    state = entity_meta.get("status")
    if state is None:  # a status entity carries its state in its attributes
        state = _map(entity.get("attributes")).get("state")
    action, entity_id = _action(meta.get("method")), _str(entity.get("id"))
    updated = entity_meta.get("updatedAt") or entity_meta.get("createdAt")
    version_text = None if version is None else _str(version)
    # The handle changes per delivery; the change itself is the entity at a version and time.
    key = (
        "\x1f".join(
            (
                entity_type,
                _str(entity_meta.get("owner")),
                entity_id,
                version_text or "",
                _str(updated),
                action,
            )
        )
        if entity_id
        else event_id
    )
    return Fields(
        RESOURCE,
        event_id,
        action,
        entity_type,
        product,
        _str(entity_meta.get("owner")),
        _str(meta.get("actor")),
        entity_id,
        "",
        parents,
        next(reversed(parents.values()), "") if parents else "",
        version_text,
        state if isinstance(state, str) or is_map(state) else None,
        1,
        _str(meta.get("subscriptionId")),
        _str(entity_meta.get("reference")),
        updated,
        None,
        entity,
        key,
    )


def _legacy(record: Mapping[str, Any], event_id: str) -> Fields:
    m = _map(record.get("metadata"))
    product, kind = _str(m.get("product")), _str(m.get("entityType"))
    entity_type = f"{product}:{kind}" if product and kind and ":" not in kind else kind
    action = _action(m.get("method"))
    data = record.get("data")
    return Fields(
        LEGACY,
        event_id,
        action,
        entity_type,
        product,
        _str(m.get("owner")),
        "",
        _str(m.get("entityId")),
        _str(m.get("resourceUrl")),
        {},
        _str(m.get("parentEntityId")),
        None,
        None,
        1,
        _str(m.get("subscriptionId")),
        _str(m.get("reference")),
        # createdAt is the entity's creation, so it is the change's time only for a create.
        m.get("createdAt") if action == "CREATED" else None,
        None,
        data if is_map(data) else None,
        event_id,
    )


def _legacy_id(record: Mapping[str, Any]) -> str:
    """Generation (a) shows no id beside the event; take whichever handle came with it."""
    metadata = _map(record.get("metadata"))
    for source in (record, metadata):
        for key in ("id", "receiptHandle", "eventId"):
            value = source.get(key)
            if isinstance(value, str) and value:
                return value
    return ""


def _resource_id(record: Mapping[str, Any]) -> Any:
    """The receipt handle: the resource's id, or ``meta.receiptHandle`` when the id is missing."""
    found = record.get("id")
    if isinstance(found, str) and found:
        return found
    return _map(record.get("meta")).get("receiptHandle")


def read_fields(record: Mapping[str, Any]) -> Optional[Fields]:
    """The fields of one delivered event in any known shape; None when it is in none of them
    or carries no id (an event without one can never be confirmed)."""
    kind = record.get("type")
    found: Any
    if kind == RESOURCE:
        reader, found = _resource, _resource_id(record)
    elif kind == SANDBOX or (kind is None and "attributes" in record and "id" in record):
        reader, found = _sandbox, record.get("id")
    elif "metadata" in record or record.get("eventType") == LEGACY:
        event_id = _legacy_id(record)
        return _legacy(record, event_id) if event_id else None
    elif is_map(record.get("attributes")) and "action" in record["attributes"]:
        reader, found = _sandbox, record.get("id")  # another type name, same members: lenient
    else:
        return None
    if not isinstance(found, str) or not found:
        return None
    return reader(record, found)
