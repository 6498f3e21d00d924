"""Snapshot tests: every broken spec gets its exact, located diagnostics; the valid one none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from thg_codegen.cli import main

from .broken_specs import CASES, VALID, Case, case_dir, render

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Diagnostics print paths relative to the working directory, as a user would see them.
    monkeypatch.chdir(REPO)


def _validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, result.stdout


def test_valid_fixture_is_clean() -> None:
    code, out = _validate(str(VALID.relative_to(REPO)))
    assert (code, out) == (0, "")


def test_repository_specs_are_clean() -> None:
    code, out = _validate("specs")
    assert out == ""
    assert code == 0


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_spec_diagnostics(case: Case) -> None:
    spec = case_dir(case) / "mini.yaml"
    assert spec.read_text(encoding="utf-8") == render(
        case
    ), "fixture is stale: run python -m tests.generator.broken_specs --update"
    code, out = _validate(str(spec.relative_to(REPO)))
    assert code == 2  # invalid specs
    assert f"[{case.rule}]" in out, out
    for line in out.splitlines():
        # file:line:col /pointer: message. hint [rule]
        location, _, rest = line.partition(" ")
        file, row, col = location.rsplit(":", 2)
        assert file == str(spec.relative_to(REPO)) and int(row) >= 1 and int(col) >= 1, line
        assert rest.startswith("/") and rest.endswith("]"), line
    expected = (case_dir(case) / "expected.txt").read_text(encoding="utf-8")
    if os.environ.get("UPDATE_SNAPSHOTS"):
        (case_dir(case) / "expected.txt").write_text(out, encoding="utf-8")
    else:
        assert out == expected


def test_all_problems_reported_in_one_run() -> None:
    specs = [str((case_dir(c) / "mini.yaml").relative_to(REPO)) for c in CASES[3:6]]
    code, out = _validate(*specs)
    assert code == 2  # invalid specs
    assert {line.split(":", 1)[0] for line in out.splitlines()} == set(specs)


def test_no_spec_files_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "no spec files" in result.stderr
