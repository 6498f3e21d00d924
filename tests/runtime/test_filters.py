"""Filter language: examples from the platform docs, construction, rendering and error reports."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, timezone
from typing import ClassVar, Literal

import pytest

from thg_connect_core._filter_ast import And, Comparison, Or, iter_comparisons
from thg_connect_core._filter_fields import (
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
from thg_connect_core._filter_parser import FilterSyntaxError, parse_filter
from thg_connect_core._filter_render import render

UTC = timezone.utc


class Status(str, enum.Enum):
    APPROVED = "APPROVED"
    NOT_APPROVED = "NOT_APPROVED"


class F:
    order_id: ClassVar[StringField] = StringField("orderId")
    sku: ClassVar[StringField] = StringField("sku")
    created_at: ClassVar[DateTimeField] = DateTimeField("createdAt")
    expiry: ClassVar[DateField] = DateField("expiryDate")
    quantity: ClassVar[IntField] = IntField("quantity")
    weight: ClassVar[NumberField] = NumberField("weightG")
    hazmat: ClassVar[BoolField] = BoolField("hazmat")
    status: ClassVar[EnumField[Status]] = EnumField[Status]("status")
    condition: ClassVar[EnumField[Literal["GOOD", "DAMAGED"]]] = EnumField[
        Literal["GOOD", "DAMAGED"]
    ]("condition")
    tracking_number: ClassVar[StringField] = StringField("tracking.number")


T1 = datetime(2024, 10, 15, 13, 45, tzinfo=UTC)
T2 = datetime(2024, 10, 15, 16, 45, tzinfo=UTC)


# --- the platform docs' examples -------------------------------------------------------------


def test_docs_simple_comparison() -> None:
    assert parse_filter("orderId='123456'") == (F.order_id == "123456")


def test_docs_conjunction_lowercase_and_uppercase() -> None:
    expected = (F.created_at > T1) & (F.order_id == "123456")
    assert parse_filter("createdAt>'2024-10-15T13:45:00' and orderId='123456'") == expected
    assert parse_filter("createdAt>'2024-10-15T13:45:00' AND orderId='123456'") == expected
    assert parse_filter("createdAt>'2024-10-15T13:45:00' And orderId='123456'") == expected
    assert render(expected) == "createdAt>'2024-10-15T13:45:00' and orderId='123456'"


def test_docs_typographic_quote_example() -> None:
    text = (
        "(createdAt>\u20192024-10-15T13:45:00\u2019 and createdAt<\u20192024-10-15T16:45:00\u2019)"
        " and orderId=\u2018123456\u2019"
    )
    tree = parse_filter(text)
    assert tree == And(
        (
            Comparison("createdAt", ">", T1),
            Comparison("createdAt", "<", T2),
            Comparison("orderId", "=", "123456"),
        )
    )
    # typographic quotes are never produced; redundant parentheses are dropped
    assert render(tree) == (
        "createdAt>'2024-10-15T13:45:00' and createdAt<'2024-10-15T16:45:00' and orderId='123456'"
    )


def test_docs_example_with_or_needs_parentheses() -> None:
    tree = ((F.created_at > T1) | (F.created_at < T2)) & (F.order_id == "123456")
    text = render(tree)
    assert text == (
        "(createdAt>'2024-10-15T13:45:00' or createdAt<'2024-10-15T16:45:00') and orderId='123456'"
    )
    assert parse_filter(text) == tree


# --- construction ----------------------------------------------------------------------------


def test_every_operator() -> None:
    assert render(F.quantity == 1) == "quantity=1"
    assert render(F.quantity != 1) == "quantity!=1"
    assert render(F.quantity > 1) == "quantity>1"
    assert render(F.quantity >= 1) == "quantity>=1"
    assert render(F.quantity < 1) == "quantity<1"
    assert render(F.quantity <= 1) == "quantity<=1"
    assert render(3 < F.quantity) == "quantity>3"  # reflected


def test_value_kinds_render() -> None:
    assert render(F.sku == "O'Brien") == "sku='O''Brien'"
    assert render(F.sku == "C:\\path\\") == "sku='C:\\path\\'"
    assert render(F.sku == "\u2019quoted\u2018") == "sku='\u2019quoted\u2018'"
    assert render(F.sku == "ünïcødé ✓") == "sku='ünïcødé ✓'"
    assert render(F.weight == -1.5) == "weightG=-1.5"
    assert render(F.weight == 1e16) == "weightG=1e+16"
    assert render(F.weight == 3) == "weightG=3"
    assert render(F.quantity == -7) == "quantity=-7"
    assert render(F.hazmat == True) == "hazmat=true"  # noqa: E712
    assert render(F.hazmat != False) == "hazmat!=false"  # noqa: E712
    assert render(F.sku == None) == "sku=null"  # noqa: E711
    assert render(F.sku.is_null()) == "sku=null"
    assert render(F.sku.is_not_null()) == "sku!=null"
    assert render(F.status == Status.APPROVED) == "status='APPROVED'"
    assert render(F.condition != "GOOD") == "condition!='GOOD'"
    assert render(F.tracking_number == "HZ1") == "tracking.number='HZ1'"


def test_datetimes_are_utc_at_second_precision() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert render(F.created_at > datetime(2024, 10, 15, 15, 45, tzinfo=plus_two)) == (
        "createdAt>'2024-10-15T13:45:00'"
    )
    assert render(F.created_at > datetime(2024, 10, 15, 13, 45)) == (
        "createdAt>'2024-10-15T13:45:00'"
    )
    # a format: date field compares dates (tests/sandbox/test_filters_dates.py)
    assert render(F.expiry >= date(2026, 2, 11)) == "expiryDate>='2026-02-11'"
    assert render(F.created_at < datetime(5, 1, 2, tzinfo=UTC)) == "createdAt<'0005-01-02T00:00:00'"
    with pytest.raises(ValueError, match="microseconds"):
        _ = F.created_at > datetime(2024, 1, 1, 0, 0, 0, 1, tzinfo=UTC)


def test_string_of_datetime_shape_is_a_datetime() -> None:
    assert (Field("createdAt") > "2024-10-15T13:45:00") == (F.created_at > T1)
    with pytest.raises(ValueError, match="not a valid date-time"):
        _ = Field("createdAt") > "2024-02-30T00:00:00"


def test_null_only_with_equality() -> None:
    with pytest.raises(ValueError, match="null"):
        Comparison("sku", ">", None)
    with pytest.raises(FilterSyntaxError) as info:
        parse_filter("sku>null")
    assert info.value.position == 4


def test_invalid_values_and_names() -> None:
    with pytest.raises(ValueError, match="finite"):
        _ = F.weight > float("nan")
    with pytest.raises(ValueError, match="finite"):
        _ = F.weight > float("inf")
    with pytest.raises(ValueError, match="keyword"):
        Field("null")
    with pytest.raises(ValueError, match="invalid filter field name"):
        Field("created-at")
    with pytest.raises(ValueError, match="invalid filter field name"):
        Field("a..b")
    with pytest.raises(ValueError, match="operator"):
        Comparison("sku", "==", "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="unsupported filter value type"):
        _ = Field("sku") == [1]


def test_typed_fields_check_values_at_runtime_too() -> None:
    with pytest.raises(TypeError, match="cannot be compared"):
        _ = F.created_at > 3  # type: ignore[operator]
    with pytest.raises(TypeError, match="cannot be compared"):
        _ = F.quantity == True  # noqa: E712
    with pytest.raises(TypeError, match="cannot be compared"):
        _ = F.sku == 3
    with pytest.raises(TypeError, match="not a field"):
        _ = F.sku == F.order_id  # type: ignore[operator]
    assert FloatField is NumberField


def test_python_and_or_and_chained_comparisons_are_refused() -> None:
    a, b = F.sku == "a", F.sku == "b"
    with pytest.raises(TypeError, match="no truth value"):
        a and b  # type: ignore[unreachable]  # noqa: B018
    with pytest.raises(TypeError, match="no truth value"):
        _ = 1 < F.quantity < 5  # noqa: B018
    with pytest.raises(TypeError, match="no truth value"):
        bool(F.sku)
    with pytest.raises(TypeError):
        hash(F.sku)
    with pytest.raises(TypeError, match="cannot combine"):
        a & True  # type: ignore[operator]


def test_and_or_flatten_and_compare_structurally() -> None:
    a, b, c = F.sku == "a", F.sku == "b", F.sku == "c"
    assert (a & b) & c == a & (b & c) == And((a, b, c))
    assert (a | b) | c == Or((a, b, c))
    assert (a & b) | c == Or((And((a, b)), c))
    assert hash((a & b) & c) == hash(And((a, b, c)))
    assert render(a | b & c) == "sku='a' or sku='b' and sku='c'"
    assert render((a | b) & c) == "(sku='a' or sku='b') and sku='c'"
    assert (
        render(a & (b | c) & (a | c)) == "sku='a' and (sku='b' or sku='c') and (sku='a' or sku='c')"
    )
    with pytest.raises(ValueError, match="two operands"):
        And((a,))
    assert list(iter_comparisons(a & (b | c))) == [a, b, c]


def test_equality_sees_value_types() -> None:
    assert Comparison("x", "=", 1) != Comparison("x", "=", True)
    assert Comparison("x", "=", 1) != Comparison("x", "=", 1.0)
    assert Comparison("x", "=", 1) == Comparison("x", "=", 1)
    assert Comparison("x", "=", "1") != Comparison("x", "=", 1)
    assert Comparison("x", "=", 1).path == ("x",)
    assert Comparison("a.b", "=", 1).path == ("a", "b")


# --- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a=1", "a=1"),
        ("  a = 1  ", "a=1"),
        ("a=01", "a=1"),
        ("a=1.50", "a=1.5"),
        ("a=1E3", "a=1000.0"),
        ("a=-2e-3", "a=-0.002"),
        ("a='x''y'", "a='x''y'"),
        ("a='back\\slash'", "a='back\\slash'"),
        ("a=\u2018it's\u2019", "a='it''s'"),
        ("a=TRUE and b=False OR c=NULL", "a=true and b=false or c=null"),
        ("((a=1))", "a=1"),
        ("(a=1 or b=2) and (c=3)", "(a=1 or b=2) and c=3"),
        ("a=1 or (b=2 and c=3)", "a=1 or b=2 and c=3"),
        ("a=1\tand\nb=2", "a=1 and b=2"),
        ("tracking . number='x'", "tracking.number='x'"),
        ("a='line\nbreak'", "a='line\nbreak'"),
        ("a=1and b=2", "a=1 and b=2"),
        ("a=''", "a=''"),
    ],
)
def test_parse_normalises(text: str, expected: str) -> None:
    assert render(parse_filter(text)) == expected


@pytest.mark.parametrize(
    ("text", "position", "expected", "found"),
    [
        ("", 0, 'a field name or "("', "end of input"),
        ("createdAt an x", 10, "a comparison operator", '"an"'),
        ("orderId='123456' an x=1", 17, '"and", "or"', '"an"'),
        ("a=", 2, "a value", "end of input"),
        ("a=b", 2, "a value", '"b"'),
        ("a==1", 2, "a value", '"="'),
        ("a!1", 2, '"=" after "!"', '"1"'),
        ("a='x", 4, "a closing quote", "end of input"),
        ("a=\u2019x", 4, "a closing quote", "end of input"),
        ("(a=1", 4, '"and", "or" or ")"', "end of input"),
        ("a=1)", 3, "has no matching", '")"'),
        ("a=1 and", 7, 'a field name or "("', "end of input"),
        ("and=1", 0, 'a field name or "("', '"and"'),
        ("a.=1", 2, 'a field name after "."', '"="'),
        ("a=1.", 4, 'a digit after "."', "end of input"),
        ("a=-x", 3, 'a digit after "-"', '"x"'),
        ("a=1e", 4, "a digit in the exponent", "end of input"),
        ("a=1e999", 2, "a finite number", '"1e999"'),
        ("a=#", 2, "a value", '"#"'),
        ("a='2024-13-01T00:00:00'", 2, "a valid date-time", "'2024-13-01T00:00:00'"),
    ],
)
def test_syntax_errors_say_where_what_and_why(
    text: str, position: int, expected: str, found: str
) -> None:
    with pytest.raises(FilterSyntaxError) as info:
        parse_filter(text)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.position == position
    assert expected in error.expected
    assert found in error.found
    assert str(error).startswith(f"at position {position}: expected ")
    assert error.text == text


def test_error_message_format() -> None:
    with pytest.raises(FilterSyntaxError) as info:
        parse_filter("createdAt an x")
    assert str(info.value) == (
        'at position 10: expected a comparison operator (=, !=, >, >=, <, <=), found "an"'
    )


def test_deep_nesting_is_a_syntax_error_not_a_recursion_error() -> None:
    with pytest.raises(FilterSyntaxError, match="nested"):
        parse_filter("(" * 10_000 + "a=1" + ")" * 10_000)
    assert render(parse_filter("(" * 64 + "a=1" + ")" * 64)) == "a=1"


def test_huge_numbers() -> None:
    assert parse_filter("a=" + "9" * 3000) == Comparison("a", "=", int("9" * 3000))
    with pytest.raises(FilterSyntaxError, match="at most 4000"):
        parse_filter("a=" + "9" * 5000)
    with pytest.raises(ValueError, match="too large"):
        Comparison("a", "=", 10**5000)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse_filter(b"a=1")  # type: ignore[arg-type]
