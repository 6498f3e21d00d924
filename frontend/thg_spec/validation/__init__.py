"""Validate stage: OpenAPI structure first, then one check per rule of specs/CONVENTIONS.md."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..diagnostics import Diagnostic, has_errors
from ..loader import UNREADABLE, LoadedSpec, load_spec
from ..overlay import apply_overlay
from ..paths import discover_specs

__all__ = [
    "discover_specs",
    "load_paths",
    "validate_loaded",
    "validate_paths",
]


def validate_loaded(
    specs: Sequence[LoadedSpec], siblings: Sequence[LoadedSpec] = ()
) -> list[Diagnostic]:
    """Run every check over specs that loaded; `siblings` only contribute known entity types."""
    from .checks import validate_loaded as run_checks

    return run_checks(specs, siblings)


def load_paths(
    paths: Sequence[Path],
) -> tuple[list[LoadedSpec], list[LoadedSpec], list[Diagnostic]]:
    """The specs that loaded, their siblings (the other specs of their folders, which only
    contribute entity types) and every problem of the files that did not load, and of the
    siblings that cannot be read at all (their problems of content are theirs to report)."""
    problems: list[Diagnostic] = []
    loaded: list[LoadedSpec] = []
    for path in paths:
        spec, load_problems = load_spec(path)
        if not load_problems:
            load_problems = apply_overlay(spec)
        problems.extend(load_problems)
        if not has_errors(load_problems):
            loaded.append(spec)
    chosen = {p.resolve() for p in paths}
    siblings: list[LoadedSpec] = []
    for folder in sorted({p.resolve().parent for p in paths}):
        for other in discover_specs(folder):
            if other.resolve() not in chosen:
                spec, load_problems = load_spec(other)
                if not load_problems and not has_errors(apply_overlay(spec)):
                    siblings.append(spec)
                problems.extend(p for p in load_problems if p.message.startswith(UNREADABLE))
    return loaded, siblings, problems


def validate_paths(paths: Sequence[Path]) -> tuple[list[LoadedSpec], list[Diagnostic]]:
    """Load and validate; every problem of every file in one list, sorted by location."""
    loaded, siblings, problems = load_paths(paths)
    problems.extend(validate_loaded(loaded, siblings))
    return loaded, sorted(set(problems))
