"""The load stage: plain data out, a position for every value, hostile YAML refused."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from thg_spec import loader
from thg_spec import pointer as jp
from thg_spec.loader import _int_digit_limit, load_spec

# YAML itself folds some control characters (NEL, lone surrogates): not the loader's business.
_printable = st.characters(blacklist_categories=("Cc", "Cs"))
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.text(_printable, max_size=20),
)
_keys = st.text(_printable, min_size=1, max_size=12)
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=25,
)


def _pointers(value: Any, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _pointers(item, jp.child(pointer, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _pointers(item, jp.child(pointer, i))
    return found


@settings(max_examples=150, deadline=None)
@given(_documents)
def test_round_trip_and_every_value_located(tmp_path_factory: Any, document: Any) -> None:
    path = Path(tmp_path_factory.mktemp("load")) / "doc.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    spec, problems = load_spec(path)
    assert problems == []
    assert spec.data == document
    for pointer in _pointers(document):
        assert pointer in spec.positions


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), st.integers(0, 99)), max_size=6))
def test_pointer_join_split_round_trip(tokens: list[Any]) -> None:
    assert jp.split(jp.join(*tokens)) == [str(t) for t in tokens]


def test_positions_are_one_based_lines_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a:\n  b: [1, {c: 2}]\n", encoding="utf-8")
    spec, problems = load_spec(path)
    assert problems == []
    # A mapping member is located at its key: that is the line an author edits.
    assert (spec.positions["/a/b/1/c"].line, spec.positions["/a/b/1/c"].column) == (2, 11)
    assert (spec.positions["/a/b/1"].line, spec.positions["/a/b/1"].column) == (2, 10)


def test_unquoted_dates_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("example: 2026-02-11T00:00:00+00:00\n", encoding="utf-8")
    spec, problems = load_spec(path)
    assert problems == [] and spec.data == {"example": "2026-02-11T00:00:00+00:00"}


def test_unreadable_file_is_a_diagnostic(tmp_path: Path) -> None:
    spec, problems = load_spec(tmp_path / "missing.yaml")
    assert [p.rule for p in problems] == ["THG000"]
    assert "cannot read" in problems[0].message


def test_too_deep_nesting_is_one_located_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("openapi: 3.1.0\nx: " + "[" * 3000 + "]" * 3000 + "\n")
    _, problems = load_spec(path)
    assert [(p.rule, p.line) for p in problems] == [("THG000", 2)]
    assert "nest more than 100 levels" in problems[0].message

    fine = tmp_path / "fine.yaml"
    fine.write_text("openapi: 3.1.0\nx: " + "[" * 99 + "]" * 99 + "\n")
    spec, problems = load_spec(fine)
    assert problems == []
    depth, value = 0, spec.data["x"]
    while value:
        depth, value = depth + 1, value[0]
    assert depth == 98


def test_an_integer_python_cannot_convert_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("openapi: 3.1.0\nx: " + "9" * 5000 + "\n")
    _, problems = load_spec(path)
    assert [(p.rule, p.pointer) for p in problems] == [("THG000", "/x")]
    assert "digits cannot be read" in problems[0].message


def test_the_digit_limit_is_none_where_python_has_no_getter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Python 3.9.0-3.9.13 and 3.10.0-3.10.6 have no limit and no getter: the loader still runs.
    assert _int_digit_limit() == sys.get_int_max_str_digits()
    path = tmp_path / "tagged.yaml"
    path.write_text("x: !!int " + "9" * 5000 + "\n", encoding="utf-8")
    monkeypatch.delattr(sys, "get_int_max_str_digits")
    assert _int_digit_limit() == 0
    # (this interpreter still refuses the digits: without a known limit it is a tag problem)
    _, problems = load_spec(path)
    assert [(p.rule, p.pointer) for p in problems] == [("THG000", "/x")]
    assert "cannot be read as the YAML tag !!int says" in problems[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x: !!int\n", "'' cannot be read as the YAML tag !!int says"),
        ("x: !!int abc\n", "'abc' cannot be read as the YAML tag !!int says"),
        ("x: !!float one\n", "'one' cannot be read as the YAML tag !!float says"),
    ],
)
def test_a_tagged_value_that_is_not_of_its_tag_is_a_diagnostic(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text(text, encoding="utf-8")
    spec, problems = load_spec(path)  # once a traceback (IndexError) or a wrong "digits" message
    assert [(p.rule, p.pointer, p.line, p.message) for p in problems] == [
        ("THG000", "/x", 1, expected)
    ]


def _token_at(text: str, position: Any) -> str:
    return text.splitlines()[position.line - 1][position.column - 1 :]


@settings(max_examples=150, deadline=None)
@given(_documents, st.sampled_from([None, 1, 2, "\t"]))
def test_json_round_trip_and_every_value_located(
    tmp_path_factory: Any, document: Any, indent: Any
) -> None:
    path = Path(tmp_path_factory.mktemp("load")) / "doc.json"
    text = json.dumps(document, indent=indent, ensure_ascii=indent is None)
    path.write_text(text, encoding="utf-8")
    spec, problems = load_spec(path)
    assert problems == []
    assert spec.data == document
    for pointer in _pointers(document):
        token = _token_at(text, spec.positions[pointer])
        parent, _, last = pointer.rpartition("/")
        container = spec.data
        for part in jp.split(parent):
            container = container[int(part)] if isinstance(container, list) else container[part]
        if isinstance(container, dict) and pointer:
            # A mapping member is located at its key.
            key = jp.unescape(last)
            assert token.startswith(json.dumps(key, ensure_ascii=indent is None)), pointer
        else:
            value = spec.data if not pointer else container[int(last)]
            assert token[0] == json.dumps(value)[0], pointer


@settings(max_examples=150, deadline=None)
@given(_documents)
def test_yaml_keys_are_located_on_their_line(tmp_path_factory: Any, document: Any) -> None:
    path = Path(tmp_path_factory.mktemp("load")) / "doc.yaml"
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=False, width=10**6)
    path.write_text(text, encoding="utf-8")
    spec, problems = load_spec(path)
    assert problems == []
    for pointer in _pointers(document):
        position = spec.positions[pointer]
        assert 1 <= position.line <= len(text.splitlines()) or not text.strip()
        key = jp.split(pointer)[-1] if pointer else ""
        parent = spec.data
        for part in jp.split(pointer)[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        if isinstance(parent, dict) and pointer:
            token = _token_at(text, position)
            plain = yaml.safe_dump(key, allow_unicode=True, width=10**6).split("\n...")[0]
            spelled = plain.rstrip("\n")
            assert token.startswith(spelled) or token.startswith("? "), (pointer, token)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["doc.yaml", "doc.json"]))
def test_any_text_loads_or_is_one_located_diagnostic(
    tmp_path_factory: Any, text: str, name: str
) -> None:
    path = Path(tmp_path_factory.mktemp("load")) / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    spec, problems = load_spec(path)  # never raises
    for problem in problems:
        assert problem.rule == "THG000" and problem.line >= 1 and problem.column >= 1
    if name.endswith(".json") and not problems:
        assert spec.data == json.loads(text)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 250), st.sampled_from("[{"), st.sampled_from(["doc.yaml", "doc.json"]))
def test_nesting_is_refused_exactly_past_the_limit(
    tmp_path_factory: Any, depth: int, bracket: str, name: str
) -> None:
    path = Path(tmp_path_factory.mktemp("load")) / name
    opening = '{"x": ' if bracket == "{" else "["
    closing = "}" if bracket == "{" else "]"
    path.write_text(opening * depth + "1" + closing * depth, encoding="utf-8")
    _, problems = load_spec(path)
    # The root is level 0: a collection `depth` brackets in is at level depth - 1.
    assert [p.message for p in problems] == (
        ["mappings and lists nest more than 100 levels deep here"] if depth - 1 > 100 else []
    )


def _full_composer(spec: Any) -> tuple[Any, list[Any]]:
    """What the full composer (the one that places every value) makes of `spec`'s text."""
    twin = loader.LoadedSpec(spec.path, spec.display_name, None, {}, spec.text)
    problems = loader._load_full(twin)
    return twin.data, problems


