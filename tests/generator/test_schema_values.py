"""THG027 and the schema checks of issue 12, beyond the corpus: what passes and where they look."""

from __future__ import annotations

from pathlib import Path

import pytest

from thg_spec.validation import validate_paths

from .broken_specs import VALID

NAME = "        name: {type: string, minLength: 1}\n"


def _problems(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    text = VALID.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    return [d.format() for d in validate_paths([path])[1]]


@pytest.mark.parametrize(
    "field",
    [
        "answer: {type: [string, 'null'], enum: [A, B, null]}",
        "answer: {type: boolean, enum: [true, false]}",
        "answer: {enum: [true, false]}",
        "answer: {type: [string, integer], enum: [A, 1]}",
        "answer: {type: string, enum: ['YES', 'NO', 'on', 'off', 'null']}",
        "answer: {type: string, const: 'YES'}",
        "answer: {type: string, pattern: '^[a-z]+?$'}",
        "answer: {type: string, example: {pattern: 'a++'}}",
    ],
)
def test_what_the_client_can_hold_passes(tmp_path: Path, field: str) -> None:
    assert _problems(tmp_path, (NAME, NAME + "        " + field + "\n")) == []


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("answer: {enum: [yes, 'no', maybe]}", "yes loads as true"),
        ("answer: {type: string, const: on}", "on loads as true"),
        ("answer: {type: string, enum: [A, 1.5]}", "1.5 is a number where the schema says string"),
        ("answer: {type: string, enum: [A, [B]]}", "Write it as a string"),
        ("answer: {type: string, pattern: 'a{2,3}+'}", "possessive quantifier '{2,3}+'"),
        ("answer: {type: array, items: {type: string, pattern: 'a*+'}}", "/items/pattern"),
    ],
)
def test_what_it_cannot_is_located(tmp_path: Path, field: str, says: str) -> None:
    problems = _problems(tmp_path, (NAME, NAME + "        " + field + "\n"))
    assert len(problems) == 1 and says in problems[0] and "[THG027]" in problems[0], problems


def test_parameters_and_inline_bodies_are_checked_too(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        (
            "Filter: {name: filter, in: query, schema: {type: string}}",
            "Filter: {name: filter, in: query, schema: {type: string, pattern: '(?>x)'}}",
        ),
        (
            "properties: {client_id: {type: string}, client_secret: {type: string}}",
            "properties: {client_id: {type: string, x-thg-reference-to: 'mini:widget'},"
            " client_secret: {type: string}}",
        ),
    )
    assert [p.split(" ")[1] for p in problems] == [
        "/components/parameters/Filter/schema/pattern:",
        "/components/schemas/TokenRequest/properties/client_id/x-thg-reference-to:",
    ]


@pytest.mark.parametrize(
    "schema",
    ["{type: array, items: {type: string}}", "{type: [object, 'null']}", "{description: x}"],
)
def test_an_entity_schema_must_be_an_object(tmp_path: Path, schema: str) -> None:
    problems = _problems(
        tmp_path,
        ("schema: '#/components/schemas/Widget'}", "schema: '#/components/schemas/Odd'}"),
        ("  schemas:\n", f"  schemas:\n    Odd: {schema}\n"),
    )
    assert [p for p in problems if "[THG021]" in p and "not an object" in p], problems


def test_an_inline_state_schema_cannot_be_mapped(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        (
            "        - $ref: '#/components/schemas/CheckFailed'\n",
            "        - $ref: '#/components/schemas/CheckFailed'\n"
            "        - {type: object, properties: {state: {const: LOST}}}\n",
        ),
    )
    assert len(problems) == 1 and "/components/schemas/Check/oneOf/2: this state schema is" in (
        problems[0]
    )


def test_an_invalid_pattern_is_reported_once(tmp_path: Path) -> None:
    # OpenAPI's `format: regex` check (THG003) reports it; THG027 only adds what 3.9 lacks.
    problems = _problems(tmp_path, (NAME, NAME + "        answer: {type: string, pattern: '(a'}\n"))
    assert len(problems) == 1 and "/properties/answer/pattern:" in problems[0], problems
