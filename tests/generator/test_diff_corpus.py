"""The diff corpus: each spec pair gets exactly its rule's classification, pinned as a snapshot."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from thg_codegen.diff import diff_products, load_source
from thg_codegen.diff.report import as_json
from thg_spec import Product

from .diff_specs import CASES, CORPUS, DiffCase, case_dir, render

REPO = Path(__file__).resolve().parents[2]


_LOADED: dict[tuple[tuple[str, str], ...], list[Product]] = {}


def _products(folder: Path) -> list[Product]:
    """Load (and validate) a side once per distinct content: most cases share their OLD."""
    key = tuple(sorted((p.name, p.read_text(encoding="utf-8")) for p in folder.glob("*.yaml")))
    if key not in _LOADED:
        _LOADED[key] = load_source(str(folder))
    return _LOADED[key]


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_corpus_has_one_folder_per_case() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(c.name for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_diff_case(case: DiffCase) -> None:
    folder = case_dir(case)
    for side, files in render(case).items():
        on_disk = {p.name: p.read_text(encoding="utf-8") for p in (folder / side).glob("*.yaml")}
        assert on_disk == files, "fixture is stale: run python -m tests.generator.diff_specs"
    where = folder.relative_to(REPO)
    changes = diff_products(_products(where / "old"), _products(where / "new"))
    output = as_json(changes, str(where / "old"), str(where / "new"))
    report = json.loads(output)
    assert {(c["category"], c["kind"]) for c in report["changes"]} == case.expect
    for change in report["changes"]:
        assert change["reason"] and change["location"]["product"]
        assert bool(change.get("action")) == (change["category"] == "breaking"), change
    expected = folder / "expected.json"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        expected.write_text(output, encoding="utf-8")
    assert output == expected.read_text(encoding="utf-8")


def test_every_rule_kind_and_category_is_covered() -> None:
    covered = {pair for case in CASES for pair in case.expect}
    assert {category for category, _ in covered} == {"breaking", "non-breaking", "docs"}
    for kind in (
        "entity-removed",
        "operation-removed",
        "field-removed",
        "state-removed",
        "enum-value-removed",
        "type-narrowed",
        "field-became-required",
        "parameter-became-required",
        "constraint-tightened",
        "operation-path-changed",
        "owner-direction-changed",
        "name-changed",
        "name-rebound",
    ):
        assert ("breaking", kind) in covered, kind
