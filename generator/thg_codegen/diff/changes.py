"""A classified change, and the version bump a list of them calls for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .nodes import READ, WRITE, Location

BREAKING = "breaking"  # code written against the old client, or the old client itself, may fail
NON_BREAKING = "non-breaking"  # additions and loosenings: old code keeps working
DOCS = "docs"  # descriptions, summaries, titles, examples: nothing but the text changes
CATEGORIES = (BREAKING, NON_BREAKING, DOCS)

_BUMPS = {BREAKING: "major", NON_BREAKING: "minor", DOCS: "patch"}


@dataclass(frozen=True)
class Change:
    category: str
    kind: str  # a stable rule name, e.g. `field-became-required`
    location: Location
    reason: str  # what changed, in plain words
    action: str = ""  # for breaking changes: what a user must change in their code

    def sort_key(self) -> tuple[int, Location, str, str]:
        return (CATEGORIES.index(self.category), self.location, self.kind, self.reason)

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "category": self.category,
            "kind": self.kind,
            "location": self.location.as_dict(),
            "where": str(self.location),
            "reason": self.reason,
        }
        if self.action:
            data["action"] = self.action
        return data


def bump(changes: Iterable[Change]) -> str:
    """The semver part to raise: "major" | "minor" | "patch" | "none"."""
    found = {c.category for c in changes}
    return next((_BUMPS[c] for c in CATEGORIES if c in found), "none")


def narrowing(directions: frozenset[str]) -> str:
    """Fewer values allowed: it breaks whoever sends the value (a request field, a parameter)."""
    return BREAKING if WRITE in directions else NON_BREAKING


def widening(directions: frozenset[str]) -> str:
    """More values possible: it breaks whoever reads the value (a response field)."""
    return BREAKING if READ in directions else NON_BREAKING


def reshaping(directions: frozenset[str]) -> str:
    """Neither narrower nor wider: some old values are refused and some new ones appear."""
    return BREAKING if directions else NON_BREAKING
