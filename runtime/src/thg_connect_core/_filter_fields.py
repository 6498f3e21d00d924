"""Field objects whose comparison operators build filter expressions.

Generated code declares one typed field per filterable attribute, e.g.::

    class InventoryItemFilter:
        sku: ClassVar[StringField] = StringField("sku")
        created_at: ClassVar[DateTimeField] = DateTimeField("createdAt")

so ``(F.created_at > dt) & (F.sku == "SKU-1")`` type-checks and ``F.created_at > 3`` does not: the
operator methods accept only the field's value type. ``Field`` is the untyped escape hatch.

``==`` and ``!=`` return a ``Comparison`` instead of a bool, so fields are deliberately unhashable
(a dict or set lookup would otherwise call ``__eq__`` and get an expression back).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, ClassVar, Generic, Optional, Tuple, TypeVar

from ._filter_ast import Comparison, FilterValue, normalise_value, validate_field_name

__all__ = [
    "BoolField",
    "DateField",
    "DateTimeField",
    "EnumField",
    "Field",
    "FloatField",
    "IntField",
    "NumberField",
    "StringField",
]

V = TypeVar("V")


class _FieldBase:
    """The wire name and the null tests shared by every field kind."""

    __slots__ = ("name",)

    name: str
    # Runtime twin of the static check, for callers without a type checker: the value types this
    # field kind accepts besides None (bool is refused where it would pass as an int).
    _accepts: ClassVar[Tuple[type, ...]] = (object,)
    _refuses_bool: ClassVar[bool] = False

    def __init__(self, name: str) -> None:
        self.name = validate_field_name(name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def is_null(self) -> Comparison:
        """``field = null``: the attribute is absent (same as ``field == None``)."""
        return Comparison(self.name, "=", None)

    def is_not_null(self) -> Comparison:
        """``field != null``: the attribute is present."""
        return Comparison(self.name, "!=", None)

    def _check(self, value: object) -> FilterValue:
        # Comparing two fields (F.a == F.b) is not part of the language; say so instead of
        # failing with "unsupported filter value type StringField".
        if isinstance(value, _FieldBase):
            raise TypeError("the filter language compares a field with a value, not a field")
        if value is not None and (
            not isinstance(value, self._accepts) or (self._refuses_bool and isinstance(value, bool))
        ):
            raise TypeError(
                f"{self!r} cannot be compared with {type(value).__name__} value {value!r}"
            )
        return normalise_value(value)

    def __bool__(self) -> bool:
        raise TypeError(f"{self!r} has no truth value; compare it to build a filter")


class _EqualityField(_FieldBase, Generic[V]):
    """A field that supports ``==`` and ``!=`` (against its value type or None).

    Defining ``__eq__`` makes Python set ``__hash__`` to None: fields are unhashable on purpose.
    """

    __slots__ = ()

    def __eq__(self, value: Optional[V]) -> Comparison:  # type: ignore[override]
        return Comparison(self.name, "=", self._check(value))

    def __ne__(self, value: Optional[V]) -> Comparison:  # type: ignore[override]
        return Comparison(self.name, "!=", self._check(value))


class _OrderedField(_EqualityField[V]):
    """A field that also supports ``<``, ``<=``, ``>``, ``>=`` (never against None)."""

    __slots__ = ()

    def __lt__(self, value: V) -> Comparison:
        return Comparison(self.name, "<", self._check(value))

    def __le__(self, value: V) -> Comparison:
        return Comparison(self.name, "<=", self._check(value))

    def __gt__(self, value: V) -> Comparison:
        return Comparison(self.name, ">", self._check(value))

    def __ge__(self, value: V) -> Comparison:
        return Comparison(self.name, ">=", self._check(value))


class Field(_OrderedField[Any]):
    """An untyped field: any operator, any value (str, int, float, bool, datetime, date, Enum,
    None). Prefer the typed fields in generated code."""

    __slots__ = ()


class StringField(_OrderedField[str]):
    """A string attribute (ordering compares strings, as the platform does)."""

    __slots__ = ()
    _accepts = (str,)


class IntField(_OrderedField[int]):
    """An integer attribute."""

    __slots__ = ()
    _accepts = (int,)
    _refuses_bool = True


class NumberField(_OrderedField[float]):
    """A number attribute (int or float values)."""

    __slots__ = ()
    _accepts = (int, float)
    _refuses_bool = True


FloatField = NumberField
"""Alias of ``NumberField``."""


class BoolField(_EqualityField[bool]):
    """A boolean attribute: only ``==`` and ``!=``."""

    __slots__ = ()
    _accepts = (bool,)


class DateTimeField(_OrderedField[date]):
    """A date-time attribute; values are ``datetime`` (aware, or naive meaning UTC, without
    microseconds) or ``date`` (midnight UTC). Rendered as ``yyyy-mm-ddThh:mm:ss`` in UTC."""

    __slots__ = ()
    _accepts = (date,)


class DateField(_OrderedField[date]):
    """A ``format: date`` attribute, compared as a date: the value is sent as ``'yyyy-mm-dd'``,
    the form the attribute itself takes, so ``==`` matches and ``>=`` keeps the day on a server
    that compares the text as well as on one that reads dates. A ``datetime`` is accepted only at
    midnight UTC (its date); another time of day has no date to compare with."""

    __slots__ = ()
    _accepts = (date,)

    def _check(self, value: object) -> FilterValue:
        checked = super()._check(value)
        if not isinstance(checked, datetime):
            return checked
        if checked.time() != time(0, 0):
            raise TypeError(
                f"{self!r} is a date: compare it with a date, not the date-time {checked}"
            )
        return checked.date().isoformat()


E = TypeVar("E")


class EnumField(_EqualityField[E]):
    """An enumerated attribute, generic over its ``Enum`` or ``Literal`` type: only ``==`` and
    ``!=`` (``EnumField[Status]("status") == Status.APPROVED``)."""

    __slots__ = ()
