"""Building blocks of the generated models: the base model, open enums and status states.

* ``ApiModel`` is the base of every generated schema model: unknown members are kept (a server
  adding a field never breaks a client), fields are populated by their Python names, and
  ``pattern`` constraints use Python's ``re`` with JSON Schema's search semantics (the Rust engine
  rejects look-arounds a spec may legally use).
* ``OpenEnum`` is the base of every generated enum. A value the client does not know is accepted
  while decoding a server response (``lenient_enums``) and refused when user code builds a model,
  so a new value on the server never breaks an old client, while a typo in a request still fails
  before anything is sent.
* ``NOT_GIVEN`` (of type ``NotGiven``) is the default of a field the spec lets a request leave
  out but does not mark nullable: "not given" is never ``None``, so ``InventoryItem(mass_g=None)``
  is a type error and a ``ValidationError`` instead of a ``null`` the server refuses. A field at
  ``NOT_GIVEN`` is never sent; ``NOT_GIVEN`` is falsy. Nullable fields keep ``None``.
* Strict on what we send, lenient on what we receive: a model built by user code refuses a member
  it does not declare (``InventoryItem(nmae="x")``), while one decoded from a response
  (``lenient_enums``) keeps it in ``model_extra``, and a ``null`` the server sends for a field
  that is not nullable reads as ``NOT_GIVEN``.
* A status is a union of its states discriminated on ``state``; ``state_union_discriminator``
  sends a state the client does not know to ``UnknownState``, which keeps the raw payload.
"""

from __future__ import annotations

import contextlib
import contextvars
import difflib
import enum
from typing import Any, Callable, ClassVar, Dict, FrozenSet, Iterator, Optional, Type

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, model_validator
from pydantic_core import PydanticCustomError, core_schema

__all__ = [
    "ApiModel",
    "NOT_GIVEN",
    "NotGiven",
    "OpenEnum",
    "UNKNOWN_STATE_TAG",
    "UnknownState",
    "lenient_enums",
    "state_union_discriminator",
]

_LENIENT = contextvars.ContextVar("thg_connect_lenient_enums", default=False)

UNKNOWN_STATE_TAG = "__unknown_state__"
"""The discriminator tag of ``UnknownState`` in a generated status union."""


@contextlib.contextmanager
def lenient_enums() -> Iterator[None]:
    """While active (in this thread or task), ``OpenEnum`` types accept unknown values."""
    token = _LENIENT.set(True)
    try:
        yield
    finally:
        _LENIENT.reset(token)


def decoding_response() -> bool:
    """True inside ``lenient_enums``: what is validated is a server response, read leniently."""
    return _LENIENT.get()


class NotGiven:
    """The type of ``NOT_GIVEN``: a field left out of a request (not ``None``, which is sent as
    ``null``). Falsy, so ``if item.mass_g:`` reads naturally; compare with ``is NOT_GIVEN``."""

    _instance: ClassVar["NotGiven | None"] = None

    def __new__(cls) -> "NotGiven":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> "NotGiven":
        return self

    def __deepcopy__(self, memo: Any) -> "NotGiven":
        return self

    def __reduce__(self) -> str:
        return "NOT_GIVEN"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # An instance check in pydantic-core, not a Python function: a union tries this member
        # for every value of its field whose type is not an exact match (an int for a float),
        # and a Python call that raises there doubled the cost of decoding a page. A None from
        # user code gets its own message in ApiModel._check_members. A plain ``model_dump()``
        # (not a request body, which leaves the field out) shows None.
        return core_schema.is_instance_schema(
            NotGiven,
            serialization=core_schema.plain_serializer_function_ser_schema(_dump_not_given),
        )


NOT_GIVEN = NotGiven()
"""A field's value when it was not given: never sent, and not the same as ``None`` (null)."""


def _dump_not_given(value: Any) -> Any:
    # A union's serializer may try this member with a value of another member (a list of
    # ``model_construct`` models it cannot match strictly): hand such a value on unchanged.
    return None if isinstance(value, NotGiven) else value


_ACCEPTED: Dict[Type[BaseModel], FrozenSet[str]] = {}


