"""Hostile input to the load stage and to `$ref` following: each ends as one located diagnostic,
quickly and in bounded memory, whatever parser PyYAML brings (LibYAML or its pure-Python one)."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from thg_codegen.cli import main
from thg_codegen.generate import generate
from thg_spec import loader
from thg_spec.loader import MAX_ALIAS_NODES, load_spec
from thg_spec.validation import discover_specs, validate_paths
from thg_spec.validation.refs import MAX_REF_CHAIN

from .broken_specs import VALID

PARSERS = ["libyaml", "python"] if hasattr(yaml, "CSafeLoader") else ["python"]


@pytest.fixture(params=PARSERS)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test using it runs with LibYAML's parser and with PyYAML's pure-Python one."""
    if request.param == "python":
        monkeypatch.setattr(loader, "_FAST_LOADER", yaml.SafeLoader)
    return str(request.param)


def _load(tmp_path: Path, name: str, text: str) -> tuple[Any, list[tuple[int, int, str]]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    spec, problems = load_spec(path)
    return spec, [(p.line, p.column, p.message) for p in problems]


# -- nesting -------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [101, 3000, 200_000])
def test_deep_flow_nesting_is_one_located_diagnostic(
    parser: str, tmp_path: Path, depth: int
) -> None:
    started = time.perf_counter()
    _, problems = _load(tmp_path, "deep.yaml", "openapi: 3.1.0\nx: " + "[" * depth + "]" * depth)
    assert [(line, message) for line, _, message in problems] == [
        (2, "mappings and lists nest more than 100 levels deep here")
    ]
    assert time.perf_counter() - started < 10


def test_deep_block_nesting_is_located_at_the_too_deep_key(parser: str, tmp_path: Path) -> None:
    text = "".join(" " * i + f"k{i}:\n" for i in range(150)) + " " * 150 + "leaf\n"
    spec, problems = _load(tmp_path, "deep.yaml", text)
    # The mapping 101 levels down is the value of k100, on line 101.
    assert problems == [(101, 101, "mappings and lists nest more than 100 levels deep here")]
    assert spec.data is None


def test_deep_json_nesting_is_one_located_diagnostic(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "deep.json", '{"x":\n' + "[" * 100_000 + "]" * 100_000 + "}")
    assert [(line, message) for line, _, message in problems] == [
        (2, "mappings and lists nest more than 100 levels deep here")
    ]


# -- aliases -------------------------------------------------------------------------------------


def _billion_laughs() -> str:
    lines = ["openapi: 3.1.0", "a0: &a0 [" + ", ".join(["lol"] * 30) + "]"]
    for i in range(1, 60):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 30) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly_in_bounded_memory(parser: str, tmp_path: Path) -> None:
    text = _billion_laughs()
    assert len(text) > 10_000  # the size measured to take 4 GB in 70 s before
    tracemalloc.start()
    started = time.perf_counter()
    try:
        spec, problems = _load(tmp_path, "lol.yaml", text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 20  # under tracemalloc; about 0.4 s without
    assert peak < 200_000_000
    assert [message for _, _, message in problems] == [
        f"aliases here expand to more than {MAX_ALIAS_NODES} values"
    ]
    line, column, _ = problems[0]
    assert text.splitlines()[line - 1][column - 1 :].startswith("*a")
    assert spec.data is None


def test_shared_blocks_expand_and_keep_positions(parser: str, tmp_path: Path) -> None:
    text = "base: &b {type: string, enum: [a, b]}\nother: *b\nthird: {k: *b}\n"
    spec, problems = _load(tmp_path, "alias.yaml", text)
    assert problems == []
    shared = {"type": "string", "enum": ["a", "b"]}
    assert spec.data == {"base": shared, "other": shared, "third": {"k": shared}}
    assert spec.data["other"] is not spec.data["base"]  # a tree, not a graph
    assert spec.positions["/other"] == loader.Position(2, 1)  # at its key
    assert spec.positions["/third/k/enum/1"] == loader.Position(1, 35)  # inside, at the anchor's


def test_an_alias_inside_the_value_it_names_is_refused(parser: str, tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "loop.yaml", "a: &x {b: [1, *x]}\n")
    assert problems == [(1, 15, "alias *x is inside the value it names")]


def test_an_undefined_alias_is_located(parser: str, tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "undefined.yaml", "a: 1\nb: *nowhere\n")
    assert problems == [(2, 4, "invalid YAML: found undefined alias 'nowhere'")]


# -- $ref chains and loops -----------------------------------------------------------------------


def _with_chain(tmp_path: Path, kind: str, length: int) -> Path:
    spec = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    schemas["Widget"]["properties"]["chain"] = {"$ref": "#/components/schemas/C0"}
    for i in range(length):
        after = {"$ref": f"#/components/schemas/C{(i + 1) % length if kind == 'loop' else i + 1}"}
        if kind == "models":
            schemas[f"C{i}"] = {"type": "object", "properties": {"next": after}}
        else:
            schemas[f"C{i}"] = after
    if kind != "loop":
        schemas[f"C{length}"] = {"type": "string"}
    folder = tmp_path / kind
    folder.mkdir()
    path = folder / "mini.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def _located_at_the_chain_ref(path: Path, problems: list[Any]) -> None:
    assert [(p.rule, p.pointer) for p in problems] == [
        ("THG002", "/components/schemas/Widget/properties/chain/$ref")
    ]
    line = path.read_text(encoding="utf-8").splitlines()[problems[0].line - 1]
    assert line[problems[0].column - 1 :].startswith("$ref: '#/components/schemas/C0'")


def test_a_ref_chain_200_deep_is_one_located_diagnostic(tmp_path: Path) -> None:
    path = _with_chain(tmp_path, "chain", 200)
    _, problems = validate_paths([path])
    _located_at_the_chain_ref(path, problems)
    assert f"more than {MAX_REF_CHAIN} references" in problems[0].message


@pytest.mark.parametrize("length", [1, 2, 50])
def test_a_ref_loop_is_one_diagnostic_at_the_ref(tmp_path: Path, length: int) -> None:
    path = _with_chain(tmp_path, "loop", length)
    _, problems = validate_paths([path])
    _located_at_the_chain_ref(path, problems)
    assert "leads round a loop of references" in problems[0].message


def test_a_chain_of_200_models_generates(tmp_path: Path) -> None:
    path = _with_chain(tmp_path, "models", 200)
    generate([path], tmp_path / "out")  # no RecursionError anywhere from load to write
    written = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.py"))
    assert "class C0(ApiModel):" in written and "class C199(ApiModel):" in written


# -- JSON ----------------------------------------------------------------------------------------


def test_json_has_json_meaning_and_positions(tmp_path: Path) -> None:
    text = (
        '{\n\t"big": 123456789012345678901234567890,\n\t"exp": 1e5, "neg": -0.5,\n'
        '\t"text": "caf\\u00e9 \\ud83d\\ude00 \\/ \\"q\\"",\n\t"words": [true, false, null],\n'
        '\t"yes": "yes", "200": {}\n}\n'
    )
    spec, problems = _load(tmp_path, "doc.json", text)
    assert problems == []
    assert spec.data == json.loads(text)
    assert spec.data["exp"] == 100000.0 and spec.data["text"] == 'café 😀 / "q"'
    assert spec.positions["/exp"] == loader.Position(3, 2)
    assert spec.positions["/words/2"] == loader.Position(5, 25)
    assert spec.positions["/200"] == loader.Position(6, 16)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,\n "a": 2}', (2, 2, "key 'a' appears twice in one mapping (first at line 1)")),
        ('{"a": 1,\n "b": }', (2, 7, "invalid JSON: expected a value, found '}'")),
        ('{"a": 1,\n "b": 2', (2, 8, "invalid JSON: the document ends too early")),
        ('{"a": 1} {}', (1, 10, "invalid JSON: more text after the document")),
        ('{"a": NaN}', (1, 7, "invalid JSON: unexpected 'N'")),
        ('{"a": 01}', (1, 7, "invalid JSON: unexpected '0'")),
        ('{"a": "x\ty"}', (1, 9, "invalid JSON: Invalid control character at")),
        ("{'a': 1}", (1, 2, 'invalid JSON: unexpected "\'"')),
        ('{"a": 1,}', (1, 9, "invalid JSON: expected a string key in double quotes")),
        ("", (1, 1, "invalid JSON: the document ends too early")),
        (
            '{"n": 1' + "0" * 5000 + "}",
            (1, 2, "an integer of more than 4300 digits cannot be read"),
        ),
    ],
)
def test_bad_json_is_located(tmp_path: Path, text: str, expected: tuple[int, int, str]) -> None:
    _, problems = _load(tmp_path, "doc.json", text)
    assert problems == [expected]


