"""The front half of the generator as one call: load → validate → model.

The sandbox and the generator's later stages both start here, so the specs are interpreted once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .diagnostics import Diagnostic, has_errors
from .entities import Product, build_product
from .validation import discover_specs, validate_paths


class SpecError(Exception):
    """The specs have errors; `diagnostics` lists every one, located."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        lines = "\n".join(d.format() for d in self.diagnostics)
        super().__init__(f"{len(self.diagnostics)} problem(s) in the specs:\n{lines}")


def load_products(specs: Path | Sequence[Path]) -> list[Product]:
    """Every product of a specs folder (or of the given files), in file-name order.

    Raises SpecError, with all diagnostics, if any spec is invalid: nothing half-read is returned.
    """
    paths = discover_specs(specs) if isinstance(specs, Path) else list(specs)
    loaded, problems = validate_paths(paths)
    if has_errors(problems):
        raise SpecError(problems)
    return [build_product(spec) for spec in loaded]
