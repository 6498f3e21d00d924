"""The diff for people (grouped text for a terminal) and for CI (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .changes import BREAKING, CATEGORIES, DOCS, NON_BREAKING, Change, bump

_TITLES = {
    BREAKING: "Breaking changes",
    NON_BREAKING: "Additions and other compatible changes",
    DOCS: "Docs-only changes",
}


def summary(changes: Sequence[Change]) -> dict[str, int]:
    return {category: sum(c.category == category for c in changes) for category in CATEGORIES}


def as_json(changes: Sequence[Change], old: str, new: str) -> str:
    """`{"old", "new", "bump", "summary": {category: count}, "changes": [...]}`, sorted keys."""
    document = {
        "old": old,
        "new": new,
        "bump": bump(changes),
        "summary": summary(changes),
        "changes": [c.as_json() for c in changes],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def as_text(changes: Sequence[Change], old: str, new: str) -> str:
    if not changes:
        return f"No changes to the client's public surface between {old} and {new}.\n"
    counts = summary(changes)
    lines = [
        f"{old} → {new}: {counts[BREAKING]} breaking, {counts[NON_BREAKING]} non-breaking, "
        f"{counts[DOCS]} docs-only; version bump: {bump(changes)}",
    ]
    for category in CATEGORIES:
        group = [c for c in changes if c.category == category]
        if not group:
            continue
        lines += ["", f"{_TITLES[category]} ({len(group)}):"]
        for change in group:
            lines.append(f"  {change.location}")
            lines.append(f"    {change.reason} [{change.kind}]")
            if change.action:
                lines.append(f"    → {change.action}")
    return "\n".join(lines) + "\n"
