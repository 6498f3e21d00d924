"""The public surface of the generated client, as comparable values keyed by location.

`extract_surface` flattens products into one mapping from `Location` to a frozen node: products,
entities, operations, query parameters, status states, models (named component schemas) and their
fields. Two surfaces are compared key by key (`compare.py`), so a node holds only what a user of
the generated client can observe: names, shapes, constraints, directions and docs.

Fields live under the named schema (model) that declares them, because the generated client has
one pydantic model per schema: `Address.city` is one field however many entities embed an
`Address`. Inline objects stay under their enclosing model with a dotted path (`lines[].sku`).
"""

from __future__ import annotations

from thg_spec import Entity, Operation, Product

from .nodes import (
    READ,
    WRITE,
    EntityNode,
    FieldNode,
    Location,
    OperationNode,
    ProductNode,
    StateNode,
    Surface,
)
from .shapes import docs_of, shape_of
from .walker import SchemaWalker, component_name


def _entity_directions(entity: Entity) -> frozenset[str]:
    writes = any(op.role in ("create", "replace") and op.request_schema for op in entity.operations)
    return frozenset({READ, WRITE} if writes else {READ})


def _operation_name(op: Operation) -> str:
    return op.action or op.role


def _add_operation(surface: Surface, walker: SchemaWalker, entity: Location, op: Operation) -> None:
    here = Location(entity.product, entity.entity, _operation_name(op))
    surface[here] = OperationNode(
        location=here,
        parent=entity,
        method=op.method,
        path=op.path,
        docs=docs_of(summary=op.summary, description=op.description, operationId=op.operation_id),
    )
    for param in op.query:
        at = Location(here.product, here.entity, here.operation, field=f"?{param.name}")
        surface[at] = FieldNode(
            location=at,
            parent=here,
            shape=shape_of(param.schema, walker.document),
            required=param.required,
            directions=frozenset({WRITE}),
            docs=docs_of(description=param.description),
        )
    if op.role == "action":
        # Action bodies are not entity payloads: walk what is sent and what comes back.
        walker.add_body(here, op.request_schema, "request", frozenset({WRITE}), entity.entity)
        walker.add_body(here, op.response_schema, "response", frozenset({READ}), entity.entity)


def _add_entity(surface: Surface, walker: SchemaWalker, product: Product, entity: Entity) -> None:
    name = ".".join(entity.name)
    here = Location(product.name, name)
    parent = Location(product.name, ".".join(entity.name[:-1])) if len(entity.name) > 1 else None
    model = component_name(entity.schema)
    surface[here] = EntityNode(
        location=here,
        parent=parent or Location(product.name),
        kind=entity.kind,
        owner_role=entity.owner_role,
        writer_role=entity.writer_role,
        id_source=entity.id_source,
        model=model,
    )
    directions = _entity_directions(entity)
    if entity.kind == "status":
        walker.add_union_root(entity.schema, directions, name)
        for state in entity.states:
            at = Location(product.name, name, field=f"[{state.value}]")
            surface[at] = StateNode(location=at, parent=here, model=component_name(state.schema))
            walker.add_root(state.schema, directions, name)
    else:
        walker.add_root(entity.schema, directions, name)
    for op in entity.operations:
        _add_operation(surface, walker, here, op)


def extract_surface(products: list[Product]) -> Surface:
    """Every product's public surface in one mapping, keyed by location."""
    surface: Surface = {}
    for product in products:
        here = Location(product.name)
        surface[here] = ProductNode(
            location=here,
            parent=None,
            base_url=product.base_url,
            token_url=product.token_url,
            docs=docs_of(title=product.title, description=product.description),
        )
        walker = SchemaWalker(product, surface)
        for entity in product.entities:
            _add_entity(surface, walker, product, entity)
        walker.finish()
    return surface
