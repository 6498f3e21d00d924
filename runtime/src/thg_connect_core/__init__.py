"""THG Connect runtime."""

# --- filters, references, pagination, datetimes ---
from ._datetime import UtcDateTime, format_utc_datetime, parse_utc_datetime
from ._filter_ast import And, Comparison, FilterExpr, FilterValue, Operator, Or, iter_comparisons
from ._filter_fields import (
    BoolField,
    DateField,
    DateTimeField,
    EnumField,
    Field,
    FloatField,
    IntField,
    NumberField,
    StringField,
)
from ._filter_parser import FilterSyntaxError, parse_filter
from ._filter_render import render as render_filter
from ._pagination import AsyncPaginator, Page, Paginator, filter_param, links_next_hint, page_params
from ._references import InvalidReferenceError, Reference

# --- end filters, references, pagination, datetimes ---

__all__: list[str] = []

# --- filters, references, pagination, datetimes ---
__all__ += [
    "And",
    "AsyncPaginator",
    "BoolField",
    "Comparison",
    "DateField",
    "DateTimeField",
    "EnumField",
    "Field",
    "FilterExpr",
    "FilterSyntaxError",
    "FilterValue",
    "FloatField",
    "IntField",
    "InvalidReferenceError",
    "NumberField",
    "Operator",
    "Or",
    "Page",
    "Paginator",
    "Reference",
    "StringField",
    "UtcDateTime",
    "filter_param",
    "format_utc_datetime",
    "iter_comparisons",
    "links_next_hint",
    "page_params",
    "parse_filter",
    "parse_utc_datetime",
    "render_filter",
]
# --- end filters, references, pagination, datetimes ---
