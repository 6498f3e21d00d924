"""Documented special behaviours, each in its own module, installed as extensions."""

from __future__ import annotations

from .product_models import install_product_models
from .sandbox_org import install_sandbox_org
from .unique_keys import install_unique_keys

BUILTIN = (install_unique_keys, install_product_models, install_sandbox_org)

__all__ = ["BUILTIN", "install_product_models", "install_sandbox_org", "install_unique_keys"]