_yaml_styles = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([False, True, None]),
        "default_style": st.sampled_from([None, '"', "'"]),
        "width": st.sampled_from([10, 80, 10**6]),
    }
)


@settings(max_examples=200, deadline=None)
@given(_documents, _yaml_styles)
def test_plain_documents_load_as_the_full_composer_loads_them(
    tmp_path_factory: Any, document: Any, style: dict[str, Any]
) -> None:
    path = Path(tmp_path_factory.mktemp("load")) / "doc.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, **style), encoding="utf-8")
    spec, problems = load_spec(path)
    assert problems == []
    assert spec._positions is None  # the source map waits until a diagnostic needs it
    assert _full_composer(spec) == (document, [])
    assert spec.data == document


# Fragments that every YAML feature the one-loop reader hands over to the full composer.
_yaml_bits = st.sampled_from(
    [
        "a",
        "b",
        ": ",
        ":",
        "- ",
        "\n",
        "  ",
        "{",
        "}",
        "[",
        "]",
        ", ",
        "&x ",
        "*x",
        "!!str ",
        "!!int ",
        "!t ",
        "? ",
        "'q'",
        '"d"',
        "1",
        "1e5",
        "0x1F",
        "yes",
        "~",
        "2024-01-01",
        "|\n  t\n",
        "---\n",
        "...\n",
        "#c\n",
        "9" * 30,
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_yaml_bits, max_size=30).map("".join))
def test_any_yaml_loads_as_the_full_composer_loads_it(tmp_path_factory: Any, text: str) -> None:
    path = Path(tmp_path_factory.mktemp("load")) / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    spec, problems = load_spec(path)
    data, full_problems = _full_composer(spec)
    assert (spec.data, problems) == (data, full_problems)


