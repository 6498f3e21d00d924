"""The changed entity of an event as its generated model: ``Event.data`` asks the registry
(``_entity_registry``, which the generated package fills) for the entity type's model and
validates the attributes with it; an entity type nobody registered stays the raw mapping."""

from __future__ import annotations

import functools
import logging
from typing import Any, List, Mapping, Type, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._entity_registry import model_of
from ._models import lenient_enums

__all__: List[str] = []

logger = logging.getLogger("thg_connect")

M = TypeVar("M", bound=BaseModel)


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
