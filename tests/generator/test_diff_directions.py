"""The direction rule as a table: which changes break readers, which break writers.

Narrowing (required, non-nullable, tighter, narrower type) breaks whoever sends the value;
widening breaks whoever reads it; enum values added never break, removed always do.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from thg_codegen.diff.fields import compare_field
from thg_codegen.diff.nodes import READ, WRITE, FieldNode, Location
from thg_codegen.diff.shapes import FieldShape

R, W, RW = frozenset({READ}), frozenset({WRITE}), frozenset({READ, WRITE})
AT = Location("mini", schema="Widget", field="size")
BASE = FieldShape(
    types=("number",),
    nullable=False,
    enum=('"S"', '"M"'),
    constraints=(("maxLength", 10), ("maximum", (100, False))),
)


def _node(directions: frozenset[str], required: bool = False, **shape: object) -> FieldNode:
    return FieldNode(
        location=AT,
        parent=None,
        shape=replace(BASE, **shape),  # type: ignore[arg-type]
        required=required,
        directions=directions,
    )


# (change, old node args, new node args, kind, breaks readers, breaks writers)
Rule = tuple[str, dict[str, object], dict[str, object], str, bool, bool]
RULES: list[Rule] = [
    ("required", {}, {"required": True}, "field-became-required", False, True),
    ("optional", {"required": True}, {}, "field-became-optional", True, False),
    ("nullable", {}, {"nullable": True}, "field-became-nullable", True, False),
    ("non-nullable", {"nullable": True}, {}, "field-became-non-nullable", False, True),
    ("narrowed", {}, {"types": ("integer",)}, "type-narrowed", False, True),
    ("widened", {}, {"types": ("number", "string")}, "type-widened", True, False),
    ("changed", {}, {"types": ("string",)}, "type-changed", True, True),
    (
        "tightened",
        {},
        {"constraints": (("maxLength", 5), ("maximum", (100, False)))},
        "constraint-tightened",
        False,
        True,
    ),
    (
        "exclusive",
        {},
        {"constraints": (("maxLength", 10), ("maximum", (100, True)))},
        "constraint-tightened",
        False,
        True,
    ),
    ("loosened", {}, {"constraints": (("maxLength", 10),)}, "constraint-loosened", True, False),
    (
        "pattern",
        {"constraints": (("pattern", "^a"),)},
        {"constraints": (("pattern", "^b"),)},
        "constraint-changed",
        True,
        True,
    ),
    ("enum-added", {}, {"enum": ('"L"', '"M"', '"S"')}, "enum-value-added", False, False),
    ("enum-removed", {}, {"enum": ('"S"',)}, "enum-value-removed", True, True),
    ("enum-dropped", {}, {"enum": None}, "constraint-loosened", True, False),
    ("format-email", {}, {"format": "email"}, "constraint-tightened", False, True),
    ("format-typed", {}, {"format": "date-time"}, "type-changed", True, True),
]


@pytest.mark.parametrize("directions", [R, W, RW], ids=["response", "request", "both"])
@pytest.mark.parametrize("rule", RULES, ids=[r[0] for r in RULES])
def test_direction_rule(rule: Rule, directions: frozenset[str]) -> None:
    _, old_args, new_args, kind, breaks_readers, breaks_writers = rule
    old = _node(directions, **old_args)  # type: ignore[arg-type]
    new = _node(directions, **new_args)  # type: ignore[arg-type]
    (change,) = compare_field(old, new)
    assert change.kind == kind
    breaking = (breaks_readers and READ in directions) or (breaks_writers and WRITE in directions)
    assert change.category == ("breaking" if breaking else "non-breaking"), change.reason
    assert bool(change.action) == breaking


def test_docs_only_is_docs() -> None:
    old = _node(RW)
    new = replace(old, shape=replace(BASE, docs=(("description", "The size."),)))
    (change,) = compare_field(old, new)
    assert (change.category, change.kind) == ("docs", "docs-changed")


def test_direction_lost_is_breaking_and_gained_is_not() -> None:
    (lost,) = compare_field(_node(RW), _node(R))
    assert (lost.category, lost.kind) == ("breaking", "field-no-longer-accepted")
    (gained,) = compare_field(_node(R), _node(RW))
    assert (gained.category, gained.kind) == ("non-breaking", "field-now-accepted")
