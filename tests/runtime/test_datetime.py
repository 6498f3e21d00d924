"""Lenient UTC date-time parsing, strict formatting, and the pydantic ``UtcDateTime`` type."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from thg_connect_core._datetime import (
    UtcDateTime,
    format_utc_datetime,
    parse_utc_datetime,
    to_utc,
)

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the platform's three shapes
        ("2026-02-11T13:09:43.710356", datetime(2026, 2, 11, 13, 9, 43, 710356, tzinfo=UTC)),
        ("2026-02-11T00:00:00+00:00", datetime(2026, 2, 11, tzinfo=UTC)),
        ("2024-10-15T13:45:00", datetime(2024, 10, 15, 13, 45, tzinfo=UTC)),
        # other ISO 8601 spellings
        ("2024-10-15T13:45:00Z", datetime(2024, 10, 15, 13, 45, tzinfo=UTC)),
        ("2024-10-15t13:45:00z", datetime(2024, 10, 15, 13, 45, tzinfo=UTC)),
        ("2024-10-15 13:45:00", datetime(2024, 10, 15, 13, 45, tzinfo=UTC)),
        ("2024-10-15T13:45", datetime(2024, 10, 15, 13, 45, tzinfo=UTC)),
        ("2024-10-15T15:45:00+02:00", datetime(2024, 10, 15, 13, 45, tzinfo=UTC)),
        ("2024-10-15T15:45:00+0200", datetime(2024, 10, 15, 13, 45, tzinfo=UTC)),
        ("2024-10-15T11:45:00-02", datetime(2024, 10, 15, 13, 45, tzinfo=UTC)),
        ("2024-10-15T13:45:00.5", datetime(2024, 10, 15, 13, 45, 0, 500000, tzinfo=UTC)),
        ("2024-10-15T13:45:00,123", datetime(2024, 10, 15, 13, 45, 0, 123000, tzinfo=UTC)),
        ("2024-10-15T13:45:00.1234567891", datetime(2024, 10, 15, 13, 45, 0, 123456, tzinfo=UTC)),
        ("2024-10-15", datetime(2024, 10, 15, tzinfo=UTC)),
    ],
)
def test_parses_every_iso_shape_to_aware_utc(text: str, expected: datetime) -> None:
    parsed = parse_utc_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "yesterday",
        "2024-13-01T00:00:00",
        "2024-02-30",
        "2024-10-15T25:00:00",
        "2024-10-15T13:45:00+24:00",
        "2024-10-15T13:45:00 UTC",
        "0001-01-01T00:00:00+01:00",
        "１２３４-01-01",
        1700000000,
        None,
    ],
)
def test_rejects_what_is_not_a_date_time(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_utc_datetime(bad)


def test_objects_are_normalised() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert parse_utc_datetime(datetime(2024, 1, 1, 2, tzinfo=plus_two)) == datetime(
        2024, 1, 1, tzinfo=UTC
    )
    assert parse_utc_datetime(datetime(2024, 1, 1)).tzinfo is UTC
    assert parse_utc_datetime(date(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=UTC)
    assert to_utc(datetime(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=UTC)


def test_format() -> None:
    assert format_utc_datetime(datetime(2026, 2, 11, tzinfo=UTC)) == "2026-02-11T00:00:00+00:00"
    assert format_utc_datetime(datetime(2026, 2, 11, 13, 9, 43, 710356)) == (
        "2026-02-11T13:09:43.710356+00:00"
    )
    assert format_utc_datetime(datetime(5, 1, 1, tzinfo=UTC)) == "0005-01-01T00:00:00+00:00"


class Meta(BaseModel):
    created_at: UtcDateTime
    updated_at: Optional[UtcDateTime] = None


def test_pydantic_type() -> None:
    meta = Meta.model_validate(
        {"created_at": "2026-02-11T13:09:43.710356", "updated_at": "2026-02-11T14:09:43+01:00"}
    )
    assert meta.created_at == datetime(2026, 2, 11, 13, 9, 43, 710356, tzinfo=UTC)
    assert meta.updated_at == datetime(2026, 2, 11, 13, 9, 43, tzinfo=UTC)
    assert meta.created_at.tzinfo is UTC
    assert meta.model_dump(mode="json") == {
        "created_at": "2026-02-11T13:09:43.710356+00:00",
        "updated_at": "2026-02-11T13:09:43+00:00",
    }
    assert meta.model_dump_json() == (
        '{"created_at":"2026-02-11T13:09:43.710356+00:00","updated_at":"2026-02-11T13:09:43+00:00"}'
    )
    assert isinstance(meta.model_dump()["created_at"], datetime)
    assert Meta(created_at=datetime(2024, 1, 1)).created_at.tzinfo is UTC
    assert Meta.model_validate_json('{"created_at": "2024-01-01T00:00:00Z"}').created_at == (
        datetime(2024, 1, 1, tzinfo=UTC)
    )
    with pytest.raises(ValidationError):
        Meta.model_validate({"created_at": "not a date"})
    with pytest.raises(ValidationError):
        Meta.model_validate({"created_at": 1700000000})


zones = st.one_of(
    st.none(),
    st.just(UTC),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
        lambda m: timezone(timedelta(minutes=m))
    ),
)
instants = st.datetimes(
    min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=zones  # type: ignore[arg-type]
)


@settings(max_examples=300, deadline=None)
@given(instants)
def test_format_then_parse_is_the_same_instant(value: datetime) -> None:
    text = format_utc_datetime(value)
    parsed = parse_utc_datetime(text)
    assert parsed == to_utc(value)
    assert parsed.tzinfo is UTC
    assert format_utc_datetime(parsed) == text
    assert text.endswith("+00:00")


@settings(max_examples=300, deadline=None)
@given(instants)
def test_parses_python_isoformat_in_every_shape(value: datetime) -> None:
    for spec in ("auto", "seconds", "minutes", "microseconds"):
        text = value.isoformat(timespec=spec)
        truncated = datetime.fromisoformat(text)
        assert parse_utc_datetime(text) == to_utc(truncated)
