"""The generated package's version and changelog, from the last release recorded in the repo.

A release is recorded in ``generated/released/``: ``VERSION``, the spec files it was generated
from, and the changelog up to it (``CHANGELOG.md``). ``generate`` compares the current specs with
those (``thg-codegen diff``'s classification) and sets the version to the released one raised by
the change: major for a breaking change, minor for additions, patch for documentation only,
unchanged when nothing the client shows changed. ``CHANGELOG.md`` is the released history with,
on top, an "unreleased" entry listing every change since, in user terms. ``thg-codegen release``
records the current state as released. Nothing here reads a clock: the same inputs give the same
files.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from thg_spec import Product

from .diff import BREAKING, DOCS, NON_BREAKING, Change, bump, diff_products

RELEASED = "released"
INITIAL_VERSION = "0.1.0"
_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_HEADING = "# Changelog\n\nChanges of the generated `thg-connect` client, newest first.\n"


class ReleaseError(ValueError):
    """The recorded release is unreadable."""


@dataclass(frozen=True)
class Release:
    version: str
    specs: list[Path]
    changelog: str


def released_files(output: Path) -> list[Path]:
    folder = output / RELEASED
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def read_release(output: Path) -> Release | None:
    folder = output / RELEASED
    if not (folder / "VERSION").is_file():
        return None
    version = (folder / "VERSION").read_text(encoding="utf-8").strip()
    if not _VERSION.match(version):
        raise ReleaseError(f"{folder / 'VERSION'}: {version!r} is not a semver version")
    changelog = folder / "CHANGELOG.md"
    history = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    return Release(version, sorted((folder / "specs").glob("*.yaml")), history)


def next_version(released: str, part: str) -> str:
    major, minor, patch = (int(n) for n in released.split("."))
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return released


_SECTIONS = (
    (BREAKING, "Breaking changes"),
    (NON_BREAKING, "Additions and other compatible " "changes"),
    (DOCS, "Documentation"),
)


def _entry(version: str, since: str | None, changes: Sequence[Change]) -> str:
    lines = [f"## {version} (unreleased)", ""]
    if since is None:
        lines += ["The first version of the generated client.", ""]
        return "\n".join(lines)
    lines += [f"Changes since {since}:", ""]
    for category, title in _SECTIONS:
        chosen = [c for c in changes if c.category == category]
        if not chosen:
            continue
        lines += [f"### {title}", ""]
        for change in chosen:
            text = f"- `{change.location}`: {change.reason}"
            if change.action:
                text += f" **What to change:** {change.action}"
            lines.append(text)
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class Versioning:
    version: str
    changes: tuple[Change, ...]
    changelog: str


def plan_version(
    products: Sequence[Product], release: Release | None, released_products: Sequence[Product]
) -> Versioning:
    """The version and CHANGELOG.md of this generation."""
    if release is None:
        return Versioning(INITIAL_VERSION, (), f"{_HEADING}\n{_entry(INITIAL_VERSION, None, [])}")
    changes = diff_products(released_products, products)
    version = next_version(release.version, bump(changes))
    history = release.changelog.split("\n## ", 1)
    past = f"## {history[1]}" if len(history) == 2 else ""
    top = _entry(version, release.version, changes) + "\n" if version != release.version else ""
    return Versioning(version, tuple(changes), f"{_HEADING}\n{top}{past}".rstrip("\n") + "\n")


def record_release(output: Path, specs: Sequence[Path], version: str, changelog: str) -> None:
    """Record the current generation as released: its version, specs and changelog."""
    folder = output / RELEASED
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "specs").mkdir(parents=True)
    for spec in specs:
        shutil.copyfile(spec, folder / "specs" / spec.name)
    (folder / "VERSION").write_text(version + "\n", encoding="utf-8")
    frozen = changelog.replace(f"## {version} (unreleased)", f"## {version}", 1)
    (folder / "CHANGELOG.md").write_text(frozen, encoding="utf-8")
