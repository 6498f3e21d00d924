"""Every check of a loaded spec, in order: refs, OpenAPI 3.1, then one rule per CONVENTIONS rule."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet

from ..diagnostics import Diagnostic
from ..loader import LoadedSpec
from ..spec_index import build_index
from . import (
    rules_document,
    rules_examples,
    rules_paths,
    rules_price_regions,
    rules_schemas,
    rules_unique,
)
from .context import RuleContext
from .openapi_schema import check_openapi
from .refs import check_refs, scan

Rule = Callable[[RuleContext], list[Diagnostic]]

# Each rule knows both dialects (ctx.index.dialect): the annotated one (our specs/, CONVENTIONS
# §1-§15) and the platform's published documents (§16), where the rules that encode our own
# lexical choices step aside and inference's notes (check_inferred) say what it could not decide.
RULES: tuple[Rule, ...] = (
    rules_document.check_inferred,
    rules_document.check_product,
    rules_paths.check_path_shapes,
    rules_paths.check_path_parameters,
    rules_paths.check_entity_declarations,
    rules_paths.check_operations,
    rules_schemas.check_status_schemas,
    rules_schemas.check_written_schemas,
    rules_paths.check_actions,
    rules_paths.check_lookups,
    rules_paths.check_values_paths,
    rules_unique.check_unique_keys,
    rules_price_regions.check_price_regions,
    rules_schemas.check_responses,
    rules_paths.check_list_parameters,
    rules_document.check_security,
    rules_document.check_descriptions,
    rules_examples.check_examples,
)


def validate_loaded(
    specs: Sequence[LoadedSpec],
    siblings: Sequence[LoadedSpec] = (),
    trusted: AbstractSet[str] = frozenset(),
) -> list[Diagnostic]:
    """Run every rule over specs that loaded; `siblings` only contribute known entity types.

    ``trusted``: content hashes of specs known to pass the OpenAPI 3.1 check under the current
    validator (see ``openapi_schema.check_openapi``); that check, by far the slowest, is skipped
    for them. The convention rules always run (they depend on the siblings too)."""
    indexes = [build_index(s) for s in specs]
    known: set[str] = set()
    for index in [*indexes, *(build_index(s) for s in siblings)]:
        known |= index.entity_types()
    problems: list[Diagnostic] = rules_document.check_one_document_per_product(indexes)
    for index in indexes:
        found = scan(index.spec.data)
        problems.extend(check_refs(index.spec, found))
        problems.extend(check_openapi(index.spec, found, trusted))
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
