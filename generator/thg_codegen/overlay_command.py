"""`thg-codegen overlay SPEC`: a starting OpenAPI Overlay holding every hint inference could not
decide for a published document, each with what was assumed in its place as a comment.

`thg-codegen overlay SPEC --merge OTHER`: the same, for SPEC with OTHER's content merged in
(two documents the platform publishes for one product, THG001): the overlay adds what OTHER has
and SPEC lacks (paths, operations of a shared path, components, tags), so SPEC stays as
downloaded and OTHER can leave the folder. Where both say something different at the same place
nothing is written: the documents disagree, and choosing would silently drop one of them."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from thg_spec import pointer as jp
from thg_spec.loader import LoadedSpec, load_spec
from thg_spec.overlay import merge, overlay_path, pointer_to_jsonpath
from thg_spec.paths import overlay_for
from thg_spec.spec_index import HintNeeded, build_index

# Conflicts listed in the error before "and N more".
_SHOWN_CONFLICTS = 10


class OverlayCommandError(Exception):
    """SPEC cannot be read, or an overlay is already there (and --force was not given)."""


@dataclass(frozen=True)
class MergeAction:
    """One overlay action of a merge: `update` merged at the root adds what `why` says."""

    why: str
    update: dict[str, Any]


def _missing(ours: Any, theirs: Any) -> Iterator[tuple[str, Any, bool]]:
    """(key, value, conflict) for each key of `theirs` that `ours` lacks (conflict False) or
    holds with another value (conflict True)."""
    for key, value in theirs.items():
        if key not in ours:
            yield key, value, False
        elif ours[key] != value:
            yield key, value, True


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def merge_actions(ours: Any, theirs: Any) -> tuple[list[MergeAction], list[str]]:
    """What an overlay on `ours` adds to give it `theirs`'s content, and the JSON pointers where
    the two say different things (nothing is merged there). Only keys `ours` lacks are added,
    so applying the actions (objects merged recursively, arrays appended) never changes or
    duplicates anything `ours` says. `info`, `servers` and `security` stay `ours`'s."""
    ours, theirs = _mapping(ours), _mapping(theirs)
    conflicts: list[str] = []
    additions: dict[str, dict[str, Any]] = {"paths": {}, "components": {}}
    # Paths, then operations (and other members) of a path both have; components by section.
    for section in ("paths", "components"):
        mine, other = _mapping(ours.get(section)), _mapping(theirs.get(section))
        for key, value, clash in _missing(mine, other):
            if not clash:
                additions[section][key] = value
                continue
            at = jp.join(section, key)
            if not isinstance(mine[key], dict) or not isinstance(value, dict):
                conflicts.append(at)
                continue
            for member, inner, inner_clash in _missing(mine[key], value):
                if inner_clash:
                    conflicts.append(jp.child(at, member))
                else:
                    additions[section].setdefault(key, {})[member] = inner
    our_tags = {t.get("name") for t in ours.get("tags") or [] if isinstance(t, dict)}
    tags = [
        t for t in theirs.get("tags") or [] if isinstance(t, dict) and t.get("name") not in our_tags
    ]
    actions = []
    if additions["paths"]:
        actions.append(
            MergeAction("paths and operations of the other document", {"paths": additions["paths"]})
        )
    if additions["components"]:
        actions.append(
            MergeAction(
                "components (schemas…) of the other document",
                {"components": additions["components"]},
            )
        )
    if tags:
        actions.append(MergeAction("tags of the other document", {"tags": tags}))
    return actions, conflicts


def starting_overlay(
    spec_name: str, hints: list[HintNeeded], merged: tuple[str, list[MergeAction]] = ("", [])
) -> str:
    """The overlay's YAML text: the merge's actions first (`merged`: the other document's name
    and what to add from it), then one action per hint, its comment saying what is assumed."""
    lines = [
        f"# Hints thg-codegen could not infer from {spec_name} (an OpenAPI Overlay 1.0 document).",
        "# Each action gives one; its comment says what is assumed without it. Edit the values,",
        "# delete the actions you do not want, then run `thg-codegen validate` again.",
        "overlay: 1.0.0",
        "info:",
        f"  title: {json.dumps('Hints for ' + spec_name)}",
        "  version: '1'",
        "actions:",
    ]
    other, actions = merged
    for action in actions:
        update = yaml.safe_dump(action.update, default_flow_style=False, sort_keys=False)
        lines.append(f"  # {action.why}: {other}, merged in (this document stays as downloaded)")
        lines.append('  - target: "$"')
        lines.append("    update:")
        lines.extend(f"      {line}" for line in update.rstrip("\n").splitlines())
    for hint in hints:
        update = yaml.safe_dump(hint.value, default_flow_style=False, sort_keys=False)
        lines.append(f"  # {hint.why}")
        lines.append(f"  - target: {json.dumps(pointer_to_jsonpath(hint.pointer))}")
        lines.append("    update:")
        lines.extend(f"      {line}" for line in update.rstrip("\n").splitlines())
    return "\n".join(lines) + "\n"


def _load(path: Path) -> LoadedSpec:
    spec, problems = load_spec(path)
    if problems:
        raise OverlayCommandError(problems[0].format())
    return spec


def write_starting_overlay(
    spec_path: Path, force: bool, merge_from: Path | None = None
) -> tuple[Path | None, int]:
    """Write the overlay beside SPEC (with MERGE_FROM's content merged in, when given); (its
    path, or None when there was nothing to write; the number of actions)."""
    existing = overlay_for(spec_path)
    if existing is not None and not force:
        raise OverlayCommandError(
            f"{existing} exists: edit it, or pass --force to write a new one in its place"
        )
    spec = _load(spec_path)
    actions: list[MergeAction] = []
    if merge_from is not None:
        other = _load(merge_from)
        actions, conflicts = merge_actions(spec.data, other.data)
        if conflicts:
            shown = ", ".join(conflicts[:_SHOWN_CONFLICTS])
            more = len(conflicts) - _SHOWN_CONFLICTS
            raise OverlayCommandError(
                f"{spec.display_name} and {other.display_name} say different things at "
                f"{shown}{f' and {more} more' if more > 0 else ''}: nothing was written; keep "
                "one document, or merge those places by hand"
            )
        data = copy.deepcopy(spec.data)
        for action in actions:
            merge(data, action.update)
        spec = LoadedSpec(spec.path, spec.display_name, data, text=spec.text)
        merged = (other.display_name, actions)
    else:
        merged = ("", [])
    hints = build_index(spec).hints
    if not hints and not actions:
        return None, 0
    target = existing or overlay_path(spec_path)
    target.write_text(starting_overlay(spec.display_name, hints, merged), encoding="utf-8")
    return target, len(hints) + len(actions)
