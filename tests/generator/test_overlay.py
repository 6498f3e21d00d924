"""OpenAPI Overlays beside a published document: the hints it lacks, applied before validation,
written for the user by `thg-codegen overlay`, and seen by `check` when they change."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from thg_codegen.cli import main
from thg_spec.entities import build_product
from thg_spec.overlay import merge, pointer_to_jsonpath
from thg_spec.paths import discover_specs
from thg_spec.validation import validate_paths

REPO = Path(__file__).resolve().parents[2]
PUBLISHED = REPO / "tests" / "published" / "thg-fulfil.json"


def _copy(tmp_path: Path) -> Path:
    spec = tmp_path / "thg-fulfil.json"
    shutil.copy(PUBLISHED, spec)
    return spec


def _overlay(spec: Path, *actions: dict[str, Any]) -> Path:
    path = spec.with_name(f"{spec.stem}.overlay.yaml")
    document = {"overlay": "1.0.0", "info": {"title": "hints", "version": "1"}}
    path.write_text(json.dumps({**document, "actions": list(actions)}), encoding="utf-8")
    return path


OWNER = {
    "target": "$.paths['/{owner}/v1/inventory']",
    "update": {"x-thg-entity": {"owner": "consumer"}},
}


def test_an_overlay_gives_the_hints_and_the_document_stays_as_downloaded(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    before = spec.read_bytes()
    _overlay(spec, OWNER)
    loaded, problems = validate_paths([spec])
    assert not [p for p in problems if "who owns 'inventory'" in p.message]
    assert [p for p in problems if "who owns 'asn'" in p.message]  # not given: still asked for
    product = build_product(loaded[0])
    assert product.entity(("inventory",)).owner_role == "consumer"
    assert spec.read_bytes() == before and loaded[0].overlay.endswith("thg-fulfil.overlay.yaml")


def test_remove_and_a_target_that_selects_nothing(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    _overlay(
        spec,
        {"target": "$.paths['/{owner}/v1/asn']", "remove": True},
        {"target": "$.paths['/nowhere']", "update": {"x": 1}},
    )
    loaded, problems = validate_paths([spec])
    assert "/{owner}/v1/asn" not in loaded[0].data["paths"]
    [nothing] = [p for p in problems if p.rule == "THG080"]
    assert nothing.severity.value == "warning" and nothing.file.endswith(".overlay.yaml")
    assert nothing.pointer == "/actions/1/target" and "selects nothing" in nothing.message


def test_a_broken_overlay_is_a_located_error_in_the_overlay_file(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    _overlay(spec, {"target": "$.paths[", "update": {}}, {"target": "$.x"})
    loaded, problems = validate_paths([spec])
    assert loaded == []
    found = {(p.pointer, p.rule) for p in problems}
    assert found == {("/actions/0/target", "THG080"), ("/actions/1", "THG080")}
    assert all(p.file.endswith(".overlay.yaml") and p.line >= 1 for p in problems)


def test_overlays_are_not_specs(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    _overlay(spec, OWNER)
    assert discover_specs(tmp_path) == [spec]


def test_the_overlay_command_writes_what_inference_could_not_decide(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["overlay", str(spec)])
    assert result.exit_code == 0, result.output
    written = spec.with_name("thg-fulfil.overlay.yaml")
    text = written.read_text(encoding="utf-8")
    assert "# who owns 'inventory': consumer or provider (read as 'self'" in text
    _, problems = validate_paths([spec])
    assert not [p for p in problems if p.rule == "THG020"]  # every hint now given
    again = runner.invoke(main, ["overlay", str(spec)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(main, ["overlay", str(spec), "--force"]).exit_code == 0
    ours = runner.invoke(main, ["overlay", str(REPO / "specs" / "thg-fulfil.yaml")])
    assert ours.exit_code == 0 and "nothing to write" in ours.output


def test_check_sees_an_overlay_edit(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    overlay = _overlay(spec, OWNER)
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["generate", str(spec), "-o", str(out)]).exit_code == 0
    assert runner.invoke(main, ["check", str(spec), "-o", str(out)]).exit_code == 0
    specs = out / "src" / "thg_connect" / "_specs"  # the package's specs: document and overlay
    assert sorted(p.name for p in specs.iterdir()) == ["thg-fulfil.json", "thg-fulfil.overlay.yaml"]
    edited = dict(OWNER, update={"x-thg-entity": {"owner": "provider"}})
    _overlay(spec, edited)
    assert overlay.exists()
    assert runner.invoke(main, ["check", str(spec), "-o", str(out)]).exit_code == 1


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_json, _json)
def test_merge_follows_overlay_semantics(target: Any, update: Any) -> None:
    original, kept = copy.deepcopy(target), copy.deepcopy(update)
    result = merge(copy.deepcopy(target), update)
    assert update == kept  # the overlay's own value is never changed
    if isinstance(original, dict) and isinstance(update, dict):
        assert set(result) == set(original) | set(update)
        for key in set(original) - set(update):
            assert result[key] == original[key]
    elif isinstance(original, list):
        added = update if isinstance(update, list) else [update]
        assert result == original + added
    else:
        assert result == update


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=4))
def test_a_pointer_becomes_the_jsonpath_of_the_same_node(tokens: list[str]) -> None:
    import jsonpath

    document: Any = "here"
    for token in reversed(tokens):
        document = {token: document}
    pointer = "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)
    assert jsonpath.findall(pointer_to_jsonpath(pointer), document) == ["here"]
