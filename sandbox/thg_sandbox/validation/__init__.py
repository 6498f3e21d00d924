"""Request bodies checked against the spec: shape (unknown and read-only members), then schema."""

from __future__ import annotations

from .documents import AttributesCheck, check_attributes, read_request_document
from .schemas import SchemaSet

__all__ = ["AttributesCheck", "SchemaSet", "check_attributes", "read_request_document"]
