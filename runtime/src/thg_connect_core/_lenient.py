"""Reading a response that does not fit its declared types, without failing it (issue 14).

``decode`` validates a response in one pydantic pass (the fast path). Only when that pass fails
does it come here, where the document is rebuilt member by member, as openai-python's
``construct`` does:

* a member is validated against its field's type *without* the field's constraints (pydantic
  keeps ``max_length``, ``pattern``, ``le``… beside the annotation, not in it), so a server that
  relaxed a limit never breaks a deployed client;
* a member that still does not fit is rebuilt the same way when it is a model (a nested object,
  one record of a page) and kept as the server sent it otherwise;
* one object where a list belongs becomes a list of that one object, and a list holding one
  object where an object belongs reads as that object (S1's list sample);
* each record rebuilt so keeps its raw mapping and the problem that forced it
  (``Resource.raw_data``, ``Resource.decode_error``), so one odd record never fails a page and
  nothing the server sent is lost.

What cannot be read at all (not JSON, or a document without the members every document has)
raises ``ResponseDecodeError``, a ``ThgConnectError``: never a bare pydantic ``ValidationError``.
"""

from __future__ import annotations

import functools
import json
import logging
import types
import typing
from typing import Annotated, Any, Dict, List, Optional, Tuple, Type, Union

from pydantic import BaseModel, Discriminator, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from ._base_error import ResponseDecodeError
from ._models import NotGiven

__all__ = ["ResponseDecodeError", "lenient_decode", "lenient_value"]

logger = logging.getLogger("thg_connect")

# `X | Y` annotations make a types.UnionType, which exists from 3.10 on; the client runs on 3.9.
_UNION_TYPES: Tuple[Any, ...] = (Union, *filter(None, [getattr(types, "UnionType", None)]))
_MAX_DEPTH = 64


