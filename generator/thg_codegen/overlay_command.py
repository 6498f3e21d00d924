"""`thg-codegen overlay SPEC`: a starting OpenAPI Overlay holding every hint inference could not
decide for a published document, each with what was assumed in its place as a comment."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from thg_spec.loader import load_spec
from thg_spec.overlay import overlay_path, pointer_to_jsonpath
from thg_spec.paths import overlay_for
from thg_spec.spec_index import HintNeeded, build_index


class OverlayCommandError(Exception):
    """SPEC cannot be read, or an overlay is already there (and --force was not given)."""


def starting_overlay(spec_name: str, hints: list[HintNeeded]) -> str:
    """The overlay's YAML text: one action per hint, its comment saying what is assumed."""
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
    for hint in hints:
        update = yaml.safe_dump(hint.value, default_flow_style=False, sort_keys=False)
        lines.append(f"  # {hint.why}")
        lines.append(f"  - target: {json.dumps(pointer_to_jsonpath(hint.pointer))}")
        lines.append("    update:")
        lines.extend(f"      {line}" for line in update.rstrip("\n").splitlines())
    return "\n".join(lines) + "\n"


def write_starting_overlay(spec_path: Path, force: bool) -> tuple[Path | None, int]:
    """Write the overlay beside SPEC; (its path, or None when nothing was left to infer; the
    number of hints)."""
    existing = overlay_for(spec_path)
    if existing is not None and not force:
        raise OverlayCommandError(
            f"{existing} exists: edit it, or pass --force to write a new one in its place"
        )
    spec, problems = load_spec(spec_path)
    if problems:
        raise OverlayCommandError(problems[0].format())
    hints = build_index(spec).hints
    if not hints:
        return None, 0
    target = existing or overlay_path(spec_path)
    target.write_text(starting_overlay(spec.display_name, hints), encoding="utf-8")
    return target, len(hints)
