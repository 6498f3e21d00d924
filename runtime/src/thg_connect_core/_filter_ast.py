"""The filter expression tree: comparisons combined with ``and``/``or``.

The tree is plain, frozen data so it can be rendered into the ``filter`` query parameter by the
client and translated into SQL by the sandbox. Values are normalised when a node is built so that
``parse_filter(render(tree)) == tree`` holds for every tree that can be constructed:

* ``date`` becomes midnight UTC, aware datetimes are converted to UTC, naive ones are taken as UTC
  (the filter language has no zone: its date-times are UTC instants at second precision);
* a string that is exactly ``yyyy-mm-ddThh:mm:ss`` becomes a datetime, because that is how the
  parser reads it back;
* ``Enum`` members become their value;
* nested ``And`` inside ``And`` (and ``Or`` inside ``Or``) are flattened, because the rendered text
  cannot tell ``(a and b) and c`` from ``a and (b and c)``.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Iterator, List, Literal, NoReturn, Optional, Tuple, Type, Union

__all__ = [
    "And",
    "Comparison",
    "FilterExpr",
    "FilterValue",
    "Operator",
    "Or",
    "OPERATORS",
    "KEYWORDS",
    "iter_comparisons",
    "normalise_value",
    "parse_filter_datetime",
    "validate_field_name",
]

Operator = Literal["=", "!=", ">", ">=", "<", "<="]
"""A comparison operator as written in the filter language."""

OPERATORS: Tuple[Operator, ...] = ("=", "!=", ">", ">=", "<", "<=")

FilterValue = Union[str, int, float, bool, datetime, None]
"""A normalised comparison value (datetimes are always aware UTC, second precision)."""

KEYWORDS = frozenset({"and", "or", "true", "false", "null"})
"""Reserved words (case-insensitive); a field name segment may not be one of them."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# [0-9], not \d: \d also matches other scripts' digits, which the language does not allow.
_DATETIME_LITERAL = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})")
# Python refuses to convert ints of more than 4300 digits to text; stay well below that limit so
# every value that can be built can also be rendered.
_MAX_INT_BITS = 13_000


def validate_field_name(field: str) -> str:
    """Check a (possibly dotted) wire field name and return it unchanged.

    Raises ``ValueError`` when a segment is not ``[A-Za-z_][A-Za-z0-9_]*`` or is a keyword (a
    field called ``null`` could not be told apart from the value when parsed back).
    """
    if not isinstance(field, str):
        raise TypeError(f"a filter field name must be a str, not {type(field).__name__}")
    for segment in field.split("."):
        if not _NAME.fullmatch(segment):
            raise ValueError(
                f"invalid filter field name {field!r}: each dot-separated part must match "
                "[A-Za-z_][A-Za-z0-9_]*"
            )
        if segment.lower() in KEYWORDS:
            raise ValueError(f"invalid filter field name {field!r}: {segment!r} is a keyword")
    return field


def parse_filter_datetime(text: str) -> Optional[datetime]:
    """Read an exact ``yyyy-mm-ddThh:mm:ss`` literal as an aware UTC datetime.

    Returns None when ``text`` does not have that shape; raises ``ValueError`` when it has the
    shape but is not a real date-time (``2024-02-30T00:00:00``).
    """
    match = _DATETIME_LITERAL.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date-time: {exc}") from None


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=timezone.utc)
    else:
        try:
            value = value.astimezone(timezone.utc)
        except OverflowError:  # e.g. 0001-01-01T00:00:00+05:00 is before year 1 in UTC
            raise ValueError(f"{value.isoformat()} is out of range in UTC") from None
    if value.microsecond:
        # Truncating would silently change what `>` and `<` mean at the platform (which compares
        # at second precision), so refuse instead.
        raise ValueError(
            f"filter date-times have second precision; {value.isoformat()} has microseconds "
            "(use .replace(microsecond=0) if truncation is what you want)"
        )
    return value


