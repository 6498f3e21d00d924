"""What every convention rule receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..loader import LoadedSpec
from ..spec_index import SpecIndex
from .refs import resolve


@dataclass(frozen=True)
class RuleContext:
    index: SpecIndex
    # Entity type strings of every spec in the folder: references may cross products (THG024).
    known_entity_types: frozenset[str] = field(default_factory=frozenset)

    @property
    def spec(self) -> LoadedSpec:
        return self.index.spec

    @property
    def data(self) -> dict[str, Any]:
        return self.spec.data if isinstance(self.spec.data, dict) else {}

    def resolve(self, value: Any) -> Any:
        return resolve(self.data, value)
