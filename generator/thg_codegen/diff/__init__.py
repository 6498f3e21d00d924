"""`thg-codegen diff`: classify spec changes by their effect on the generated client.

`surface` extracts what a user of the generated client can observe, `compare` classifies every
difference (breaking / non-breaking / docs; the direction rule is in `fields`), `report` prints
them, `acknowledge` reads the reviewer's list of intended breaking changes (`--acknowledged`)
and `bump` turns the changes into the semver part to raise. `diff_products` is the call the
generator uses for versioning and the changelog.
"""

from __future__ import annotations

from collections.abc import Sequence

from thg_spec import Product

from .changes import BREAKING, CATEGORIES, DOCS, NON_BREAKING, Change, bump
from .compare import compare_surfaces
from .nodes import Location
from .python_names import name_changes
from .sources import SourceError, load_source
from .surface import extract_surface

__all__ = [
    "BREAKING",
    "CATEGORIES",
    "DOCS",
    "NON_BREAKING",
    "Change",
    "Location",
    "SourceError",
    "bump",
    "diff_products",
    "load_source",
    "version_bump",
]


def diff_products(old: Sequence[Product], new: Sequence[Product]) -> list[Change]:
    """Every classified change of the public surface from `old` to `new`, breaking first: the
    spec-level surface, and the Python names additions moved or rebound."""
    changes = compare_surfaces(extract_surface(list(old)), extract_surface(list(new)))
    return sorted(changes + name_changes(old, new), key=Change.sort_key)


def version_bump(old: Sequence[Product], new: Sequence[Product]) -> str:
    """ "major" | "minor" | "patch" | "none": the semver part the change from old to new needs."""
    return bump(diff_products(old, new))
