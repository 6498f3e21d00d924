"""SQLite storage: one connection, one lock, every resource in one table."""

from __future__ import annotations

from .db import Database
from .resources import Resource, ResourceStore

__all__ = ["Database", "Resource", "ResourceStore"]
