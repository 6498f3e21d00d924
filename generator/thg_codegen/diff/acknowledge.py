"""Breaking changes a pull request intends: the acknowledgement file and its matching.

The file is Markdown (`specs/BREAKING.md` by convention) that a reviewer of the API team edits
by hand in the pull request. Every list item that starts with a backquote is one
acknowledgement, written exactly as the text report suggests it:

    - `field-removed` at `thg-fulfil:inventory-item · model InventoryItem · legacyCode`: why

The kind and the place are the report's `kind` and `where`; the reason after the colon is
required, so that the intent is written down where the change is reviewed. Everything else
(headings, prose, fenced examples) is free text. An item that starts with a backquote but does
not parse is an error rather than free text: a typo must not silently disarm an
acknowledgement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .changes import BREAKING, Change

_ENTRY = re.compile(r"^[-*+] `(?P<kind>[a-z][a-z0-9-]*)` at `(?P<where>[^`]+)`:(?P<why>.*)$")
_LOOKS_LIKE_ENTRY = re.compile(r"^[-*+] `")
_FENCE = re.compile(r"^(```|~~~)")
FORM = "- `KIND` at `WHERE`: why it is intended"


class AcknowledgementError(Exception):
    """The acknowledgement file cannot be read or has a malformed entry (file:line: what)."""


@dataclass(frozen=True)
class Acknowledgement:
    kind: str
    where: str
    why: str
    line: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, _normalise(self.where))

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "where": self.where, "why": self.why, "line": self.line}


@dataclass(frozen=True)
class Acknowledgements:
    """The entries of one acknowledgement file, matched against the changes of one diff."""

    file: str
    why: dict[int, str]  # index in the change list of an acknowledged breaking change → reason
    stale: tuple[Acknowledgement, ...]  # entries that match no breaking change of this diff

    def is_acknowledged(self, index: int) -> bool:
        return index in self.why

    def unacknowledged(self, changes: Sequence[Change]) -> list[Change]:
        return [c for i, c in enumerate(changes) if c.category == BREAKING and i not in self.why]


def _normalise(where: str) -> str:
    return " ".join(where.split())


def entry_for(change: Change) -> str:
    """The line to add to the acknowledgement file to intend `change`."""
    return f"- `{change.kind}` at `{change.location}`: <why this break is intended>"


def parse_acknowledgements(text: str, file: str) -> list[Acknowledgement]:
    entries: list[Acknowledgement] = []
    in_fence = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or not _LOOKS_LIKE_ENTRY.match(line):
            continue
        match = _ENTRY.match(line)
        if match is None:
            raise AcknowledgementError(
                f"{file}:{number}: not an acknowledgement; write it as {FORM}"
            )
        why = match["why"].strip()
        if not why or why.startswith("<"):
            raise AcknowledgementError(
                f"{file}:{number}: say why `{match['kind']}` is intended after the colon"
            )
        entries.append(Acknowledgement(match["kind"], match["where"].strip(), why, number))
    return entries


def load_acknowledgements(path: Path) -> list[Acknowledgement]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AcknowledgementError(f"{path}: cannot read the acknowledgement file ({exc})") from exc
    return parse_acknowledgements(text, str(path))


def match_acknowledgements(
    entries: Sequence[Acknowledgement], changes: Sequence[Change], file: str
) -> Acknowledgements:
    """Pair entries with breaking changes by (kind, where); one entry covers every such change."""
    by_key = {entry.key: entry for entry in entries}
    used: set[tuple[str, str]] = set()
    why: dict[int, str] = {}
    for index, change in enumerate(changes):
        key = (change.kind, _normalise(str(change.location)))
        if change.category == BREAKING and key in by_key:
            why[index] = by_key[key].why
            used.add(key)
    stale = tuple(entry for entry in entries if entry.key not in used)
    return Acknowledgements(file=file, why=why, stale=stale)
