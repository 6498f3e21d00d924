"""Only uploaded documents may be referenced (specs/document.yaml: "Only available documents
may be referenced"). The generic check has already answered a 422 for references to nothing;
this rule adds one for a document that exists but whose file never arrived.

Installed on every entity whose schema can hold a reference to `document:document`, found by
reading the schemas, so a new spec's document fields are covered with no code change.
"""

from __future__ import annotations

from typing import Any

from thg_connect_core import InvalidReferenceError, Reference

from ..errors import ErrorObject, field_error
from ..hooks import AttributeRule, RuleContext
from ..service import Service
from ..validation import SchemaSet
from ..validation.documents import pointer_of
from ..validation.shape import ShapeReport, walk

DOCUMENT = "document:document"
AVAILABLE = "AVAILABLE"
MAX_NODES = 10_000  # a bound on the schema scan, not a limit any real spec comes near


def may_reference_documents(schemas: SchemaSet, pointer: str) -> bool:
    """Whether anything reachable from the schema at `pointer` names `document:document` in its
    `x-thg-reference-to`."""
    seen: set[str] = set()
    pending: list[Any] = [{"$ref": "#" + pointer}]
    budget = MAX_NODES
    while pending and budget > 0:
        budget -= 1
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            if ref not in seen:
                seen.add(ref)
                pending.append(schemas.at(ref[1:]))
        targets = node.get("x-thg-reference-to")
        if isinstance(targets, list) and DOCUMENT in targets:
            return True
        pending.extend(v for k, v in node.items() if k not in ("$ref", "examples", "example"))
    return False


def uploaded_documents_only(service: Service) -> AttributeRule:
    def rule(ctx: RuleContext) -> list[ErrorObject]:
        report = ShapeReport()
        schemas = service.schemas[ctx.product.name]
        walk(schemas, {"$ref": "#" + ctx.entity.schema}, ctx.attributes, (), report)
        errors: list[ErrorObject] = []
        for ref in report.references:
            try:
                parsed = Reference.parse(ref.value)
            except InvalidReferenceError:
                continue
            if parsed.entity_type != DOCUMENT:
                continue
            found = service.store.get(ctx.conn, DOCUMENT, parsed.owner, parsed.id)
            if found is not None and found.attributes.get("status") != AVAILABLE:
                errors.append(
                    field_error(
                        pointer_of(ref.path),
                        f"{ref.path[-1]} names {ref.value}, whose file has not been uploaded: "
                        "upload it first",
                    )
                )
        return errors

    return rule


def install_availability(service: Service) -> None:
    rule = uploaded_documents_only(service)
    for name, product in service.products.items():
        schemas = service.schemas[name]
        for entity in product.entities:
            if may_reference_documents(schemas, entity.schema):
                service.add_rule(entity.type_string, rule)
