"""The diff for people (grouped text for a terminal) and for CI (JSON).

With an acknowledgement file (`acknowledge`), breaking changes are marked acknowledged or not,
the summary counts the unacknowledged ones, and entries that match nothing are listed as stale.
Without one, the report is exactly what it was before acknowledgements existed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from .acknowledge import Acknowledgements, entry_for
from .changes import BREAKING, CATEGORIES, DOCS, NON_BREAKING, Change, bump

_TITLES = {
    BREAKING: "Breaking changes",
    NON_BREAKING: "Additions and other compatible changes",
    DOCS: "Docs-only changes",
}


def summary(changes: Sequence[Change]) -> dict[str, int]:
    return {category: sum(c.category == category for c in changes) for category in CATEGORIES}


def _change_json(index: int, change: Change, acks: Acknowledgements | None) -> dict[str, object]:
    data = change.as_json()
    if acks is not None and change.category == BREAKING:
        data["acknowledged"] = acks.is_acknowledged(index)
        if acks.is_acknowledged(index):
            data["why"] = acks.why[index]
    return data


def as_json(
    changes: Sequence[Change],
    old: str,
    new: str,
    acks: Acknowledgements | None = None,
    outcome: Mapping[str, object] | None = None,
) -> str:
    """`{"old", "new", "bump", "summary": {category: count}, "changes": [...]}`, sorted keys,
    plus the `outcome` members every command's JSON has (`command`, `exit_code`).

    With `acks`: breaking changes carry `acknowledged` (and `why`), the summary has
    `unacknowledged`, and `acknowledgements` names the file and its stale entries.
    """
    counts: dict[str, object] = dict(summary(changes))
    document: dict[str, object] = {
        **(outcome or {}),
        "old": old,
        "new": new,
        "bump": bump(changes),
        "summary": counts,
        "changes": [_change_json(i, c, acks) for i, c in enumerate(changes)],
    }
    if acks is not None:
        counts["unacknowledged"] = len(acks.unacknowledged(changes))
        document["acknowledgements"] = {
            "file": acks.file,
            "stale": [entry.as_json() for entry in acks.stale],
        }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _headline(changes: Sequence[Change], old: str, new: str, acks: Acknowledgements | None) -> str:
    counts = summary(changes)
    breaking = f"{counts[BREAKING]} breaking"
    if acks is not None and counts[BREAKING]:
        breaking += f" ({counts[BREAKING] - len(acks.unacknowledged(changes))} acknowledged)"
    return (
        f"{old} → {new}: {breaking}, {counts[NON_BREAKING]} non-breaking, "
        f"{counts[DOCS]} docs-only; version bump: {bump(changes)}"
    )


def _acknowledgement_lines(index: int, change: Change, acks: Acknowledgements) -> list[str]:
    if acks.is_acknowledged(index):
        return [f"    ✓ acknowledged in {acks.file}: {acks.why[index]}"]
    return [
        f"    ✗ not acknowledged; if intended, add to {acks.file}:",
        f"      {entry_for(change)}",
    ]


def stale_lines(acks: Acknowledgements, old: str, new: str) -> list[str]:
    return [
        f"{acks.file}:{entry.line}: `{entry.kind}` at `{entry.where}` matches no breaking "
        f"change between {old} and {new}; remove the entry"
        for entry in acks.stale
    ]


def as_text(
    changes: Sequence[Change], old: str, new: str, acks: Acknowledgements | None = None
) -> str:
    if not changes:
        lines = [f"No changes to the client's public surface between {old} and {new}."]
    else:
        lines = [_headline(changes, old, new, acks)]
    for category in CATEGORIES:
        group = [(i, c) for i, c in enumerate(changes) if c.category == category]
        if not group:
            continue
        lines += ["", f"{_TITLES[category]} ({len(group)}):"]
        for index, change in group:
            lines.append(f"  {change.location}")
            lines.append(f"    {change.reason} [{change.kind}]")
            if change.action:
                lines.append(f"    → {change.action}")
            if acks is not None and category == BREAKING:
                lines += _acknowledgement_lines(index, change, acks)
    if acks is not None and acks.stale:
        lines += ["", f"Stale acknowledgements ({len(acks.stale)}):"]
        lines += [f"  warning: {line}" for line in stale_lines(acks, old, new)]
    return "\n".join(lines) + "\n"
