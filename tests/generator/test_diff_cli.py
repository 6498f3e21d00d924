"""`thg-codegen diff` end to end: exit codes, the JSON and text reports, git revisions."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from thg_codegen.cli import main
from thg_codegen.diff import diff_products, load_source, version_bump

from .diff_specs import CORPUS, VALID

REPO = Path(__file__).resolve().parents[2]


def _diff(*args: str) -> Result:
    return CliRunner().invoke(main, ["diff", *args])


def _pair(case: str) -> tuple[str, str]:
    return str(CORPUS / case / "old"), str(CORPUS / case / "new")


def test_breaking_change_fails_unless_told_not_to() -> None:
    assert _diff(*_pair("field-removed")).exit_code == 1
    assert _diff(*_pair("field-removed"), "--fail-on", "breaking").exit_code == 1
    assert _diff(*_pair("field-removed"), "--fail-on", "none").exit_code == 0


def test_compatible_and_docs_changes_pass() -> None:
    assert _diff(*_pair("field-added-optional")).exit_code == 0
    assert _diff(*_pair("docs-only")).exit_code == 0


def test_identical_specs_report_nothing() -> None:
    result = _diff(str(VALID), str(VALID))
    assert result.exit_code == 0
    assert "No changes" in result.stdout
    report = json.loads(_diff(str(VALID), str(VALID), "--format", "json").stdout)
    assert report["changes"] == [] and report["bump"] == "none"


def test_json_report_shape() -> None:
    old, new = _pair("field-renamed")
    result = _diff(old, new, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"command", "exit_code", "old", "new", "bump", "summary", "changes"}
    assert (report["command"], report["exit_code"]) == ("diff", 1)
    assert (report["old"], report["new"], report["bump"]) == (old, new, "major")
    assert report["summary"] == {"breaking": 1, "non-breaking": 1, "docs": 0}
    removed, added = report["changes"]  # breaking first
    assert removed["kind"] == "field-removed" and removed["category"] == "breaking"
    assert removed["location"] == {"product": "mini", "schema": "Widget", "field": "related"}
    assert removed["where"] == "mini · model Widget · related"
    assert "related" in removed["reason"] and removed["action"]
    assert added["kind"] == "field-added" and "action" not in added


def test_text_report_groups_breaking_additions_docs(tmp_path: Path) -> None:
    old = VALID.read_text(encoding="utf-8")
    new = (
        old.replace(
            "        related: {type: string, format: thg-reference, "
            "x-thg-reference-to: 'mini:widget'}\n",
            "",
        )
        .replace("      summary: List widgets\n", "      summary: List all widgets\n")
        .replace("name: {type: string, minLength: 1}", "name: {type: string}")
    )
    for side, text in (("old", old), ("new", new)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "mini.yaml").write_text(text, encoding="utf-8")
    result = _diff(str(tmp_path / "old" / "mini.yaml"), str(tmp_path / "new" / "mini.yaml"))
    out = result.stdout
    assert result.exit_code == 1
    assert out.index("Breaking changes (2)") < out.index("Docs-only changes (1)")
    assert "version bump: major" in out.splitlines()[0]
    assert "→ Stop reading or passing `Widget.related`." in out
    assert "minLength 1 → no minLength" in out  # loosened, breaking for readers of a name


def test_invalid_spec_gives_located_diagnostics() -> None:
    broken = REPO / "tests" / "generator" / "specs" / "broken" / "security" / "mini.yaml"
    result = _diff(str(VALID), str(broken))
    assert result.exit_code == 2
    assert "[THG050]" in result.stdout and "nothing compared" in result.stderr


def test_unknown_source_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _diff("no-such-thing", str(VALID))
    assert result.exit_code == 2
    assert "not a git repository" in result.stderr


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def spec_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repo with three commits of specs/mini.yaml: valid, a field removed, invalid YAML."""
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    spec = repo / "specs" / "mini.yaml"
    text = VALID.read_text(encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    spec.write_text(text, encoding="utf-8")
    _git(repo, "add", "specs")
    _git(repo, "commit", "-q", "-m", "valid")
    spec.write_text(
        text.replace(
            "        related: {type: string, format: thg-reference, "
            "x-thg-reference-to: 'mini:widget'}\n",
            "",
        ),
        encoding="utf-8",
    )
    _git(repo, "commit", "-q", "-am", "field removed")
    spec.write_text(text.replace("  version: 1.0.0", "  version: [1.0.0"), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "broken")
    spec.write_text(text, encoding="utf-8")  # the work tree differs from every revision's bytes
    monkeypatch.chdir(repo)
    return repo


def test_git_revisions(spec_repo: Path) -> None:
    result = _diff("HEAD~2", "HEAD~1", "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [c["kind"] for c in report["changes"]] == ["field-removed"]
    assert _diff("specs", "HEAD~1").exit_code == 1  # the work tree's folder against a revision
    back = json.loads(_diff("HEAD~1", "main~2", "--format", "json").stdout)
    assert [c["kind"] for c in back["changes"]] == ["field-added"]


def test_git_revision_with_invalid_spec(spec_repo: Path) -> None:
    result = _diff("HEAD~1", "HEAD")
    assert result.exit_code == 2
    assert result.stdout.startswith("HEAD:specs/mini.yaml:")
    assert "[THG000]" in result.stdout


def test_git_revision_that_does_not_exist(spec_repo: Path) -> None:
    result = _diff("v9.9", "HEAD~1")
    assert result.exit_code == 2
    assert "neither a spec file, a folder, nor a git revision" in result.stderr


def test_version_bump() -> None:
    def bump_of(case: str) -> str:
        old, new = _pair(case)
        return version_bump(load_source(old), load_source(new))

    assert bump_of("field-removed") == "major"
    assert bump_of("enum-value-added") == "minor"
    assert bump_of("docs-only") == "patch"
    mini = load_source(str(VALID))
    assert version_bump(mini, mini) == "none"


def test_repository_specs_against_themselves() -> None:
    products = load_source(str(REPO / "specs"))
    assert diff_products(products, products) == []
