"""`format: date` fields filtered as dates (issue 14): the client's `DateField` renders a date as
`'yyyy-mm-dd'`, the sandbox compares it with the stored text, so `==` matches and `>=` keeps the
day; a midnight date-time literal (what older clients sent) reads as its date."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thg_connect_core import DateField
from thg_connect_core import render_filter as render
from thg_sandbox.errors import ApiError
from thg_sandbox.filters import compile_filter
from thg_sandbox.validation.schemas import SchemaSet

SCHEMAS = SchemaSet(
    {
        "components": {
            "schemas": {
                "Order": {
                    "type": "object",
                    "properties": {"shipDate": {"type": ["string", "null"], "format": "date"}},
                }
            }
        }
    }
)
POINTER = "/components/schemas/Order"
SHIP_DATE = DateField("shipDate")
DAYS = [date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)]


def matching(text: str, days: list[date]) -> list[date]:
    sql = compile_filter(text, SCHEMAS, POINTER)
    db = sqlite3.connect(":memory:")
    db.execute("create table r (attributes text)")
    db.executemany(
        "insert into r values (?)", [(json.dumps({"shipDate": d.isoformat()}),) for d in days]
    )
    rows = db.execute(f"select attributes from r where {sql.where}", sql.params).fetchall()
    return [date.fromisoformat(json.loads(a)["shipDate"]) for (a,) in rows]


def test_equal_matches_the_day() -> None:
    assert render(SHIP_DATE == date(2024, 5, 2)) == "shipDate='2024-05-02'"
    assert matching(render(SHIP_DATE == date(2024, 5, 2)), DAYS) == [date(2024, 5, 2)]


def test_at_least_keeps_the_day() -> None:
    assert matching(render(SHIP_DATE >= date(2024, 5, 2)), DAYS) == DAYS[1:]
    assert matching(render(SHIP_DATE < date(2024, 5, 2)), DAYS) == DAYS[:1]


def test_a_midnight_date_time_literal_reads_as_its_date() -> None:
    assert matching("shipDate = '2024-05-02T00:00:00'", DAYS) == [date(2024, 5, 2)]
    midnight = SHIP_DATE == datetime(2024, 5, 2, tzinfo=timezone.utc)
    assert render(midnight) == "shipDate='2024-05-02'"


@pytest.mark.parametrize("text", ["shipDate = '2024-05-02T10:00:00'", "shipDate = 'May 2'"])
def test_anything_else_is_a_located_400(text: str) -> None:
    with pytest.raises(ApiError) as info:
        compile_filter(text, SCHEMAS, POINTER)
    assert info.value.status == 400
    assert "is a date" in str(info.value.errors[0].detail)


def test_a_date_field_refuses_a_time_of_day() -> None:
    with pytest.raises(TypeError, match="is a date"):
        _ = SHIP_DATE >= datetime(2024, 5, 2, 10, 0, tzinfo=timezone.utc)


OPS: dict[str, Any] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


@given(
    days=st.lists(st.dates(min_value=date(1000, 1, 1)), min_size=1, max_size=6),
    value=st.dates(min_value=date(1000, 1, 1)),
    op=st.sampled_from(sorted(OPS)),
)
def test_filtering_dates_agrees_with_comparing_dates(
    days: list[date], value: date, op: str
) -> None:
    expr = OPS[op](SHIP_DATE, value)
    assert sorted(matching(render(expr), days)) == sorted(d for d in days if OPS[op](d, value))
