"""The typed fields reject wrong value types statically: mypy runs over two small snippets."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

PRELUDE = """
from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from typing import ClassVar, Literal, Optional, Union

from thg_connect_core._filter_ast import FilterExpr
from thg_connect_core._filter_fields import (
    BoolField, DateTimeField, EnumField, IntField, NumberField, StringField,
)


class Status(str, enum.Enum):
    APPROVED = "APPROVED"


class F:
    sku: ClassVar[StringField] = StringField("sku")
    created_at: ClassVar[DateTimeField] = DateTimeField("createdAt")
    quantity: ClassVar[IntField] = IntField("quantity")
    weight: ClassVar[NumberField] = NumberField("weightG")
    hazmat: ClassVar[BoolField] = BoolField("hazmat")
    status: ClassVar[EnumField[Status]] = EnumField[Status]("status")
    condition: ClassVar[EnumField[Literal["GOOD", "DAMAGED"]]] = EnumField[
        Literal["GOOD", "DAMAGED"]
    ]("condition")


def list_items(filter: Optional[Union[FilterExpr, str]] = None) -> None: ...
"""

CORRECT = """
now = datetime.now(timezone.utc)
list_items(filter=(F.created_at > now) & (F.sku == "SKU-1"))
list_items(filter=(F.created_at >= date(2024, 1, 1)) | (F.quantity < 3) & (F.weight <= 1))
list_items(filter=(F.weight > 1.5) & (F.hazmat == True) & (F.status != Status.APPROVED))
list_items(filter=(F.condition == "GOOD") & (F.sku == None) & F.sku.is_not_null())
list_items(filter=3 < F.quantity)
list_items(filter="sku='raw'")
"""

# Each line must produce at least one error, on that line. (Python's `and`/`or` between
# expressions cannot be caught statically; __bool__ refuses it at run time.)
INCORRECT = """
list_items(filter=F.created_at > 3)
list_items(filter=F.created_at > "2024-10-15T13:45:00")
list_items(filter=F.quantity > "3")
list_items(filter=F.weight < "1")
list_items(filter=F.hazmat > True)
list_items(filter=F.status > Status.APPROVED)
list_items(filter=F.sku > None)
list_items(filter=F.sku == 3)
list_items(filter=F.condition == "BROKEN")
list_items(filter=F.skew == "x")
list_items(filter=(F.sku == "a") & 3)
"""


def _run_mypy(tmp_path: Path, name: str, body: str) -> tuple[str, int]:
    source = tmp_path / f"{name}.py"
    source.write_text(textwrap.dedent(PRELUDE) + textwrap.dedent(body), encoding="utf-8")
    stdout, stderr, status = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), str(source)]
    )
    return stdout + stderr, status


def test_correct_usage_type_checks(tmp_path: Path) -> None:
    output, status = _run_mypy(tmp_path, "correct", CORRECT)
    assert status == 0, output


def test_incorrect_usage_is_rejected_line_by_line(tmp_path: Path) -> None:
    output, status = _run_mypy(tmp_path, "incorrect", INCORRECT)
    assert status == 1, output
    first = textwrap.dedent(PRELUDE).count("\n") + 1
    wanted = set(range(first + 1, first + 1 + INCORRECT.strip().count("\n") + 1))
    flagged = {int(n) for n in re.findall(r"incorrect\.py:(\d+): error", output)}
    assert wanted - flagged == set(), output
