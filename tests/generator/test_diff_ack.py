"""`thg-codegen diff --acknowledged FILE`: intended breaking changes pass, stale entries warn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from thg_codegen.cli import main
from thg_codegen.diff.acknowledge import AcknowledgementError, parse_acknowledgements

from .diff_specs import CORPUS

# field-renamed: `Widget.related` removed (breaking) and `Widget.relatedWidget` added.
OLD, NEW = str(CORPUS / "field-renamed" / "old"), str(CORPUS / "field-renamed" / "new")
REMOVED = "- `field-removed` at `mini · model Widget · related`: renamed to relatedWidget"


def _diff(*args: str) -> Result:
    return CliRunner().invoke(main, ["diff", *args])


def _ack_file(tmp_path: Path, *lines: str, name: str = "BREAKING.md") -> str:
    path = tmp_path / name
    path.write_text("\n".join(["# Acknowledged breaking changes", "", *lines, ""]), "utf-8")
    return str(path)


def test_acknowledged_breaking_change_passes(tmp_path: Path) -> None:
    ack = _ack_file(tmp_path, REMOVED)
    result = _diff(OLD, NEW, "--acknowledged", ack, "--fail-on", "breaking")
    assert result.exit_code == 0, result.output
    assert "1 breaking (1 acknowledged)" in result.stdout.splitlines()[0]
    assert f"✓ acknowledged in {ack}: renamed to relatedWidget" in result.stdout
    assert result.stderr == ""  # nothing stale


def test_json_marks_acknowledged_breaking_changes(tmp_path: Path) -> None:
    ack = _ack_file(tmp_path, REMOVED)
    report = json.loads(_diff(OLD, NEW, "--format", "json", "--acknowledged", ack).stdout)
    removed, added = report["changes"]
    assert removed["acknowledged"] is True and removed["why"] == "renamed to relatedWidget"
    assert "acknowledged" not in added  # only breaking changes need an acknowledgement
    assert report["summary"]["unacknowledged"] == 0
    assert report["acknowledgements"] == {"file": ack, "stale": []}


def test_unacknowledged_breaking_change_fails_and_says_what_to_add(tmp_path: Path) -> None:
    ack = _ack_file(tmp_path, "Nothing intended yet.")
    result = _diff(OLD, NEW, "--acknowledged", ack)
    assert result.exit_code == 1
    assert f"✗ not acknowledged; if intended, add to {ack}:" in result.stdout
    suggested = next(line.strip() for line in result.stdout.splitlines() if "<why" in line)
    assert suggested == (
        "- `field-removed` at `mini · model Widget · related`: <why this break is intended>"
    )
    # The suggestion is the file's own syntax: with a reason filled in, the diff passes.
    why = suggested.replace("<why this break is intended>", "renamed")
    filled = _ack_file(tmp_path, why, name="FILLED.md")
    assert _diff(OLD, NEW, "--acknowledged", filled).exit_code == 0
    report = json.loads(_diff(OLD, NEW, "--format", "json", "--acknowledged", ack).stdout)
    assert report["changes"][0]["acknowledged"] is False and "why" not in report["changes"][0]
    assert report["summary"]["unacknowledged"] == 1


def test_fail_on_none_still_marks_but_never_fails(tmp_path: Path) -> None:
    ack = _ack_file(tmp_path)
    result = _diff(OLD, NEW, "--acknowledged", ack, "--fail-on", "none")
    assert result.exit_code == 0 and "✗ not acknowledged" in result.stdout


def test_stale_acknowledgement_is_a_warning(tmp_path: Path) -> None:
    stale = "- `enum-value-removed` at `mini · model Colour · (value)`: dropped teal"
    ack = _ack_file(tmp_path, REMOVED, stale)
    result = _diff(OLD, NEW, "--acknowledged", ack)
    assert result.exit_code == 0  # a warning, not a failure
    warning = (
        f"{ack}:4: `enum-value-removed` at `mini · model Colour · (value)` matches no breaking "
        f"change between {OLD} and {NEW}; remove the entry"
    )
    assert f"Stale acknowledgements (1):\n  warning: {warning}\n" in result.stdout
    assert result.stderr == ""  # once is enough: CI posts stdout and stderr together
    as_json = _diff(OLD, NEW, "--format", "json", "--acknowledged", ack)
    assert as_json.exit_code == 0 and as_json.stderr == f"warning: {warning}\n"
    report = json.loads(as_json.stdout)
    assert report["acknowledgements"]["stale"] == [
        {
            "kind": "enum-value-removed",
            "where": "mini · model Colour · (value)",
            "why": "dropped teal",
            "line": 4,
        }
    ]


def test_stale_acknowledgements_show_even_without_changes(tmp_path: Path) -> None:
    ack = _ack_file(tmp_path, REMOVED)
    result = _diff(OLD, OLD, "--acknowledged", ack)
    assert result.exit_code == 0
    assert result.stdout.startswith("No changes to the client's public surface")
    assert "Stale acknowledgements (1):" in result.stdout


def test_matching_needs_the_kind_and_the_place(tmp_path: Path) -> None:
    wrong_kind = "- `field-became-required` at `mini · model Widget · related`: no"
    wrong_place = "- `field-removed` at `mini · model Widget · relatedWidget`: no"
    addition = "- `field-added` at `mini · model Widget · relatedWidget`: not breaking"
    ack = _ack_file(tmp_path, wrong_kind, wrong_place, addition)
    result = _diff(OLD, NEW, "--format", "json", "--acknowledged", ack)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [entry["line"] for entry in report["acknowledgements"]["stale"]] == [3, 4, 5]


def test_spacing_inside_the_place_does_not_matter(tmp_path: Path) -> None:
    ack = _ack_file(tmp_path, "* `field-removed` at `mini  ·  model Widget ·  related`: renamed")
    assert _diff(OLD, NEW, "--acknowledged", ack).exit_code == 0


def test_prose_headings_and_fenced_examples_are_not_entries() -> None:
    text = "\n".join(
        [
            "# Breaking changes intended by this pull request",
            "Write one line per change, as the diff report suggests:",
            "```",
            "- `KIND` at `WHERE`: why",
            "```",
            "- plain bullets without a leading backquote are prose",
            REMOVED,
        ]
    )
    entries = parse_acknowledgements(text, "BREAKING.md")
    assert [(e.kind, e.where, e.why, e.line) for e in entries] == [
        ("field-removed", "mini · model Widget · related", "renamed to relatedWidget", 7)
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("- `field-removed` `mini · model Widget · related`: no 'at'", "not an acknowledgement"),
        ("- `field-removed` at mini · model Widget · related: unquoted", "not an acknowledgement"),
        ("- `field-removed` at `mini · model Widget · related`:", "say why `field-removed`"),
        ("- `field-removed` at `mini · model Widget · related`: <why>", "say why"),
    ],
)
def test_malformed_entry_is_an_error_with_its_line(tmp_path: Path, line: str, message: str) -> None:
    ack = _ack_file(tmp_path, line)
    with pytest.raises(AcknowledgementError, match=message):
        parse_acknowledgements(Path(ack).read_text("utf-8"), ack)
    result = _diff(OLD, NEW, "--acknowledged", ack, "--fail-on", "none")
    assert result.exit_code == 2  # a broken file must not pass silently, even without failing
    assert result.stdout == ""
    assert result.stderr.startswith(f"thg-codegen diff: {ack}:3: ")


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = _diff(OLD, NEW, "--acknowledged", str(tmp_path / "nope.md"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_without_the_option_the_report_is_unchanged() -> None:
    report = json.loads(_diff(OLD, NEW, "--format", "json").stdout)
    assert "acknowledgements" not in report and "unacknowledged" not in report["summary"]
    assert all("acknowledged" not in change for change in report["changes"])
