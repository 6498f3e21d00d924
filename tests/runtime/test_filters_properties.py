"""Filter language properties: render/parse round trips, normalisation, and fuzzing."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import List

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from thg_connect_core._filter_ast import (
    KEYWORDS,
    OPERATORS,
    And,
    Comparison,
    FilterExpr,
    Or,
)
from thg_connect_core._filter_fields import Field
from thg_connect_core._filter_parser import FilterSyntaxError, parse_filter
from thg_connect_core._filter_render import render, render_value

ROUND_TRIP = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ = settings(max_examples=1000, deadline=None)

segments = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True).filter(
    lambda s: s.lower() not in KEYWORDS
)
field_names = st.lists(segments, min_size=1, max_size=3).map(".".join)

zones = st.sampled_from(
    [None, timezone.utc, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
)
datetimes = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=zones  # type: ignore[arg-type]
).map(lambda d: d.replace(microsecond=0))
dates = st.dates()

# Text of every kind, with the characters that matter to quoting made likely.
tricky = st.sampled_from(["'", "''", "\\", "\u2018", "\u2019", '"', " and ", "(", ")", "\n", "é"])
strings = st.one_of(
    st.text(),
    st.lists(st.one_of(tricky, st.text(max_size=3)), max_size=8).map("".join),
    datetimes.map(lambda d: d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")),
)
non_null_values = st.one_of(
    strings,
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    datetimes,
    dates,
)


@st.composite
def comparisons(draw: st.DrawFn) -> Comparison:
    field = draw(field_names)
    if draw(st.integers(0, 9)) == 0:
        return Comparison(field, draw(st.sampled_from(["=", "!="])), None)
    return Comparison(field, draw(st.sampled_from(OPERATORS)), draw(non_null_values))


def _combine(children: st.SearchStrategy[FilterExpr]) -> st.SearchStrategy[FilterExpr]:
    operands = st.lists(children, min_size=2, max_size=4).map(tuple)
    return st.one_of(operands.map(And), operands.map(Or))


trees: st.SearchStrategy[FilterExpr] = st.recursive(comparisons(), _combine, max_leaves=12)


@ROUND_TRIP
@given(trees)
def test_parse_of_render_is_identity(tree: FilterExpr) -> None:
    text = render(tree)
    assert parse_filter(text) == tree
    assert render(parse_filter(text)) == text


@st.composite
def noisy_text(draw: st.DrawFn, tree: FilterExpr) -> str:
    """Equivalent text written the way people (and the platform docs) write it: keywords in any
    case, spaces anywhere between tokens, redundant parentheses, typographic quotes."""

    def space() -> str:
        return draw(st.sampled_from(["", " ", "  ", "\t", "\n"]))

    def keyword(word: str) -> str:
        return "".join(c.upper() if draw(st.booleans()) else c for c in word)

    def value(v: object) -> str:
        if v is None or isinstance(v, bool):
            return keyword(render_value(v))
        if isinstance(v, str) and not any(q in v for q in "\u2018\u2019") and draw(st.booleans()):
            opener, closer = draw(st.sampled_from("\u2018\u2019")), draw(
                st.sampled_from("\u2018\u2019")
            )
            return opener + v + closer  # a straight quote is ordinary inside typographic ones
        return render_value(v)  # type: ignore[arg-type]

    def node(expr: FilterExpr, parent_is_and: bool) -> str:
        if isinstance(expr, Comparison):
            text = expr.field + space() + expr.op + space() + value(expr.value)
        else:
            word = " " + keyword("and" if isinstance(expr, And) else "or") + " "
            text = word.join(node(op, isinstance(expr, And)) for op in expr.operands)
            if isinstance(expr, Or) and parent_is_and:
                return "(" + space() + text + space() + ")"
        if draw(st.integers(0, 4)) == 0:
            text = "(" + space() + text + space() + ")"
        return text

    return space() + node(tree, False) + space()


@ROUND_TRIP
@given(st.data())
def test_render_of_parse_normalises(data: st.DataObject) -> None:
    tree = data.draw(trees)
    text = data.draw(noisy_text(tree))
    assert parse_filter(text) == tree
    assert render(parse_filter(text)) == render(tree)


def _parse_or_syntax_error(text: str) -> None:
    try:
        tree = parse_filter(text)
    except FilterSyntaxError as error:
        assert 0 <= error.position <= len(text)
        assert error.expected and error.found
        return
    # Whatever parses must survive its own canonical form.
    assert parse_filter(render(tree)) == tree


@FUZZ
@given(st.text())
def test_fuzz_arbitrary_text_only_raises_syntax_errors(text: str) -> None:
    _parse_or_syntax_error(text)


filter_alphabet = st.sampled_from(
    list("()'\u2018\u2019=!<>.-+eE0123456789_ \t\nabxyzAND")
    + ["and", "or", "OR", "true", "FALSE", "null", "createdAt", "'2024-10-15T13:45:00'", "''"]
)


@FUZZ
@given(st.lists(filter_alphabet, max_size=40).map("".join))
def test_fuzz_filter_like_text_only_raises_syntax_errors(text: str) -> None:
    _parse_or_syntax_error(text)


@ROUND_TRIP
@given(trees, st.integers(min_value=0))
def test_fuzz_mutated_renderings(tree: FilterExpr, seed: int) -> None:
    text = render(tree)
    assume(text)
    cut = seed % (len(text) + 1)
    variants: List[str] = [text[:cut], text[cut:], text[:cut] + text[cut + 1 :], text + text]
    for variant in variants:
        _parse_or_syntax_error(variant)


@given(st.dates())
def test_dates_render_as_midnight(day: date) -> None:
    text = render(Field("d") == day)
    assert text == f"d='{day.year:04d}-{day.month:02d}-{day.day:02d}T00:00:00'"
