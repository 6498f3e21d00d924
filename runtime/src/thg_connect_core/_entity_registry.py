"""Which model an entity type's attributes read as: a registry the generated package fills.

The runtime does not know the products; the generated package does. Its ``_registry`` module
calls ``register_entity_models(lookup)`` when it is imported (the client imports it), with a
``lookup(entity_type)`` that imports the model's module only when first asked, so registering
costs nothing and product subpackages stay lazy. This module imports no pydantic, so that the
client's import does not either; ``_event_entities`` decodes an event's entity with what it finds.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, List, Optional

__all__ = ["register_entity_models"]

logger = logging.getLogger("thg_connect")

ModelLookup = Callable[[str], Optional[Any]]
"""``lookup(entity_type)``: the attributes type of that entity type (a model class, or a status's
union of state models), or None when unknown."""

_LOOKUPS: List[ModelLookup] = []


def register_entity_models(lookup: ModelLookup) -> None:
    """Let events decode the entity types ``lookup`` knows into their models (idempotent)."""
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


def model_of(entity_type: str) -> Optional[Any]:
    """The registered attributes model of ``entity_type`` (None when no package knows it)."""
    if not entity_type:
        return None
    for lookup in _LOOKUPS:
        try:
            found = lookup(entity_type)
        except Exception:  # a broken lookup must not fail an event: fall back to the mapping
            logger.exception("entity model lookup failed for %s", entity_type)
            continue
        if found is not None:
            return found
    return None
