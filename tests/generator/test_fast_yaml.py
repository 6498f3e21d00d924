"""The fast load path means what the slow (reference) path means, or leaves the document to it."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from thg_spec.fast_yaml import load_plain_mapping
from thg_spec.loader import LoadedSpec, load_reference, load_spec

ROOT = Path(__file__).resolve().parents[2]
SYNTH_SCRIPT = ROOT / "bench" / "synthetic_specs.py"


def _reference(text: str) -> tuple[Any, bool]:
    """The slow path's data for `text` and whether it loaded without a problem."""
    spec, problems = load_reference(LoadedSpec(Path("doc.yaml"), "doc.yaml", None, text=text))
    return spec.data, not problems


def _typed(value: Any) -> Any:
    """`value` with every scalar's type spelt out: True == 1 and 1 == 1.0 must not pass."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _assert_fast_means_slow(text: str) -> bool:
    """Fast either declines or returns the slow path's data exactly; True when it handled it."""
    fast = load_plain_mapping(text)
    if fast is None:
        return False
    slow, ok = _reference(text)
    assert ok, f"fast path accepted what the slow path refuses: {text!r}"
    assert _typed(fast) == _typed(slow), text
    return True


# Text that means something to YAML 1.1 or 1.2 when written plainly.
_SPECIAL = [
    "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "NULL", "true", "False", "0x1F",
    "0o17", "017", "0b101", "1_000", "1e3", "1.0e+3", "-.5", ".inf", "-.Inf", ".NaN", "+1", "1.",
    "190:20:30", "2024-01-01", "2024-01-01T10:00:00Z", "<<", "=", "#", "# x", ": ", "a: b", "-",
    "- x", "?", "? x", "@x", "`x", "%x", "!x", "&x", "*x", "|", ">", "[a]", "{a: b}", "a,b",
    "a?b", "'", '"', "''", "\\", "\\n", "a\nb", "a\n\nb", " lead", "trail ", "", "é✓", "😀",
    "http://x/y?z=1", "a#b", "a #b", "---", "...", "1:2", "12:30", "0", "-0", "+0.5e-3",
]  # fmt: skip
_text = st.one_of(
    st.sampled_from(_SPECIAL),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.text("ab :#-?,[]{}'\"\\\n", max_size=8),
)
_scalars = st.one_of(
    _text,  # twice: quoted styles tag every other scalar (!!int "1"), which the fast path declines
    _text,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    _text,
)
_documents = st.dictionaries(
    _text,
    st.recursive(
        _scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(_text, inner, max_size=4)
        ),
        max_leaves=20,
    ),
    min_size=1,
    max_size=5,
)
_dump_options = st.fixed_dictionaries(
    {
        "default_style": st.sampled_from([None, '"', "'", "|", ">"]),
        "default_flow_style": st.sampled_from([True, False, None]),
        "width": st.sampled_from([8, 20, 80, 10_000]),
        "indent": st.sampled_from([2, 4, 7]),
        "allow_unicode": st.booleans(),
    }
)


# A few seconds in CI; soak by hand with THG_FAST_YAML_EXAMPLES=20000.
@settings(max_examples=int(os.environ.get("THG_FAST_YAML_EXAMPLES", "300")), deadline=None)
@given(_documents, _dump_options)
def test_fast_path_means_the_slow_path_on_dumped_data(
    document: dict[str, Any], options: dict[str, Any]
) -> None:
    _assert_fast_means_slow(yaml.safe_dump(document, **options))


