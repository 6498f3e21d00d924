"""Building blocks of the generated models: the base model, open enums and status states.

* ``ApiModel`` is the base of every generated schema model: unknown members are kept (a server
  adding a field never breaks a client), fields are populated by their Python names, and
  ``pattern`` constraints use Python's ``re`` with JSON Schema's search semantics (the Rust engine
  rejects look-arounds a spec may legally use).
* ``OpenEnum`` is the base of every generated enum. A value the client does not know is accepted
  while decoding a server response (``lenient_enums``) and refused when user code builds a model,
  so a new value on the server never breaks an old client, while a typo in a request still fails
  before anything is sent.
* A status is a union of its states discriminated on ``state``; ``state_union_discriminator``
  sends a state the client does not know to ``UnknownState``, which keeps the raw payload.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
from typing import Any, Callable, ClassVar, FrozenSet, Iterator

from pydantic import BaseModel, ConfigDict

__all__ = [
    "ApiModel",
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


class ApiModel(BaseModel):
    """Base of the generated models."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        regex_engine="python-re",
        protected_namespaces=(),
    )

    _constant_fields: ClassVar[FrozenSet[str]] = frozenset()

    def model_post_init(self, context: Any, /) -> None:
        # A ``const`` member (a state's ``state``) has a default, so it would count as "not set"
        # and be left out of a request body encoded with ``exclude_unset``; mark it set.
        if self._constant_fields:
            self.__pydantic_fields_set__.update(self._constant_fields)


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
    (``model_extra``), so nothing the server sent is lost."""

    state: str


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
