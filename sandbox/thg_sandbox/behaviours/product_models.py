"""Products checked against the product model they name (product-api.txt, specs/product.yaml).

The spec's `Product` schema leaves `attributes` open and `variants` a plain `oneOf`, because what
a product may carry is data: the owner's product model (`modelName` + `modelVersion`) lists its
`availableAttributes` with constraints, and attribute types (the providers' reference data) add
their value kinds and default constraints. So this module replaces the generic check for
`product:product`: the product's own fields by the schema, its `attributes` by its model, each
content variant the same way against its own model, and each leaf (a variant with a `sku`)
against the static vInventory schema.

Errors follow the documented shape: model and leaf field errors point at the bare field name
(`"pointer": "mass_g"`), with the variant's place in the detail; structural errors keep the usual
`/data/attributes/...` pointer, and so do a leaf's price regions and currencies (checked against
the spec's `x-thg-price-regions` table), which a bare `prices` could not locate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute

from ..errors import ErrorObject, field_error
from ..hooks import RuleContext
from ..validation import AttributesCheck, SchemaSet, check_attributes
from ..validation.documents import pointer_of

if TYPE_CHECKING:
    from ..app import Sandbox

PRODUCT = "product:product"
MODEL = "product:product-model"
ATTRIBUTE_TYPE = "product:attribute-type"
SCHEMAS = {
    "product": "/components/schemas/Product",
    "content": "/components/schemas/ProductVariant",
}
LEAF_SCHEMA = "/components/schemas/VInventory"
MAX_DEPTH = 8  # products nest a few levels (product > colour > size); a deeper tree is an error
MAX_NODES = 2000
BUILTIN_KINDS = ("string", "number", "integer", "boolean", "enum")
PRICE_REGIONS = "x-thg-price-regions"  # on VInventory.prices: region -> required currencies


@dataclass(frozen=True)
class _Kind:
    value_type: str
    constraints: dict[str, Any]


def _place(path: tuple[str | int, ...]) -> str:
    """`variants[0].variants[1]` for messages; empty for the product itself."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class ProductModels:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.schemas: SchemaSet = sandbox.service.schemas["product"]
        self.regions = price_regions(self.schemas.at(LEAF_SCHEMA))

    # -- look-ups (inside the write's transaction) -----------------------------------------

    def _model(self, ctx: RuleContext, name: Any, version: Any) -> dict[str, Any] | None:
        row = ctx.conn.execute(
            "SELECT attributes FROM resources WHERE entity = ? AND owner = ? "
            "AND json_extract(attributes, '$.name') = ? "
            "AND json_extract(attributes, '$.version') = ? "
            "ORDER BY created_at, id LIMIT 1",
            (MODEL, ctx.owner, str(name), str(version)),
        ).fetchone()
        if row is None:
            return None
        found: dict[str, Any] = json.loads(row["attributes"])
        return found

    def _kind(self, ctx: RuleContext, type_name: str) -> _Kind | None:
        """An attribute type from the owner's providers (or the owner), else a built-in kind."""
        orgs = sorted(self.sandbox.config.providers_of(ctx.product.name, ctx.owner) | {ctx.owner})
        marks = ", ".join("?" for _ in orgs)
        row = ctx.conn.execute(
            f"SELECT attributes FROM resources WHERE entity = ? AND owner IN ({marks}) "
            "AND json_extract(attributes, '$.name') = ? ORDER BY created_at, id LIMIT 1",
            (ATTRIBUTE_TYPE, *orgs, type_name),
        ).fetchone()
        if row is not None:
            attrs = json.loads(row["attributes"])
            return _Kind(str(attrs.get("valueType", "")), dict(attrs.get("constraints") or {}))
        return _Kind(type_name, {}) if type_name in BUILTIN_KINDS else None

    # -- the check ------------------------------------------------------------------------

    def __call__(self, ctx: RuleContext) -> AttributesCheck:
        errors: list[ErrorObject] = []
        budget = [MAX_NODES]
        kept = self._node(ctx, ctx.attributes, (), "product", None, errors, budget)
        return AttributesCheck(kept if isinstance(kept, dict) else {}, errors, [])

    def _node(
        self,
        ctx: RuleContext,
        node: Any,
        path: tuple[str | int, ...],
        kind: str,
        parent_types: list[str] | None,
        errors: list[ErrorObject],
        budget: list[int],
    ) -> Any:
        budget[0] -= 1
        if budget[0] < 0 or len(path) > 2 * MAX_DEPTH:
            errors.append(field_error(pointer_of(path), "the product tree is too large or deep"))
            return node
        if kind != "product" and isinstance(node, dict) and "sku" in node:
            return self._leaf(node, path, parent_types, errors)
        if not isinstance(node, dict):
            errors.append(field_error(pointer_of(path), f"{_place(path)} must be an object"))
            return node
        # The schema sees the node with an empty variant list (so `required` and `type` still
        # apply); the variants themselves are checked one by one below, by their own rules.
        shell = dict(node)
        if isinstance(node.get("variants"), list):
            shell["variants"] = []
        result = check_attributes(self.schemas, SCHEMAS[kind], shell)
        for error in result.errors:
            # check_attributes points inside `shell`; re-base onto this node's place.
            inner = error.pointer[len("/data/attributes") :] if error.pointer else ""
            errors.append(field_error(pointer_of(path) + inner, error.detail))
        kept = dict(result.attributes)
        self._variant_type(node, path, parent_types, errors)
        model = None
        if not result.errors:
            model = self._model(ctx, node["modelName"], node["modelVersion"])
            if model is None:
                errors.append(
                    field_error(
                        "modelName",
                        f"{_place((*path, 'modelName'))}: no product model {node['modelName']!r} "
                        f"version {node['modelVersion']!r} under {ctx.owner}",
                    )
                )
            else:
                self._model_attributes(ctx, model, node.get("attributes"), path, errors)
        variants = node.get("variants")
        if isinstance(variants, list):
            types = list(model.get("variantTypes") or []) if model else None
            kept["variants"] = [
                self._node(ctx, v, (*path, "variants", i), "content", types, errors, budget)
                for i, v in enumerate(variants)
            ]
        return kept

    def _leaf(
        self,
        node: dict[str, Any],
        path: tuple[str | int, ...],
        parent_types: list[str] | None,
        errors: list[ErrorObject],
    ) -> Any:
        result = check_attributes(self.schemas, LEAF_SCHEMA, node)
        for error in result.errors:
            inner = (error.pointer or "")[len("/data/attributes/") :]
            field = inner.split("/")[0] or "sku"
            errors.append(field_error(field, f"{_place(path)}: {error.detail}"))
        self._variant_type(node, path, parent_types, errors)
        errors.extend(price_region_errors(self.regions, node.get("prices"), (*path, "prices")))
        return result.attributes

    def _variant_type(
        self,
        node: dict[str, Any],
        path: tuple[str | int, ...],
        parent_types: list[str] | None,
        errors: list[ErrorObject],
    ) -> None:
        given = node.get("variantType")
        if not parent_types or not isinstance(given, dict):
            return
        for key in given:
            if key not in parent_types:
                errors.append(
                    field_error(
                        "variantType",
                        f"{_place(path)}: variantType {key!r} is not one of the parent model's "
                        f"variantTypes ({', '.join(parent_types)})",
                    )
                )

    def _model_attributes(
        self,
        ctx: RuleContext,
        model: dict[str, Any],
        values: Any,
        path: tuple[str | int, ...],
        errors: list[ErrorObject],
    ) -> None:
        available: dict[str, Any] = model.get("availableAttributes") or {}
        values = values if isinstance(values, dict) else {}
        where = _place(path)
        prefix = f"{where}: " if where else ""
        for key in values:
            if key not in available:
                errors.append(
                    field_error(
                        key, f"{prefix}{key} is not an attribute of model {model['name']!r}"
                    )
                )
        for key, spec in available.items():
            if key not in values:
                if spec.get("required"):
                    errors.append(field_error(key, f"{prefix}{key} is required"))
                continue
            kind = self._kind(ctx, str(spec.get("attributeType", "")))
            constraints = {**(kind.constraints if kind else {}), **(spec.get("constraints") or {})}
            problem = _check_value(values[key], kind.value_type if kind else "", constraints)
            if problem:
                errors.append(field_error(key, f"{prefix}{key} {problem}"))