# Single-character edits of a dumped document: hand-written YAML goes where no dumper does.
_edits = st.lists(
    st.tuples(
        st.floats(0, 1), st.sampled_from(list(" \n:-?#'\"[]{},|>&*!%@`\\ab0.~")), st.booleans()
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=int(os.environ.get("THG_FAST_YAML_EXAMPLES", "300")), deadline=None)
@given(_documents, _dump_options, _edits)
def test_fast_path_means_the_slow_path_on_edited_text(
    document: dict[str, Any], options: dict[str, Any], edits: list[tuple[float, str, bool]]
) -> None:
    text = yaml.safe_dump(document, **options)
    for where, char, insert in edits:
        at = int(where * len(text))
        text = text[:at] + char + text[at + (0 if insert else 1) :]
    _assert_fast_means_slow(text)


# Hand-written documents the fast path must handle, each compared with the slow path.
HANDLED = {
    "bools": "a: yes\nb: on\nc: true\nd: True\ne: 'yes'\nf: n\n",
    "numbers": "a: 1e3\nb: 1.0e+3\nc: 012\nd: 0x1F\ne: 1_000\nf: .inf\ng: -.5\nh: 1.\ni: +1\n"
    "j: 007\nk: 1.5\nl: 190:20:30\nm: 0b101\n",
    "nulls": "a: ~\nb: null\nc:\nd: Null\ne: ''\n",
    "keys": "200: x\nyes: y\n1.5: z\n~: n\n'quoted': q\n\"dq\\tkey\": d\n",
    "block": "a: |\n  line1\n  line2\n\nb: >-\n  folded\n  text\n\n  para\nc: |+\n  keep\n\n"
    "d: |2\n    indented\ne: >\n  x\n\n\n  y\n",
    "escapes": 'a: "tab\\there \\u00e9 \\x41 \\"q\\" \\\\"\nb: \'it\'\'s\'\nc: "multi\n  line"\n'
    'd: "\\U0001F600 \\N \\_ \\L \\P \\0 \\/"\n',
    "dates": "a: 2024-01-01\nb: 2024-01-01T10:00:00Z\nc: 2024-01-01 10:00:00.5 +01:00\n",
    "unicode": 'a: héllo ✓\nb: "\\U0001F600"\nc: 😀\n',
    "flow": "{a: 1, b: [x, {c: d}], e: [], f: {}, g: [yes, ~, '1', 0x10]}\n",
    "comments": "# top\na: b # c\nd: 'e # f'\ng: h#i\n",
    "colons": "a: b:c\nd: http://x\ne: 12:30\n",
    "plain folding": "a: one\n  two\n\n  three\nb: [one\n  two, x]\n",
    "quoted and flow entries": "a:\n  - 'x' # c\n  - 'it''s' \n  - \"q\\\"\" #c\n"
    "  - [a, 'b', {c: \"d]\"}] # x\n  - 'k': v\n  - {a: 1}\n  - [it's, b]\n",
    "nesting": "a:\n  - b: 1\n    c:\n      - - x\n        - y\n  -\n  - z\n",
}

# Documents the fast path must leave to the slow path (which words the problem or decides).
DECLINED = {
    "duplicate key": "a: 1\na: 2\n",
    "anchor and alias": "a: &x {b: 1}\nc: *x\n",
    "merge key": "a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n",
    "bare merge key": "<<: {b: 1}\n",
    "value key": "a: =\n",
    "tags": "a: !!str 12\nb: !custom x\n",
    "unclosed flow": "a: [1, 2\nb: 3\n",
    "bad indentation": "a:\n  - x\n b: y\n",
    "tab": "a:\tb\n",
    "carriage return": "a: b\r\nc: d\r\n",
    "byte order mark": "\ufeffa: b\n",
    "NEL": "a: b\x85c\n",
    "line separator": "a: b\u2028c\n",
    "non-printable": "a: b\x07c\n",
    "empty": "",
    "comment only": "# nothing\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "explicit document": "---\na: 1\n",
    "directive": "%YAML 1.1\n---\na: 1\n",
    "document end then more": "a: 1\n...\nb: 2\n",
    "root list": "- a\n- b\n",
    "root scalar": "just text\n",
    "tagged root": '!"x": {}\n',
    "anchored root": "&r\na: 1\n",
    "complex key": "? [a]\n: 1\n",
    "quoted entry, then another": "a:\n  - 'x' - y\n",
    "quoted entry, then a key": 'a:\n- "x" y: 1\n',
    "flow entry, then a key": "a:\n- {b: 1,\n  c: 2} d: 3\n",
    "two-line quoted entry, then another": "a:\n  - 'x\n    y' - z\n",
    "explicit key": "? a\n: b\n",
    "explicit key, value with no space": '? ""\n:|  - x\n',
    "explicit key in flow": "a: {? b: c}\n",
    "null key": "? \n: 1\n",
    "at sign": "a: @x\n",
    "backtick": "a: `x\n",
    "percent": "a: %x\n",
    "question in flow": "a: [a?b, c]\n",
    "question in a flow key seen before": "a?b: 1\nc: {a?b: 2}\n",
    "trailing colon": "a: b:\n",
    "lone dash": "a: -\n",
    "long key": "k" * 1100 + ": v\n",
    "half a character": 'a: "\\ud800"\n',
    "integer too long for Python": "a: " + "1" * 5000 + "\n",
    "two-line quoted key": "x:\n  'a\n  b': c\n",
    "two-line flow key": "x: [a\n b: c]\n",
    "escaped line break in a key": '{"a\\\n b": c}\n',
    "escaped line break, blank line": 'a: "b\\\n\n  c"\n',
}


@pytest.mark.parametrize("name", sorted(HANDLED))
def test_hand_written_documents_take_the_fast_path(name: str) -> None:
    assert _assert_fast_means_slow(HANDLED[name]), f"{name} fell back to the slow path"


@pytest.mark.parametrize("name", sorted(DECLINED))
def test_unusual_documents_are_left_to_the_slow_path(name: str) -> None:
    assert load_plain_mapping(DECLINED[name]) is None


def _spec_files() -> list[Path]:
    found = sorted((ROOT / "specs").glob("*.yaml"))
    found += sorted((ROOT / "tests" / "generator" / "specs").rglob("*.y*ml"))
    return found


@pytest.mark.parametrize("path", _spec_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_spec_files_load_the_same_both_ways(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    handled = _assert_fast_means_slow(text)
    if path.parent == ROOT / "specs":
        assert handled, f"{path.name} fell back to the slow path"


# 10 entity types in CI (0.3 s); THG_FAST_YAML_SYNTH=300 checks the benchmark's spec (7 s).
@pytest.mark.parametrize("entities", [int(os.environ.get("THG_FAST_YAML_SYNTH", "10"))])
def test_synthetic_specs_take_the_fast_path(tmp_path: Path, entities: int) -> None:
    subprocess.run(
        [sys.executable, str(SYNTH_SCRIPT), str(entities), str(tmp_path)], check=True, timeout=120
    )
    assert _assert_fast_means_slow((tmp_path / "synth.yaml").read_text(encoding="utf-8"))


def test_positions_of_a_fast_load_are_the_slow_paths(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(HANDLED["nesting"] + "b: [1, {c: 2}]\n", encoding="utf-8")
    fast, problems = load_spec(path)
    assert problems == []
    slow, slow_problems = load_reference(LoadedSpec(path, fast.display_name, None, text=fast.text))
    assert slow_problems == [] and fast.data == slow.data
    assert fast.positions == slow.positions
    assert fast.position("/b/1/c") == slow.position("/b/1/c")


def test_a_parse_error_prints_nothing_and_is_worded_by_the_slow_path(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(DECLINED["unclosed flow"], encoding="utf-8")
    spec, problems = load_spec(path)
    assert [p.rule for p in problems] == ["THG000"]
    assert problems[0].message.startswith("invalid YAML")
    assert capfd.readouterr() == ("", "")


def test_nothing_declined_prints_anything(capfd: pytest.CaptureFixture[str]) -> None:
    for text in DECLINED.values():
        load_plain_mapping(text)
    assert capfd.readouterr() == ("", "")


def test_refused_tags_are_still_diagnosed(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(DECLINED["tags"], encoding="utf-8")
    spec, problems = load_spec(path)
    assert [(p.rule, p.line) for p in problems] == [("THG000", 2)]
    assert "!custom" in problems[0].message
