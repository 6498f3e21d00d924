"""Semver from the last recorded release, and the changelog in user terms."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from thg_codegen.cli import main
from thg_codegen.generate import generate, release
from thg_codegen.versioning import next_version

from .broken_specs import VALID

WIDGET = "        name: {type: string, minLength: 1}\n"


@pytest.fixture
def released(tmp_path: Path) -> tuple[Path, Path]:
    spec = tmp_path / "mini.yaml"
    shutil.copy(VALID, spec)
    out = tmp_path / "out"
    generate([spec], out)
    assert "## 0.1.0 (unreleased)" in (out / "CHANGELOG.md").read_text()
    assert release([spec], out) == "0.1.0"
    changelog = (out / "CHANGELOG.md").read_text()
    assert "## 0.1.0\n" in changelog and "unreleased" not in changelog
    return spec, out


def _edit(spec: Path, old: str, new: str) -> None:
    text = spec.read_text()
    assert old in text
    spec.write_text(text.replace(old, new, 1))


def _version(out: Path) -> str:
    return (out / "src/thg_connect/_version.py").read_text().split('"')[-2]


@pytest.mark.parametrize(
    "old, new, version, heading",
    [
        (WIDGET, WIDGET + "        colour: {type: string}\n", "0.2.0", "Additions"),
        (
            "        name: {type: string, minLength: 1}\n        related:",
            "        name: {type: string, minLength: 1, maxLength: 5}\n        related:",
            "1.0.0",
            "Breaking changes",
        ),
        (
            "description: Creates a widget.",
            "description: Creates one widget.",
            "0.1.1",
            "Documentation",
        ),
    ],
)
def test_the_version_follows_the_change_since_the_release(
    released: tuple[Path, Path], old: str, new: str, version: str, heading: str
) -> None:
    spec, out = released
    _edit(spec, old, new)
    generate([spec], out)
    assert _version(out) == version
    assert f'version = "{version}"' in (out / "pyproject.toml").read_text()
    changelog = (out / "CHANGELOG.md").read_text()
    assert f"## {version} (unreleased)\n\nChanges since 0.1.0:" in changelog
    assert f"### {heading}" in changelog
    assert changelog.index(f"## {version}") < changelog.index("## 0.1.0\n")
    if heading == "Breaking changes":
        assert "**What to change:**" in changelog


def test_regenerating_without_a_change_keeps_the_version_and_one_entry(
    released: tuple[Path, Path],
) -> None:
    spec, out = released
    _edit(spec, WIDGET, WIDGET + "        colour: {type: string}\n")
    generate([spec], out)
    generate([spec], out)
    changelog = (out / "CHANGELOG.md").read_text()
    assert changelog.count("## 0.2.0 (unreleased)") == 1 and _version(out) == "0.2.0"
    assert CliRunner().invoke(main, ["release", str(spec), "-o", str(out)]).exit_code == 0
    _edit(spec, "description: Creates a widget.", "description: Creates one widget.")
    generate([spec], out)
    changelog = (out / "CHANGELOG.md").read_text()
    assert _version(out) == "0.2.1"
    assert changelog.index("## 0.2.1 (unreleased)") < changelog.index("## 0.2.0\n")
    assert changelog.index("## 0.2.0\n") < changelog.index("## 0.1.0\n")


def test_check_notices_a_new_release_record(released: tuple[Path, Path]) -> None:
    spec, out = released
    assert CliRunner().invoke(main, ["check", str(spec), "-o", str(out)]).exit_code == 0
    (out / "released" / "VERSION").write_text("0.3.0\n")
    assert CliRunner().invoke(main, ["check", str(spec), "-o", str(out)]).exit_code == 1


@pytest.mark.parametrize(
    "released_version, part, expected",
    [
        ("0.1.0", "major", "1.0.0"),
        ("1.4.2", "minor", "1.5.0"),
        ("1.4.2", "patch", "1.4.3"),
        ("1.4.2", "none", "1.4.2"),
    ],
)
def test_next_version(released_version: str, part: str, expected: str) -> None:
    assert next_version(released_version, part) == expected
