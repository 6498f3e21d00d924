"""Model stage: validated specs as plain, frozen objects; the only stage that reads OpenAPI."""

from __future__ import annotations

from .entities import Entity, Operation, Product, QueryParameter, State, build_product

__all__ = ["Entity", "Operation", "Product", "QueryParameter", "State", "build_product"]
