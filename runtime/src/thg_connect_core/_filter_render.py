"""Render a filter expression tree as filter-language text (the ``filter`` query parameter).

The output is canonical: lowercase keywords, one space around ``and``/``or``, none around
comparison operators, straight single quotes with inner quotes doubled, date-times as
``yyyy-mm-ddThh:mm:ss`` (UTC) and only the parentheses the precedence needs (an ``or`` inside an
``and``). ``parse_filter`` reads it back into an equal tree.
"""

from __future__ import annotations

from datetime import datetime
from typing import List

from ._filter_ast import And, Comparison, FilterExpr, FilterValue, Or

__all__ = ["render", "render_value"]


def render_value(value: FilterValue) -> str:
    """One normalised comparison value as filter-language text."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float, and its forms (1.5,
        # -0.0, 1e+16, 1.5e-07) all fit the grammar's number rule; nan/inf never reach here.
        return repr(value)
    if isinstance(value, datetime):
        # Comparison has already made it UTC at second precision. Formatted by hand because
        # strftime("%Y") does not zero-pad years before 1000 on every platform.
        return (
            f"'{value.year:04d}-{value.month:02d}-{value.day:02d}"
            f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}'"
        )
    return "'" + value.replace("'", "''") + "'"


def render(expr: FilterExpr) -> str:
    """The filter-language text for ``expr``, e.g. ``createdAt>'2024-10-15T13:45:00' and
    orderId='123456'``."""
    parts: List[str] = []
    _render_into(expr, parts)
    return "".join(parts)


def _render_into(expr: FilterExpr, out: List[str]) -> None:
    if isinstance(expr, Comparison):
        out.append(expr.field)
        out.append(expr.op)
        out.append(render_value(expr.value))
        return
    separator = " and " if isinstance(expr, And) else " or "
    for index, operand in enumerate(expr.operands):
        if index:
            out.append(separator)
        # `and` binds tighter than `or`, so only an Or inside an And needs parentheses; operands
        # of the same kind never occur (the tree is flattened at construction).
        needs_parens = isinstance(expr, And) and isinstance(operand, Or)
        if needs_parens:
            out.append("(")
        _render_into(operand, out)
        if needs_parens:
            out.append(")")
