"""The nodes of a public surface: frozen values keyed by `Location`, compared key by key."""

from __future__ import annotations

from dataclasses import dataclass

from .shapes import FieldShape

READ = "read"  # the user receives it in a response
WRITE = "write"  # the user sends it in a request
VALUE_FIELD = "(value)"  # the field name of a model that is a single value (an enum, a scalar)

Docs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, order=True)
class Location:
    """Where a change is: a product, then an entity, operation, model or field within it."""

    product: str
    entity: str = ""  # entity path, dotted: `widget.check`
    operation: str = ""  # role (`create`, `list`, …) or action name
    schema: str = ""  # component schema name, the generated model
    field: str = ""  # path inside the model or operation: `name`, `lines[].sku`, `?filter`

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}

    def __str__(self) -> str:
        parts = [self.product + (f":{self.entity}" if self.entity else "")]
        if self.operation:
            parts.append(f"{self.operation}()")
        if self.schema:
            parts.append(f"model {self.schema}")
        if self.field:
            parts.append(self.field)
        return " · ".join(parts)


@dataclass(frozen=True, kw_only=True)
class Node:
    location: Location
    parent: Location | None
    docs: Docs = ()


@dataclass(frozen=True, kw_only=True)
class ProductNode(Node):
    base_url: str
    token_url: str


@dataclass(frozen=True, kw_only=True)
class EntityNode(Node):
    kind: str
    owner_role: str
    writer_role: str
    id_source: str
    model: str


@dataclass(frozen=True, kw_only=True)
class OperationNode(Node):
    method: str
    path: str


@dataclass(frozen=True, kw_only=True)
class StateNode(Node):
    model: str


@dataclass(frozen=True, kw_only=True)
class ModelNode(Node):
    used_by: frozenset[str]  # entity paths whose payloads reach this model


@dataclass(frozen=True, kw_only=True)
class VariantNode(Node):
    """One member of a union that is not a status (e.g. a product variant)."""

    model: str


@dataclass(frozen=True, kw_only=True)
class FieldNode(Node):
    shape: FieldShape
    required: bool
    directions: frozenset[str]


Surface = dict[Location, Node]
