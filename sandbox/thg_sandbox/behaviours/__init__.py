"""Documented special behaviours, each in its own module, installed as extensions."""

from __future__ import annotations

from ..documents import install_documents
from ..events import install_events
from .auto_approve import install_auto_approve
from .fulfilment_scenarios import install_fulfilment_scenarios
from .inbound import install_inbound
from .product_models import install_product_models
from .unique_keys import install_unique_keys

# Events before the sandbox's reactions: an item's (a request's) CREATED event is queued before
# the approval it causes.
BUILTIN = (
    install_unique_keys,
    install_product_models,
    install_events,
    install_auto_approve,
    install_inbound,
    install_fulfilment_scenarios,
    install_documents,
)

__all__ = [
    "BUILTIN",
    "install_auto_approve",
    "install_fulfilment_scenarios",
    "install_inbound",
    "install_product_models",
    "install_unique_keys",
]