def normalise_value(value: object) -> FilterValue:
    """Turn a user-supplied comparison value into its canonical tree form (see module docs)."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value.bit_length() > _MAX_INT_BITS:
            raise ValueError("filter integer is too large")
        return int(value)  # plain int, also for IntEnum-like subclasses
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"filter numbers must be finite, not {value!r}")
        return float(value)
    if isinstance(value, str):
        as_datetime = parse_filter_datetime(value)
        return str(value) if as_datetime is None else as_datetime
    if isinstance(value, datetime):
        return _to_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    raise TypeError(
        f"unsupported filter value type {type(value).__name__}: use str, int, float, bool, "
        "datetime, date, an Enum member or None"
    )


def _value_key(value: FilterValue) -> Tuple[str, FilterValue]:
    # Python says True == 1 == 1.0, but `true`, `1` and `1.0` are different filter texts (and
    # different SQL); structural equality must see the type too.
    return (type(value).__name__, value)


class _Combinable:
    """``&`` and ``|`` for every node, and a guard against Python's ``and``/``or``."""

    def __and__(self, other: FilterExpr) -> And:
        return And((self, other))  # type: ignore[arg-type]  # self is always a FilterExpr

    def __or__(self, other: FilterExpr) -> Or:
        return Or((self, other))  # type: ignore[arg-type]

    def __bool__(self) -> NoReturn:
        # `a and b`, `a or b`, `not a` and chained `1 < F.x < 5` would silently drop a side.
        raise TypeError(
            "a filter expression has no truth value: combine with & and | (not `and`/`or`), "
            "and write ranges as (F.x > 1) & (F.x < 5)"
        )


@dataclass(frozen=True, eq=False)
class Comparison(_Combinable):
    """``field op value``, e.g. ``Comparison("createdAt", ">", datetime(...))``."""

    field: str
    """The wire (camelCase) field name; dots reach nested attributes (``tracking.number``)."""
    op: Operator
    value: FilterValue

    def __post_init__(self) -> None:
        validate_field_name(self.field)
        if self.op not in OPERATORS:
            raise ValueError(f"unknown filter operator {self.op!r}; use one of {OPERATORS}")
        value = normalise_value(self.value)
        if value is None and self.op not in ("=", "!="):
            raise ValueError(f"null can only be compared with = or !=, not {self.op}")
        object.__setattr__(self, "value", value)

    @property
    def path(self) -> Tuple[str, ...]:
        """The field name split at dots (``("tracking", "number")``)."""
        return tuple(self.field.split("."))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Comparison):
            return NotImplemented
        return (self.field, self.op, _value_key(self.value)) == (
            other.field,
            other.op,
            _value_key(other.value),
        )

    def __hash__(self) -> int:
        return hash((self.field, self.op, _value_key(self.value)))


def _flatten(kind: Type[_Junction], operands: Tuple[FilterExpr, ...]) -> Tuple[FilterExpr, ...]:
    flat: List[FilterExpr] = []
    for operand in operands:
        if type(operand) is kind:
            flat.extend(operand.operands)
        elif isinstance(operand, (Comparison, And, Or)):
            flat.append(operand)
        else:
            raise TypeError(
                f"cannot combine a filter expression with {type(operand).__name__}; "
                "build comparisons from fields, e.g. F.sku == 'x'"
            )
    return tuple(flat)


@dataclass(frozen=True)
class _Junction(_Combinable):
    operands: Tuple[FilterExpr, ...]

    def __post_init__(self) -> None:
        operands = _flatten(type(self), tuple(self.operands))
        if len(operands) < 2:
            raise ValueError(f"{type(self).__name__} needs at least two operands")
        object.__setattr__(self, "operands", operands)


@dataclass(frozen=True)
class And(_Junction):
    """All operands hold (n-ary, flattened: ``And((a, And((b, c))))`` is ``And((a, b, c))``)."""


@dataclass(frozen=True)
class Or(_Junction):
    """At least one operand holds (n-ary, flattened like ``And``)."""


FilterExpr = Union[Comparison, And, Or]
"""Any filter expression: a comparison or a conjunction/disjunction of expressions."""


def iter_comparisons(expr: FilterExpr) -> Iterator[Comparison]:
    """Every comparison in ``expr``, left to right (e.g. to check field names against a schema)."""
    stack: List[FilterExpr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Comparison):
            yield node
        else:
            stack.extend(reversed(node.operands))