def _accepted_keys(cls: Type[BaseModel]) -> FrozenSet[str]:
    """Every key that fills a field of ``cls``: its Python names and its wire names."""
    found = _ACCEPTED.get(cls)
    if found is None:
        keys = set(cls.model_fields)
        for info in cls.model_fields.values():
            for alias in (info.alias, info.validation_alias):
                if isinstance(alias, str):
                    keys.add(alias)
        found = _ACCEPTED[cls] = frozenset(keys)
    return found


class ApiModel(BaseModel):
    """Base of the generated models."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        regex_engine="python-re",
        protected_namespaces=(),
    )

    _constant_fields: ClassVar[FrozenSet[str]] = frozenset()
    _not_nullable: ClassVar[FrozenSet[str]] = frozenset()
    """Wire names of the optional fields whose default is ``NOT_GIVEN`` (they take no null)."""
    _open: ClassVar[bool] = False
    """True for a model that takes members it does not declare from user code too."""

    @model_validator(mode="before")
    @classmethod
    def _check_members(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if decoding_response():
            # A stray null where the field takes none reads as not given. `None in values()`
            # runs in C: most responses have no null at all, and this runs for every model.
            not_nullable = cls._not_nullable
            if not_nullable and None in data.values():
                data = {k: v for k, v in data.items() if v is not None or k not in not_nullable}
            return data
        not_nullable = cls._not_nullable
        if not_nullable and None in data.values():
            nulls = [k for k, v in data.items() if v is None and k in not_nullable]
            if nulls:
                raise PydanticCustomError(
                    "not_nullable",
                    "{model}.{field} is not nullable: leave it out (NOT_GIVEN) instead of None",
                    {"model": cls.__name__, "field": str(nulls[0])},
                )
        if not cls._open:
            accepted = _accepted_keys(cls)
            unknown = [k for k in data if k not in accepted]
            if unknown:
                key = str(unknown[0])
                close = difflib.get_close_matches(key, sorted(cls.model_fields), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise PydanticCustomError(
                    "unknown_field",
                    "{model} has no field {field}{hint}",
                    {"model": cls.__name__, "field": repr(key), "hint": hint},
                )
        return data

    def model_post_init(self, context: Any, /) -> None:
        # A ``const`` member (a state's ``state``) has a default, so it would count as "not set"
        # and be left out of a request body encoded with ``exclude_unset``; mark it set. A field
        # given ``NOT_GIVEN`` explicitly is not set, so it is never sent.
        if self._constant_fields:
            self.__pydantic_fields_set__.update(self._constant_fields)
        if not self._not_nullable or decoding_response():
            return  # NOT_GIVEN cannot be given explicitly here: no such field, or JSON read
        given = self.__pydantic_fields_set__
        for name in [n for n in given if getattr(self, n, None) is NOT_GIVEN]:
            given.discard(name)


class OpenEnum(str, enum.Enum):
    """A string enum that tolerates values it does not know when decoding server responses.

    An unknown value becomes a member that is not one of the class's named members:
    ``StockCondition("RECYCLED").value == "RECYCLED"``, and it compares unequal to every known
    member. Outside ``lenient_enums`` an unknown value raises ``ValueError`` as usual.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str) or not _LENIENT.get():
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """False for a value the client was generated without."""
        return self._name_ in type(self).__members__


class UnknownState(ApiModel):
    """A status state this client does not know; every member of the payload is kept
    (``model_extra``), so nothing the server sent is lost. ``state`` is None for a payload that
    names none: the rendered reference's approval GET carries only ``attributes.message``, its
    state being on the parent's ``meta.status`` (S1 F1, S7b)."""

    _open: ClassVar[bool] = True

    state: Optional[str] = None


def state_union_discriminator(known: FrozenSet[str]) -> Callable[[Any], str]:
    """The callable discriminator of a status union whose states are ``known``."""

    def discriminate(value: Any) -> str:
        if isinstance(value, dict):
            state = value.get("state")
        else:
            state = getattr(value, "state", None)
        if isinstance(state, enum.Enum):
            state = state.value
        return state if isinstance(state, str) and state in known else UNKNOWN_STATE_TAG

    return discriminate