def test_the_source_map_is_built_on_first_use_and_matches_a_full_load(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text("a:\n  b: [1, {c: x}]\n'200': ok\n", encoding="utf-8")
    spec, problems = load_spec(path)
    assert problems == [] and spec._positions is None
    assert spec.position("/a/b/1/c") == loader.Position(2, 11)  # at its key
    twin = loader.LoadedSpec(spec.path, spec.display_name, None, {}, spec.text)
    loader._load_full(twin)
    assert spec.positions == twin.positions and "/200" in spec.positions


@settings(max_examples=200, deadline=None)
@given(_documents, st.sampled_from([None, 0, 2, "\t"]), st.booleans())
def test_json_documents_load_as_the_full_reader_loads_them(
    tmp_path_factory: Any, document: Any, indent: Any, ascii_only: bool
) -> None:
    path = Path(tmp_path_factory.mktemp("load")) / "doc.json"
    path.write_text(json.dumps(document, indent=indent, ensure_ascii=ascii_only), encoding="utf-8")
    spec, problems = load_spec(path)
    assert problems == [] and spec.data == document
    assert spec._positions is None
    assert _full_composer(spec) == (document, [])


_json_bits = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        ' "a"',
        '"b"',
        '"\\"}["',
        '"\\u00e9"',
        "1",
        "-0.5e3",
        "9" * 5000,
        "NaN",
        "Infinity",
        "true",
        "null",
        "\ufeff",
        " ",
        "\n",
        "[" * 60,
        "]" * 60,
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_json_bits, max_size=30).map("".join))
def test_any_json_loads_as_the_full_reader_loads_it(tmp_path_factory: Any, text: str) -> None:
    path = Path(tmp_path_factory.mktemp("load")) / "doc.json"
    path.write_text(text, encoding="utf-8")
    spec, problems = load_spec(path)
    data, full_problems = _full_composer(spec)
    assert (spec.data, problems) == (data, full_problems)