def test_a_json_copy_generates_the_same_client(tmp_path: Path) -> None:
    data = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    (tmp_path / "json").mkdir()
    as_json = tmp_path / "json" / "mini.json"
    as_json.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    generate([VALID], tmp_path / "from-yaml")
    generate([as_json], tmp_path / "from-json")

    def tree(root: Path) -> dict[str, list[str]]:
        """Every generated file but its header line (which names the spec and hashes its bytes)
        and the copy of the spec itself the package carries (`_specs/`, as written)."""
        return {
            p.relative_to(root).as_posix(): p.read_text(encoding="utf-8").splitlines()[1:]
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".codegen.json" and "_specs" not in p.parts
        }

    from_yaml, from_json = tree(tmp_path / "from-yaml"), tree(tmp_path / "from-json")
    assert sorted(from_json) == sorted(from_yaml)
    assert any(name.endswith(".py") for name in from_yaml)
    assert [name for name in from_yaml if from_json[name] != from_yaml[name]] == []


# -- entries that cannot be read -----------------------------------------------------------------


def test_discovery_finds_every_spec_entry(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yml", "c.json", "d.txt", ".#e.yaml"):
        (tmp_path / name).write_text("{}\n")
    (tmp_path / "f.yaml").mkdir()
    (tmp_path / "g.yaml").symlink_to(tmp_path / "gone.yaml")
    assert [p.name for p in discover_specs(tmp_path)] == [
        "a.yaml",
        "b.yml",
        "c.json",
        "f.yaml",
        "g.yaml",
    ]


def _unreadable(specs: Path, kind: str) -> Path:
    if kind == "dangling-symlink":
        entry = specs / "events.yaml"
        entry.symlink_to(specs / "moved-away.yaml")
    elif kind == "directory":
        entry = specs / "events.yaml"
        entry.mkdir()
    else:
        entry = specs / "events.yaml"
        entry.write_text("openapi: 3.1.0\n")
        entry.chmod(0)
    return entry


UNREADABLE_KINDS = [
    "dangling-symlink",
    "directory",
    pytest.param(
        "no-permission",
        marks=pytest.mark.skipif(
            hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads every file"
        ),
    ),
]


def _specs_and_output(tmp_path: Path) -> tuple[Path, Path]:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "mini.yaml").write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["generate", str(specs), "-o", str(out)]).exit_code == 0
    return specs, out