@functools.lru_cache(maxsize=1024)
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _validate(annotation: Any, value: Any) -> Any:
    try:
        adapter = _adapter(annotation)
    except TypeError:  # unhashable annotation: build one, uncached
        adapter = TypeAdapter(annotation)
    return adapter.validate_python(value)


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _models_in(annotation: Any) -> List[Type[BaseModel]]:
    """The model classes ``annotation`` may be: itself, or the members of its union."""
    annotation = _strip_annotated(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_origin(annotation) in _UNION_TYPES:
        found: List[Type[BaseModel]] = []
        for member in typing.get_args(annotation):
            found.extend(_models_in(member))
        return found
    return []


def _pick_model(models: List[Type[BaseModel]], value: Dict[str, Any]) -> Type[BaseModel]:
    """The union member a mapping most likely is: one whose constant ``state`` (a status's
    discriminator) equals the value's, else the one declaring most of its keys."""
    state = value.get("state")
    if state is not None:
        for model in models:
            field = model.model_fields.get("state")
            if field is not None and (
                field.default == state or state in typing.get_args(field.annotation)
            ):
                return model
    return max(models, key=lambda m: len(_keys_of(m) & value.keys()))


def _wire_keys(name: str, field: FieldInfo) -> List[str]:
    """The keys that fill a field, wire names first: its validation alias, alias, name."""
    keys = [k for k in (field.validation_alias, field.alias) if isinstance(k, str)]
    return [*keys, name]


def _keys_of(model: Type[BaseModel]) -> frozenset[str]:
    return frozenset(k for n, f in model.model_fields.items() for k in _wire_keys(n, f))


def _lenient_list(item_type: Any, items: List[Any], depth: int) -> List[Any]:
    """Each item read leniently. A record of a page (a resource) that is not even a JSON object
    cannot be one: it is left out with a warning (as a poll leaves out what is not an event),
    so every item of a page stays a resource; the raw response keeps it."""
    records = [m for m in _models_in(item_type) if hasattr(m, "_mark_lenient")]
    kept = []
    for item in items:
        if records and not isinstance(item, dict):
            logger.warning(
                "a record of the response is a JSON %s, not a resource object: left out",
                type(item).__name__,
            )
            continue
        kept.append(lenient_value(item_type, item, depth))
    return kept


def _may_be(annotation: Any, value: Any) -> bool:
    """Whether a union member could hold ``value`` once its constraints are dropped, judged by
    shape alone: a list for a list type, a mapping for a model or a dict, a scalar otherwise
    (never ``None`` or ``NotGiven``, whose members are only ever exact matches)."""
    bare = _strip_annotated(annotation)
    if bare is type(None) or bare is NotGiven:
        return False
    origin = typing.get_origin(bare)
    if origin in _UNION_TYPES:
        return any(_may_be(a, value) for a in typing.get_args(bare))
    if origin in (list, List):
        return isinstance(value, (list, dict))
    if origin in (dict, Dict) or _models_in(bare):
        return isinstance(value, dict)
    return not isinstance(value, (list, dict))


def lenient_value(annotation: Any, value: Any, depth: int = 0) -> Any:
    """``value`` as ``annotation`` where it fits, rebuilt leniently where it does not, or as
    it came (see the module docs)."""
    try:
        return _validate(annotation, value)
    except ValidationError as exc:
        if depth >= _MAX_DEPTH:
            return value
        return _rebuild(annotation, value, depth + 1, exc)


def _rebuild(annotation: Any, value: Any, depth: int, error: ValidationError) -> Any:
    bare = _strip_annotated(annotation)
    origin = typing.get_origin(bare)
    args = typing.get_args(bare)
    if _is_one_object_in_a_list(value) and origin not in (list, List) and _models_in(bare):
        # An array holding one object where an object belongs: the rendered reference's list
        # sample shows a resource's `attributes` so (S1 F3). The object it holds is read.
        return lenient_value(annotation, value[0], depth)
    if origin in _UNION_TYPES:
        shaped = [a for a in args if _may_be(a, value)]
        if len(shaped) == 1:
            return lenient_value(shaped[0], value, depth)
    if origin in (list, List) and args and isinstance(value, (list, dict)):
        # One object where a list belongs (a generation that answers a single record): a list
        # of that one record.
        return _lenient_list(args[0], value if isinstance(value, list) else [value], depth)
    if origin in (dict, Dict) and isinstance(value, dict) and len(args) == 2:
        return {k: lenient_value(args[1], v, depth) for k, v in value.items()}
    models = _models_in(bare)
    if models and isinstance(value, dict):
        return lenient_model(_pick_model(models, value), value, depth, error)
    return value


def _is_one_object_in_a_list(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict)


def _typed(field: FieldInfo) -> Any:
    """The field's type without its constraints, but with what decides a union's member (a
    status's ``Discriminator``: without it an odd known state would read as ``UnknownState``)."""
    choosers = [m for m in field.metadata if isinstance(m, Discriminator)]
    if not choosers:
        return field.annotation
    return Annotated[(field.annotation, *choosers)]


def lenient_model(
    model: Type[BaseModel], data: Dict[str, Any], depth: int, error: ValidationError
) -> BaseModel:
    """``model`` built from ``data`` one field at a time: each field validated against its
    type without its constraints, rebuilt or kept raw when even that fails; members it does
    not declare kept (``model_extra``); nothing validated as a whole."""
    values: Dict[str, Any] = {}
    used = set()
    for name, field in model.model_fields.items():
        for key in _wire_keys(name, field):
            if key in data:
                used.add(key)
                if data[key] is None and not field.is_required() and field.default is not None:
                    break  # a stray null where the field takes none: its default
                values[name] = lenient_value(_typed(field), data[key], depth)
                break
    extras = {k: v for k, v in data.items() if k not in used and k not in model.model_fields}
    built = model.model_construct(**values, **extras)
    mark = getattr(built, "_mark_lenient", None)
    if mark is not None:
        mark(data, error)
    return built


def lenient_decode(content: Union[bytes, str], annotation: Any, error: ValidationError) -> Any:
    """The fallback of ``decode`` after ``error``: the body rebuilt leniently, or
    ``ResponseDecodeError`` when it is not JSON or lacks what every document has."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise ResponseDecodeError(_describe("the response body is not JSON", error)) from None
    models = _models_in(annotation)
    if models and isinstance(data, dict):
        missing = _missing_required(models[0], data)
        if missing:
            raise ResponseDecodeError(
                _describe(f"the response has no readable {', '.join(missing)}", error)
            ) from None
    elif models:
        raise ResponseDecodeError(
            _describe(f"the response is a JSON {type(data).__name__}, not an object", error)
        ) from None
    return lenient_value(annotation, data)


def _missing_required(model: Type[BaseModel], data: Dict[str, Any]) -> List[str]:
    """The document's required members that are absent, or not even of their shape (a
    ``data`` that is neither the object nor the list it should be): nothing can be read."""
    missing = []
    for name, field in model.model_fields.items():
        if not field.is_required():
            continue
        found = [data[k] for k in _wire_keys(name, field) if k in data]
        if not found or not _may_be(field.annotation, found[0]):
            missing.append(_wire_keys(name, field)[0])
    return missing


def _describe(what: str, error: Optional[ValidationError]) -> str:
    if error is None:
        return what
    first = error.errors(include_url=False, include_input=False)[:1]
    where = ""
    if first:
        location = "/".join(str(p) for p in first[0].get("loc", ()))
        where = f" ({location}: {first[0].get('msg', '')})" if location else ""
    return f"{what}{where}"
