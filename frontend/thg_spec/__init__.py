"""The THG Connect spec front-end: read, validate and model the platform's OpenAPI documents.

Shared by the generator (which turns the model into Python) and the sandbox (which serves it), so
the specs are interpreted by one piece of code. Names are imported on first use: importing one
submodule (the loader, say) does not import the validators.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .diagnostics import Diagnostic as Diagnostic
    from .diagnostics import Severity as Severity
    from .diagnostics import has_errors as has_errors
    from .entities import Entity as Entity
    from .entities import Operation as Operation
    from .entities import Product as Product
    from .entities import QueryParameter as QueryParameter
    from .entities import State as State
    from .entities import build_product as build_product
    from .paths import discover_specs as discover_specs
    from .pipeline import SpecError as SpecError
    from .pipeline import load_products as load_products

__version__ = "0.1.0"

_HOMES = {
    "Diagnostic": "diagnostics",
    "Severity": "diagnostics",
    "has_errors": "diagnostics",
    "Entity": "entities",
    "Operation": "entities",
    "Product": "entities",
    "QueryParameter": "entities",
    "State": "entities",
    "build_product": "entities",
    "SpecError": "pipeline",
    "load_products": "pipeline",
    "discover_specs": "paths",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'thg_spec' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
