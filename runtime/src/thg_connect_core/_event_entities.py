"""The changed entity of an event as its generated model: a registry the generated package fills.

The runtime does not know the products; the generated package does. Its ``_registry`` module
calls ``register_entity_models(lookup)`` when it is imported (the client imports it), with a
``lookup(entity_type)`` that imports the model's module only when first asked, so registering
costs nothing and product subpackages stay lazy. ``Event.data`` asks the registry; an entity
type nobody registered stays the raw mapping.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Callable, List, Mapping, Optional, Type, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._models import lenient_enums

__all__ = ["register_entity_models"]

logger = logging.getLogger("thg_connect")

M = TypeVar("M", bound=BaseModel)
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


@functools.lru_cache(maxsize=256)
def _adapter(type_: Any) -> "TypeAdapter[Any]":
    return TypeAdapter(type_)


def as_model(model: Type[M], attributes: Mapping[str, Any]) -> M:
    """``attributes`` validated as ``model``, leniently as any response (unknown enum values
    accepted); pydantic's ``ValidationError`` when they do not fit at all."""
    with lenient_enums():
        return model.model_validate(attributes)


def decode_entity(entity_type: str, attributes: Any) -> Any:
    """The registered model of ``attributes``, or the mapping itself when the type is unknown or
    the attributes do not fit it (an odd record never fails a handler that only reads it)."""
    if not isinstance(attributes, Mapping):
        return None
    model = model_of(entity_type)
    if model is None:
        return attributes
    try:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return as_model(model, attributes)
        with lenient_enums():  # a status: a union of its states' models
            return _adapter(model).validate_python(attributes)
    except (ValidationError, TypeError) as error:
        logger.warning(
            "event entity %s does not fit %s (%d error(s)): kept as a mapping",
            entity_type,
            getattr(model, "__name__", model),
            error.error_count() if isinstance(error, ValidationError) else error,
        )
        return attributes
