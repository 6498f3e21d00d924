"""Hints name a fix the next run accepts: never the name just rejected, never an empty list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from thg_spec.diagnostics import Diagnostic
from thg_spec.validation import validate_paths

from .broken_specs import VALID


def _diagnostics(tmp_path: Path, name: str, *edits: tuple[str, str]) -> list[Diagnostic]:
    text = VALID.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return validate_paths([path])[1]


def _rejected_names(message: str) -> set[str]:
    return set(re.findall(r"'([^']+)'", message))


def _assert_no_hint_repeats_its_name(problems: list[Diagnostic]) -> None:
    assert problems
    for d in problems:
        for name in _rejected_names(d.message):
            assert not re.search(rf"(?:it|to|:) {re.escape(name)}(?:\W|$)", d.hint), d.format()
        assert not re.search(r"Allowed here: *\.?$", d.hint), d.format()


@pytest.mark.parametrize(
    ("edit", "hint"),
    [
        (("x-thg-action: archive", "x-thg-action: Archive-Now"), "Name it archiveNow"),
        (("x-thg-action: archive", "x-thg-action: 9lives"), "such as poll or confirm"),
        (("x-thg-product: mini", "x-thg-product: Mini"), "Write it in kebab case: mini"),
        (("x-thg-product: mini", "x-thg-product: 9-mini"), "starting with a letter"),
        (("PASSED: '#/components", "Passed: '#/components"), "Write it PASSED"),
        (("PASSED: '#/components", "1ST: '#/components"), "Write states like NOT_APPROVED"),
    ],
)
def test_hints_propose_another_name_or_none(
    tmp_path: Path, edit: tuple[str, str], hint: str
) -> None:
    problems = _diagnostics(tmp_path, "mini.yaml", edit)
    assert any(hint in d.hint for d in problems), [d.format() for d in problems]
    _assert_no_hint_repeats_its_name(problems)


@pytest.mark.parametrize(
    ("file", "hint"),
    [
        ("mini.yaml", "Add 'x-thg-product: mini' (the product name, as in its paths)"),
        ("Mini_Spec.yaml", "Add 'x-thg-product: mini-spec' and rename the file to mini-spec.yaml"),
        (
            "9.yaml",
            "Add 'x-thg-product: <product>' (kebab case, as in its paths) and name the file "
            "<product>.yaml",
        ),
    ],
)
def test_a_missing_product_is_named_after_the_file_only_if_that_name_is_valid(
    tmp_path: Path, file: str, hint: str
) -> None:
    problems = _diagnostics(tmp_path, file, ("  x-thg-product: mini\n", ""))
    assert [d.hint for d in problems if d.rule == "THG001"] == [hint]


def test_mismatched_file_name_is_offered_only_when_it_is_a_valid_product(tmp_path: Path) -> None:
    problems = _diagnostics(tmp_path, "Mini_Spec.yaml")
    assert [d.hint for d in problems if d.rule == "THG001"] == ["Rename the file to mini.yaml"]
    problems = _diagnostics(tmp_path, "maxi.yaml")
    assert [d.hint for d in problems if d.rule == "THG001"] == [
        "Rename the file to mini.yaml or the product to maxi"
    ]


def test_a_status_item_path_says_no_operation_is_allowed(tmp_path: Path) -> None:
    block = "  /api/mini/v1/{owner}/widget/{widgetId}/archive:\n"
    item = (
        "  /api/mini/v1/{owner}/widget/{widgetId}/check/{checkId}:\n"
        "    get:\n      operationId: getCheckById\n      summary: S\n      description: D\n"
        "      responses:\n        '404': {$ref: '#/components/responses/Error'}\n"
    )
    problems = _diagnostics(tmp_path, "mini.yaml", (block, item + block))
    hints = [d.hint for d in problems if d.rule == "THG022"]
    assert hints == ["No operation is allowed on this path (CONVENTIONS §3)"]
    _assert_no_hint_repeats_its_name(problems)


def test_an_unknown_kind_is_one_problem_not_one_per_operation(tmp_path: Path) -> None:
    problems = _diagnostics(
        tmp_path, "mini.yaml", ("name: widget, kind: entity,", "name: widget, kind: thing,")
    )
    assert [d.rule for d in problems] == ["THG021"], [d.format() for d in problems]
