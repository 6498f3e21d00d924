"""The fast OpenAPI pre-screen must say "invalid" exactly when the stock validator finds an error.

The pre-screen decides alone only when it finds nothing; so the dangerous disagreement is a
document it passes that openapi-spec-validator (pure-Python jsonschema) would fault. Every test
here compares the two on the same document.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from thg_spec.loader import load_spec
from thg_spec.validation import openapi_fast
from thg_spec.validation.openapi_schema import _JsonschemaV31Validator
from thg_spec.validation.refs import scan, without_dangling_refs

SPECS = Path(__file__).resolve().parents[2] / "specs"


def _document(name: str) -> dict[str, Any]:
    spec, problems = load_spec(SPECS / name)
    assert not problems
    data = spec.data
    assert isinstance(data, dict)
    return data


def _stock_errors(document: dict[str, Any]) -> list[str]:
    try:
        return [e.message for e in _JsonschemaV31Validator(document).iter_errors()]
    except Exception as error:  # check_openapi reports this as "OpenAPI validation stopped"
        return [f"stopped: {error!r}"]


def _verdicts(document: dict[str, Any]) -> tuple[bool, bool]:
    document = without_dangling_refs(document)
    assert openapi_fast.can_prescreen(scan(document).keys)
    return openapi_fast.has_errors(document), bool(_stock_errors(document))


@pytest.mark.parametrize("name", sorted(p.name for p in SPECS.glob("*.yaml")))
def test_the_specs_pass_both(name: str) -> None:
    assert _verdicts(_document(name)) == (False, False)


def _schemas(value: Any) -> Iterator[dict[str, Any]]:
    """Every schema object reachable in the components and the operations' media types."""
    if isinstance(value, dict):
        if isinstance(value.get("type"), str) or "properties" in value or "allOf" in value:
            yield value
        for item in value.values():
            yield from _schemas(item)
    elif isinstance(value, list):
        for item in value:
            yield from _schemas(item)


def _first_operation(document: dict[str, Any]) -> dict[str, Any]:
    for item in document["paths"].values():
        for method in ("get", "post", "put", "delete"):
            if method in item:
                operation: dict[str, Any] = item[method]
                return operation
    raise AssertionError("no operation")


def _nested_property(document: dict[str, Any]) -> dict[str, Any]:
    for schema in _schemas(document["components"]):
        for prop in schema.get("properties", {}).values():
            if isinstance(prop, dict) and "$ref" not in prop:
                found: dict[str, Any] = prop
                return found
    raise AssertionError("no inline property")


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: _nested_property(doc).__setitem__(key, value)


def _duplicate_parameter(doc: dict[str, Any]) -> None:
    operation = _first_operation(doc)
    parameter = {"name": "dup", "in": "query", "schema": {"type": "string"}}
    operation["parameters"] = [*operation.get("parameters", []), parameter, parameter]


def _required_missing_under_all_of(doc: dict[str, Any]) -> None:
    doc["components"]["schemas"]["Broken"] = {
        "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}],
        "required": ["nowhere"],
    }


def _bad_parameter_schema(doc: dict[str, Any]) -> None:
    operation = _first_operation(doc)
    parameter = {"name": "bad", "in": "query", "schema": {"type": "text"}}
    operation["parameters"] = [*operation.get("parameters", []), parameter]


def _bad_response_schema(doc: dict[str, Any]) -> None:
    operation = _first_operation(doc)
    operation["responses"]["299"] = {
        "description": "x",
        "content": {"application/json": {"schema": {"maxItems": "many"}}},
    }


def _undeclared_path_parameter(doc: dict[str, Any]) -> None:
    doc["paths"]["/nowhere/{ghost}"] = {"get": {"responses": {"200": {"description": "ok"}}}}


def _duplicate_tags(doc: dict[str, Any]) -> None:
    doc["tags"] = [{"name": "t"}, {"name": "t"}]


def _no_info_title(doc: dict[str, Any]) -> None:
    del doc["info"]["title"]


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown type": _set("type", "strin"),
    "negative length": _set("minLength", -1),
    "pattern that does not compile": _set("pattern", "["),
    "pattern Python's re refuses": _set("pattern", r"\p{L}"),
    "default of the wrong type": lambda d: _nested_property(d).update(
        {"type": "integer", "default": "x"}
    ),
    "default outside the enum": lambda d: _nested_property(d).update(
        {"type": "string", "enum": ["a"], "default": "b"}
    ),
    "discriminator not a mapping": _set("discriminator", 5),
    "nested items of a bad kind": _set("items", {"xml": {"name": 3}}),
    "required under allOf names nothing": _required_missing_under_all_of,
    "duplicate parameter": _duplicate_parameter,
    "bad parameter schema": _bad_parameter_schema,
    "bad response schema": _bad_response_schema,
    "undeclared path parameter": _undeclared_path_parameter,
    "duplicate tags": _duplicate_tags,
    "info without title": _no_info_title,
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_both_find_the_mutation(mutation: str) -> None:
    document = copy.deepcopy(_document("document.yaml"))
    MUTATIONS[mutation](document)
    assert _verdicts(document) == (True, True)


def test_reference_scoping_keywords_go_to_the_stock_validator() -> None:
    document = copy.deepcopy(_document("document.yaml"))
    _nested_property(document)["$id"] = "https://example.invalid/x"
    assert not openapi_fast.can_prescreen(scan(document).keys)


# CI-sized; THG_PRESCREEN_EXAMPLES=500 for a soak by hand.
_EXAMPLES = int(os.environ.get("THG_PRESCREEN_EXAMPLES", "25"))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x", "[", "string"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
_KEYWORDS = st.sampled_from(
    ["type", "format", "pattern", "minLength", "maximum", "exclusiveMinimum", "enum", "const",
     "required", "properties", "items", "allOf", "oneOf", "not", "additionalProperties",
     "default", "discriminator", "xml", "externalDocs", "example", "nullable", "x-extra"]
)  # fmt: skip


@settings(max_examples=_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), keyword=_KEYWORDS, value=_JSON)
def test_any_one_keyword_change_gets_the_same_verdict(
    data: st.DataObject, keyword: str, value: Any
) -> None:
    document = copy.deepcopy(_document("document.yaml"))
    schemas = list(_schemas(document))
    data.draw(st.sampled_from(schemas))[keyword] = value
    fast, stock = _verdicts(document)
    assert fast == stock