def _refused(result: Any, entry: Path) -> None:
    assert result.exit_code == 2, result.output  # an invalid spec
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if entry.name in line]
    assert len(lines) == 1 and "cannot read the file" in lines[0], result.output
    assert str(entry.parent.name) in lines[0] or str(entry) in lines[0]


@pytest.mark.parametrize("kind", UNREADABLE_KINDS)
@pytest.mark.parametrize("command", ["validate", "generate"])
def test_an_unreadable_spec_entry_fails_the_command(
    tmp_path: Path, kind: str, command: str
) -> None:
    specs, out = _specs_and_output(tmp_path)
    entry = _unreadable(specs, kind)
    args = [command, str(specs)] + (["-o", str(out)] if command != "validate" else [])
    _refused(CliRunner().invoke(main, args), entry)


@pytest.mark.parametrize("kind", ["dangling-symlink", "directory"])
def test_an_unreadable_spec_entry_fails_check(tmp_path: Path, kind: str) -> None:
    specs, out = _specs_and_output(tmp_path)
    entry = _unreadable(specs, kind)
    _refused(CliRunner().invoke(main, ["check", str(specs), "-o", str(out)]), entry)


def test_an_unreadable_explicit_path_fails_the_command(tmp_path: Path) -> None:
    specs, out = _specs_and_output(tmp_path)
    entry = _unreadable(specs, "dangling-symlink")
    for args in (["validate", str(entry)], ["generate", str(entry), "-o", str(out)]):
        _refused(CliRunner().invoke(main, args), entry)