def _check_value(value: Any, value_type: str, c: dict[str, Any]) -> str | None:
    """What is wrong with one attribute value, or None."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if value_type == "string" and not isinstance(value, str):
        return "must be a string"
    if value_type == "number" and not is_number:
        return "must be a number"
    if value_type == "integer" and not (is_number and float(value).is_integer()):
        return "must be an integer"
    if value_type == "boolean" and not isinstance(value, bool):
        return "must be true or false"
    allowed = c.get("allowedValues")
    if isinstance(allowed, list) and value not in allowed:
        return "must be one of " + ", ".join(map(repr, allowed))
    if isinstance(value, str):
        if "minLength" in c and len(value) < c["minLength"]:
            return f"must be at least {c['minLength']} characters long"
        if "maxLength" in c and len(value) > c["maxLength"]:
            return f"must be at most {c['maxLength']} characters long"
        if "pattern" in c:
            try:
                if re.search(str(c["pattern"]), value) is None:
                    return f"must match the pattern {c['pattern']}"
            except re.error:
                return None  # a model's broken pattern is the model's problem, not the product's
    if is_number:
        if "exclusiveMinimum" in c and not value > c["exclusiveMinimum"]:
            return f"must be a number greater than {c['exclusiveMinimum']}"
        if "minimum" in c and value < c["minimum"]:
            return f"must be at least {c['minimum']}"
        if "maximum" in c and value > c["maximum"]:
            return f"must be at most {c['maximum']}"
    return None


def price_regions(leaf_schema: Any) -> dict[str, tuple[str, ...]] | None:
    """The spec's `x-thg-price-regions` on the leaf's `prices`: region -> the currencies a
    price there must include; None when the spec publishes no table (any region goes)."""
    props = leaf_schema.get("properties") if isinstance(leaf_schema, dict) else None
    prices = props.get("prices") if isinstance(props, dict) else None
    table = prices.get(PRICE_REGIONS) if isinstance(prices, dict) else None
    if not isinstance(table, dict):
        return None
    return {
        str(region): tuple(str(c) for c in currencies)
        for region, currencies in table.items()
        if isinstance(currencies, list)
    }


def price_region_errors(
    regions: dict[str, tuple[str, ...]] | None, prices: Any, path: tuple[str | int, ...]
) -> list[ErrorObject]:
    """A 422 on each price region the table does not list, and on each currency a listed region
    requires but the prices leave out; each on the exact member's JSON pointer."""
    if regions is None or not isinstance(prices, dict):
        return []
    errors: list[ErrorObject] = []
    for region, by_currency in prices.items():
        where = (*path, region)
        if region not in regions:
            listed = ", ".join(sorted(regions))
            errors.append(
                field_error(
                    pointer_of(where),
                    f"{_place(where)}: {region!r} is not a region THG sells in ({listed})",
                )
            )
            continue
        given = by_currency if isinstance(by_currency, dict) else {}
        for currency in regions[region]:
            if currency not in given:
                errors.append(
                    field_error(
                        pointer_of((*where, currency)),
                        f"{_place(where)}: a price in {region} must include {currency}",
                    )
                )
    return errors


def install_product_models(sandbox: Sandbox) -> Sequence[BaseRoute]:
    if sandbox.service.entity_by_type(PRODUCT) is not None:
        sandbox.service.validators[PRODUCT] = ProductModels(sandbox)
    return ()
