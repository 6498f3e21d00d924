"""Validate stage: OpenAPI structure first, then one check per rule of specs/CONVENTIONS.md."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..diagnostics import Diagnostic
from ..loader import LoadedSpec, load_spec
from ..spec_index import build_index
from . import rules_document, rules_examples, rules_paths, rules_schemas
from .context import RuleContext
from .openapi_schema import check_openapi
from .refs import check_refs

Rule = Callable[[RuleContext], list[Diagnostic]]

RULES: tuple[Rule, ...] = (
    rules_document.check_product,
    rules_paths.check_path_shapes,
    rules_paths.check_path_parameters,
    rules_paths.check_entity_declarations,
    rules_paths.check_operations,
    rules_schemas.check_status_schemas,
    rules_schemas.check_reference_fields,
    rules_paths.check_actions,
    rules_paths.check_lookups,
    rules_schemas.check_responses,
    rules_paths.check_list_parameters,
    rules_document.check_security,
    rules_document.check_descriptions,
    rules_examples.check_examples,
)

__all__ = ["RULES", "discover_specs", "validate_loaded", "validate_paths"]


def discover_specs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def validate_loaded(
    specs: Sequence[LoadedSpec], siblings: Sequence[LoadedSpec] = ()
) -> list[Diagnostic]:
    """Run every rule over specs that loaded; `siblings` only contribute known entity types."""
    indexes = [build_index(s) for s in specs]
    known: set[str] = set()
    for index in [*indexes, *(build_index(s) for s in siblings)]:
        known |= index.entity_types()
    problems: list[Diagnostic] = []
    for index in indexes:
        problems.extend(check_refs(index.spec))
        problems.extend(check_openapi(index.spec))
        if not isinstance(index.spec.data, dict) or not isinstance(
            index.spec.data.get("paths"), dict
        ):
            continue
        ctx = RuleContext(index, frozenset(known))
        for rule in RULES:
            try:
                problems.extend(rule(ctx))
            except Exception as exc:  # a rule's bug must not hide the other rules' findings
                problems.append(
                    index.spec.diagnostic(
                        "",
                        "THG999",
                        f"internal error in {rule.__name__}: {type(exc).__name__}: {exc}",
                        "Please report this with the spec that caused it",
                    )
                )
    return problems


def validate_paths(paths: Sequence[Path]) -> tuple[list[LoadedSpec], list[Diagnostic]]:
    """Load and validate; every problem of every file in one list, sorted by location."""
    problems: list[Diagnostic] = []
    loaded: list[LoadedSpec] = []
    for path in paths:
        spec, load_problems = load_spec(path)
        problems.extend(load_problems)
        if not load_problems:
            loaded.append(spec)
    chosen = {p.resolve() for p in paths}
    siblings: list[LoadedSpec] = []
    for folder in sorted({p.resolve().parent for p in paths}):
        for other in discover_specs(folder):
            if other.resolve() not in chosen:
                spec, load_problems = load_spec(other)
                if not load_problems:
                    siblings.append(spec)
    problems.extend(validate_loaded(loaded, siblings))
    return loaded, sorted(set(problems))
