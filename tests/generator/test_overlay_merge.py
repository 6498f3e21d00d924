"""`thg-codegen overlay SPEC --merge OTHER`: two documents the platform publishes for one product
(THG001 refuses them side by side) become one: SPEC stays as downloaded, and its overlay adds
what OTHER has and SPEC lacks; where they disagree nothing is written (CONVENTIONS §16)."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from thg_codegen.cli import main
from thg_codegen.overlay_command import merge_actions
from thg_spec import build_product
from thg_spec.overlay import merge
from thg_spec.paths import discover_specs
from thg_spec.validation import validate_paths

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "published"


def _folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    specs, downloads = tmp_path / "specs", tmp_path / "downloads"
    specs.mkdir()
    downloads.mkdir()
    shutil.copy(CORPUS / "thg-fulfil.json", specs / "thg-fulfil.json")
    shutil.copy(CORPUS / "thg-fulfil-api-prefix.json", downloads / "thg-fulfil-api-prefix.json")
    return specs, specs / "thg-fulfil.json", downloads / "thg-fulfil-api-prefix.json"


def test_merge_writes_one_overlay_giving_both_documents(tmp_path: Path) -> None:
    specs, spec, other = _folders(tmp_path)
    before = spec.read_bytes()
    result = CliRunner().invoke(main, ["overlay", str(spec), "--merge", str(other)])
    assert result.exit_code == 0, result.output
    assert "action(s) to review" in result.output
    text = spec.with_name("thg-fulfil.overlay.yaml").read_text(encoding="utf-8")
    assert "# paths and operations of the other document:" in text
    assert "# who owns 'fulfilment-request'" in text  # the merged document's hints too
    loaded, problems = validate_paths(discover_specs(specs))
    assert [p.format() for p in problems if p.severity.name == "ERROR"] == []
    tree = {".".join(e.name) for e in build_product(loaded[0]).entities}
    assert {"inventory", "inventory.approval", "asn"} <= tree
    assert {"fulfilment-request", "fulfilment-request.approval"} <= tree
    assert spec.read_bytes() == before  # as downloaded


def test_a_merge_beside_its_document_says_to_move_it(tmp_path: Path) -> None:
    specs, spec, other = _folders(tmp_path)
    beside = shutil.copy(other, specs / other.name)
    result = CliRunner().invoke(main, ["overlay", str(spec), "--merge", str(beside)])
    assert result.exit_code == 0, result.output
    assert "out of this folder" in result.output


def test_documents_that_disagree_are_not_merged(tmp_path: Path) -> None:
    _, spec, other = _folders(tmp_path)
    data = json.loads(other.read_text(encoding="utf-8"))
    shared = sorted(
        set(data["components"]["schemas"])
        & set(json.loads(spec.read_text(encoding="utf-8"))["components"]["schemas"])
    )
    data["components"]["schemas"][shared[0]]["title"] = "Changed"
    other.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["overlay", str(spec), "--merge", str(other)])
    assert result.exit_code == 2, result.output
    assert f"/components/schemas/{shared[0]}" in result.output
    assert "nothing was written" in result.output
    assert not spec.with_name("thg-fulfil.overlay.yaml").exists()


leaf = st.one_of(st.integers(0, 3), st.sampled_from(["a", "b"]), st.lists(st.integers(0, 2)))
keys = st.sampled_from(["/x", "/y", "/z/{id}", "a~b", "c"])
members = st.dictionaries(st.sampled_from(["get", "post", "x-hint", "parameters"]), leaf)
documents = st.fixed_dictionaries(
    {},
    optional={
        "paths": st.dictionaries(keys, st.one_of(members, leaf), max_size=4),
        "components": st.dictionaries(
            st.sampled_from(["schemas", "responses"]),
            st.dictionaries(keys, st.one_of(members, leaf), max_size=3),
            max_size=2,
        ),
        "tags": st.lists(st.fixed_dictionaries({"name": st.sampled_from(["t1", "t2", "t3"])})),
        "info": st.fixed_dictionaries({"title": st.sampled_from(["A", "B"])}),
    },
)


def _leaves(node: Any, at: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    if isinstance(node, dict) and node:
        found: dict[tuple[Any, ...], Any] = {}
        for key, value in node.items():
            found.update(_leaves(value, (*at, key)))
        return found
    return {at: node}


@given(documents, documents)
def test_a_merge_keeps_ours_adds_theirs_and_settles(ours: Any, theirs: Any) -> None:
    """Applying the actions (Overlay semantics) keeps every value of ours where it was, gives
    every path and component of theirs that does not conflict, and a second merge of the
    result with theirs has nothing left to add."""
    actions, conflicts = merge_actions(ours, theirs)
    merged = copy.deepcopy(ours)
    for action in actions:
        merge(merged, action.update)
    mine = _leaves(ours)
    got = _leaves(merged)
    for at, value in mine.items():
        if value == {} or value == []:
            continue  # an empty container may be filled
        if isinstance(value, list) and at[:1] == ("tags",):
            continue
        assert got[at] == value
    assert merged.get("info") == ours.get("info")
    for section in ("paths", "components"):
        for key, value in (theirs.get(section) or {}).items():
            at = f"/{section}/{key.replace('~', '~0').replace('/', '~1')}"
            if any(c == at or c.startswith(at + "/") for c in conflicts):
                continue
            for inner, leaf_value in _leaves(value).items():
                if leaf_value == {}:
                    continue  # nothing to add
                node = merged[section][key]
                for part in inner:
                    node = node[part]
                assert node == leaf_value
    again, _ = merge_actions(merged, theirs)
    assert again == []
