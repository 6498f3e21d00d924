"""The entity types of one family of bench/synthetic_specs.py, with their names and examples.

A family copies the shapes of specs/thg-fulfil.yaml (inventory item + approval, fulfilment request
+ dispatched + delivery): a top-level entity, a status on it, a child entity, and a third level
holding a status and an immutable entity.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

REFERENCE_ID = "9f2c4e1a-6b7d-4c3e-8a51-2d0f7b9e4a13"
ENTITY_ID = "511a3f57-2154-418e-928e-1b91e3d1b589"
OWNER = "brandco"
CREATED_AT = "2026-02-09T09:14:27.301845"

# (leaf segment, kind, writer side) of the five entity types of a family, parents first.
ROLES: Tuple[Tuple[Tuple[str, ...], str, str], ...] = (
    ((), "entity", "owner"),
    (("review",), "status", "other"),
    (("part",), "entity", "other"),
    (("part", "check"), "status", "other"),
    (("part", "note"), "entity", "owner"),
)


def kebab_to_pascal(kebab: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in kebab.split("-"))


def _camel(kebab: str) -> str:
    name = kebab_to_pascal(kebab)
    return name[:1].lower() + name[1:]


@dataclass(frozen=True)
class EntityInfo:
    name: Tuple[str, ...]
    kind: str
    writer: str  # consumer | provider | owner
    owner: str  # consumer | provider

    @property
    def pascal(self) -> str:
        return "".join(kebab_to_pascal(s) for s in self.name)

    @property
    def schema(self) -> str:
        return self.pascal

    @property
    def plural_pascal(self) -> str:
        return self.pascal + "s"

    @property
    def words(self) -> str:
        top, *rest = self.name
        head, *tail = top.split("-")
        return " ".join([head, *(t.upper() if len(t) <= 2 else t for t in tail), *rest])

    @property
    def plural_words(self) -> str:
        return self.words + "s"

    @property
    def article_words(self) -> str:
        return ("an " if self.words[0] in "aeiou" else "a ") + self.words

    @property
    def writer_words(self) -> str:
        return self.owner if self.writer == "owner" else self.writer

    @property
    def id_param(self) -> str:
        return _camel(self.name[-1]) + "Id"

    @property
    def id_component(self) -> str:
        return self.pascal + "Id"

    @property
    def type_string(self) -> str:
        return "synth:" + ".".join(self.name)

    @property
    def mutable(self) -> bool:
        return self.name[-1] != "note"


@dataclass(frozen=True)
class Family:
    product: str
    top: str
    size: int  # how many of ROLES this family has (the last family may be short)
    owner: str  # consumer | provider
    related: str  # the top entity of the previous family, target of a reference field
    changed: bool  # the incremental benchmark's edit: one more attribute on the top entity

    @property
    def tag(self) -> str:
        return self.entities()[0].words.capitalize()

    @property
    def pascal(self) -> str:
        return kebab_to_pascal(self.top)

    def entities(self) -> List[EntityInfo]:
        other = "provider" if self.owner == "consumer" else "consumer"
        return [
            EntityInfo((self.top, *leaf), kind, other if writer == "other" else writer, self.owner)
            for leaf, kind, writer in ROLES[: self.size]
        ]

    def entity(self, name: Tuple[str, ...]) -> EntityInfo:
        return next(e for e in self.entities() if e.name == name)

    def with_change(self) -> "Family":
        return dataclasses.replace(self, changed=True)

    def attributes_example(self, name: Tuple[str, ...]) -> Dict[str, Any]:
        leaf = name[1:]
        if leaf == ():
            return {
                "code": "SKU-100045",
                "name": "Amber Dusk eau de parfum 50 ml",
                "category": "FRAGILE",
                "quantity": 12,
                "weight_g": 245.5,
                "price": {"amount": 18.5, "currency": "GBP"},
                "dimensions": {"height_mm": 120, "width_mm": 65, "length_mm": 40},
                "tags": ["gift", "glass"],
                "lines": [{"lineId": "1", "sku": "BRC-EDP-50", "quantity": 2}],
                "scheduledAt": "2026-02-11T00:00:00+00:00",
                "relatedTo": f"thg:{self.product}:{self.related}#{OWNER}@{REFERENCE_ID}",
                "active": True,
            }
        if leaf == ("review",):
            return {"state": "REJECTED", "reason": "Barcode does not match the GS1 register"}
        if leaf == ("part",):
            return {
                "carrier": {"name": "Evri", "service": "Evri Packet Standard"},
                "shippedAt": "2026-02-11T00:00:00+00:00",
                "lines": [
                    {
                        "lineId": "1",
                        "expectedQuantity": 2,
                        "shippedQuantity": 2,
                        "condition": "GOOD",
                        "batchNumber": None,
                    }
                ],
                "tracking": {"number": "HZYEJA12345", "url": None},
            }
        if leaf == ("part", "check"):
            return {"state": "PASSED", "checkedAt": "2026-02-11T13:09:43+00:00"}
        return {
            "text": "Left with the neighbour at number 14.",
            "visibility": "SHARED",
            "about": f"thg:{self.product}:{self.top}#{OWNER}@{REFERENCE_ID}",
        }

    def request_example(self, name: Tuple[str, ...]) -> Dict[str, Any]:
        e = self.entity(name)
        return {"data": {"type": e.type_string, "attributes": self.attributes_example(name)}}

    def document_example(self, name: Tuple[str, ...]) -> Dict[str, Any]:
        e = self.entity(name)
        parent = {}
        if len(name) > 1:
            parent = {EntityInfo(name[:-1], "entity", "", "").type_string: REFERENCE_ID}
        meta = {
            "createdAt": CREATED_AT,
            "creator": OWNER,
            "owner": OWNER,
            "parent": parent,
            "product": self.product,
            "reference": f"thg:{e.type_string}#{OWNER}@{ENTITY_ID}",
            "updatedAt": CREATED_AT,
        }
        resource = {
            "id": ENTITY_ID,
            "type": e.type_string,
            "attributes": self.attributes_example(name),
            "meta": meta,
            "version": "1",
        }
        return {"data": resource, "meta": {}}
