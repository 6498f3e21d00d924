"""The filter language (parsed by thg_connect_core) as parameterised SQL over the stored JSON.

Each comparison is typed by the entity's schema: date-times compare as instants (integer
microseconds, via the `thg_instant` SQL function), dates (`format: date`) as their
`yyyy-mm-dd` text (a midnight date-time literal reads as its date), numbers numerically, booleans
as JSON's 1/0, everything else as text. Values only ever travel as bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

from thg_connect_core import And, Comparison, FilterExpr, FilterSyntaxError, Or, parse_filter

from .errors import ApiError, bad_request
from .store.db import instant_micros
from .validation.schemas import SchemaSet
from .validation.shape import members_of

MAX_FILTER_CHARS = 4000

# Resource members that are not attributes: name -> (column, kind).
META_FIELDS = {
    "id": ("id", "string"),
    "createdAt": ("created_at", "date-time"),
    "updatedAt": ("updated_at", "date-time"),
    "creator": ("creator", "string"),
    "owner": ("owner", "string"),
}


@dataclass(frozen=True)
class SqlFilter:
    where: str
    params: tuple[Any, ...]


MATCH_ALL = SqlFilter("1 = 1", ())


def _invalid(detail: str) -> ApiError:
    return bad_request("InvalidFilter", detail, parameter="filter")


def _kind(schemas: SchemaSet, root: Any, field: str) -> str:
    """The comparison kind of an attribute path, or a 400 naming the field."""
    schema = schemas.deref(root)
    for name in field.split("."):
        members = members_of(schemas, schema, {}) if isinstance(schema, dict) else None
        if members is None or name not in members:
            raise _invalid(f"the filter names {field!r}, which is not a field of this entity")
        schema = schemas.deref(members[name])
    types = schema.get("type") if isinstance(schema, dict) else None
    names = {types} if isinstance(types, str) else set(types or ())
    names.discard("null")
    if names & {"object", "array"}:
        raise _invalid(f"{field!r} is an object or a list; filter on one of its fields instead")
    if names & {"number", "integer"}:
        return "number"
    if "boolean" in names:
        return "boolean"
    if isinstance(schema, dict) and schema.get("format") in ("date-time", "date"):
        return str(schema["format"])
    return "string"


def _json_path(field: str) -> str:
    # Segments are [A-Za-z_][A-Za-z0-9_]* (the grammar guarantees it); quoted all the same.
    return "$" + "".join(f'."{part}"' for part in field.split("."))


def _value(field: str, kind: str, value: Any) -> Any:
    if kind == "date-time":
        if not isinstance(value, datetime):
            raise _invalid(f"{field!r} is a date-time: compare it with 'yyyy-mm-ddThh:mm:ss' (UTC)")
        return instant_micros(value.astimezone(timezone.utc).isoformat())
    if kind == "date":
        return _date_value(field, value)
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _invalid(f"{field!r} is a number: compare it with a number")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _invalid(f"{field!r} is a boolean: compare it with true or false")
        return 1 if value else 0
    if isinstance(value, datetime):  # the parser reads 'yyyy-mm-ddThh:mm:ss' as a date-time
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if not isinstance(value, str):
        raise _invalid(f"{field!r} is text: compare it with a quoted string")
    return value


def _date_value(field: str, value: Any) -> str:
    """A date compares as its `yyyy-mm-dd` text (how the attribute is stored): `'2024-05-01'`,
    or the midnight date-time `'2024-05-01T00:00:00'` that older clients send for a date."""
    if isinstance(value, datetime) and value.time() == time(0, 0):
        return value.date().isoformat()
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise _invalid(f"{field!r} is a date: compare it with 'yyyy-mm-dd'")


class _Compiler:
    def __init__(self, schemas: SchemaSet, schema_pointer: str) -> None:
        self.schemas = schemas
        self.root = {"$ref": "#" + schema_pointer}
        self.params: list[Any] = []

    def expr(self, node: FilterExpr) -> str:
        if isinstance(node, (And, Or)):
            joiner = " AND " if isinstance(node, And) else " OR "
            return "(" + joiner.join(self.expr(op) for op in node.operands) + ")"
        return self.comparison(node)

    def comparison(self, node: Comparison) -> str:
        sql_params: list[Any] = []
        if node.field in META_FIELDS:
            column, kind = META_FIELDS[node.field]
            sql = f"thg_instant({column})" if kind == "date-time" else column
        else:
            kind = _kind(self.schemas, self.root, node.field)
            sql_params.append(_json_path(node.field))
            sql = "json_extract(attributes, ?)"
            if kind == "date-time":
                sql = f"thg_instant({sql})"
        if node.value is None:
            self.params.extend(sql_params)
            return f"{sql} IS NULL" if node.op == "=" else f"{sql} IS NOT NULL"
        value = _value(node.field, kind, node.value)
        if node.op == "!=":
            # An absent field is "not equal" to any value, as a user reading the filter expects.
            self.params.extend([*sql_params, *sql_params, value])
            return f"({sql} IS NULL OR {sql} != ?)"
        self.params.extend([*sql_params, value])
        return f"{sql} {node.op} ?"


def compile_filter(text: str | None, schemas: SchemaSet, schema_pointer: str) -> SqlFilter:
    if text is None or not text.strip():
        return MATCH_ALL
    if len(text) > MAX_FILTER_CHARS:
        raise _invalid(f"the filter is longer than {MAX_FILTER_CHARS} characters")
    try:
        tree = parse_filter(text)
    except FilterSyntaxError as exc:
        raise _invalid(f"malformed filter: {exc}") from None
    except ValueError as exc:  # a value the tree refuses (e.g. a date-time out of range)
        raise _invalid(f"malformed filter: {exc}") from None
    compiler = _Compiler(schemas, schema_pointer)
    where = compiler.expr(tree)
    return SqlFilter(where, tuple(compiler.params))
