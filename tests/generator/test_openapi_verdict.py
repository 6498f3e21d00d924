"""The OpenAPI 3.1 check: openapi-spec-validator's public API, and the verdict cache.

The verdict comes from openapi-spec-validator-rs (a Rust port of the stock validator); a document
at fault is worded by the stock validator on its pure-Python backend. The dangerous disagreement
is a document the verdict passes that the wording validator would fault: every test of the first
half compares the two on the same document. The second half shows the cache: an unchanged spec
is never validated twice, and an edit of one spec validates that one document.
"""

from __future__ import annotations

import copy
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import openapi_spec_validator
import openapi_spec_validator_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thg_codegen.generate import generate
from thg_codegen.manifest import MANIFEST, Manifest
from thg_spec.loader import load_spec
from thg_spec.validation.checks import validate_loaded
from thg_spec.validation.openapi_schema import (
    _wording_validator,
    check_openapi,
    content_sha256,
    validator_identity,
)
from thg_spec.validation.refs import without_dangling_refs

SPECS = Path(__file__).resolve().parents[2] / "specs"
CORPUS = Path(__file__).resolve().parent / "specs"


def _document(name: str) -> dict[str, Any]:
    spec, problems = load_spec(SPECS / name)
    assert not problems
    data = spec.data
    assert isinstance(data, dict)
    return data


def _wording_errors(document: dict[str, Any]) -> list[str]:
    try:
        return [e.message for e in _wording_validator(document).iter_errors()]
    except Exception as error:  # check_openapi reports this as "OpenAPI validation stopped"
        return [f"stopped: {error!r}"]


def _verdicts(document: dict[str, Any]) -> tuple[bool, bool]:
    document = without_dangling_refs(document)
    try:
        validator = openapi_spec_validator_rs.OpenAPIV31SpecValidator(document)
        verdict = next(validator.iter_errors(), None) is not None
    except Exception:
        verdict = True
    return verdict, bool(_wording_errors(document))


@pytest.mark.parametrize("name", sorted(p.name for p in SPECS.glob("*.yaml")))
def test_the_specs_pass_both(name: str) -> None:
    assert _verdicts(_document(name)) == (False, False)


def _corpus_documents() -> list[Path]:
    """The corpus files that reach the verdict: they load, and say they are OpenAPI 3.1."""
    found = []
    for path in sorted(p for p in CORPUS.rglob("*.yaml") if p.is_file()):
        spec, problems = load_spec(path)
        if not problems and isinstance(spec.data, dict):
            if str(spec.data.get("openapi")).startswith("3.1"):
                found.append(path)
    return found


@pytest.mark.parametrize("path", _corpus_documents(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_document_gets_the_same_verdict_from_both(path: Path) -> None:
    spec, _ = load_spec(path)
    data = spec.data
    assert isinstance(data, dict)
    verdict, wording = _verdicts(data)
    assert verdict == wording


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


def _bad_response_schema(doc: dict[str, Any]) -> None:
    operation = _first_operation(doc)
    operation["responses"]["299"] = {
        "description": "x",
        "content": {"application/json": {"schema": {"maxItems": "many"}}},
    }


def _no_info_title(doc: dict[str, Any]) -> None:
    del doc["info"]["title"]


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown type": _set("type", "strin"),
    "negative length": _set("minLength", -1),
    "pattern that does not compile": _set("pattern", "["),
    "default of the wrong type": lambda d: _nested_property(d).update(
        {"type": "integer", "default": "x"}
    ),
    "discriminator not a mapping": _set("discriminator", 5),
    "duplicate parameter": _duplicate_parameter,
    "bad response schema": _bad_response_schema,
    "duplicate tags": lambda d: d.__setitem__("tags", [{"name": "t"}, {"name": "t"}]),
    "info without title": _no_info_title,
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_both_backends_find_the_mutation(mutation: str) -> None:
    document = copy.deepcopy(_document("document.yaml"))
    MUTATIONS[mutation](document)
    assert _verdicts(document) == (True, True)


# CI-sized; THG_VERDICT_EXAMPLES=500 for a soak by hand.
_EXAMPLES = int(os.environ.get("THG_VERDICT_EXAMPLES", "15"))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x", "[", "string"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
_KEYWORDS = st.sampled_from(
    [
        "type",
        "format",
        "pattern",
        "minLength",
        "maximum",
        "enum",
        "required",
        "properties",
        "items",
        "allOf",
        "not",
        "additionalProperties",
        "default",
        "discriminator",
        "xml",
    ]
)


@settings(max_examples=_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), keyword=_KEYWORDS, value=_JSON)
def test_any_one_keyword_change_gets_the_same_verdict_on_both_backends(
    data: st.DataObject, keyword: str, value: Any
) -> None:
    document = copy.deepcopy(_document("document.yaml"))
    data.draw(st.sampled_from(list(_schemas(document))))[keyword] = value
    verdict, wording = _verdicts(document)
    assert verdict == wording


def test_a_lone_surrogate_is_judged_by_the_reference_validator() -> None:
    # The port takes documents as UTF-8 and refuses a lone surrogate; the stock one accepts it.
    spec, _ = load_spec(SPECS / "document.yaml")
    spec.data = copy.deepcopy(spec.data)
    spec.data["info"]["description"] = "half a pair: \ud800"
    assert check_openapi(spec) == []
    del spec.data["info"]["title"]
    assert [d.rule for d in check_openapi(spec)] == ["THG003"]


@pytest.mark.parametrize("mutation", ["none", *sorted(MUTATIONS)])
def test_without_the_port_the_stock_validator_gives_the_same_verdict(
    mutation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Python 3.9, where openapi-spec-validator-rs does not install (it needs 3.10): the import
    # fails, and the stock validator decides, the same way.
    spec, _ = load_spec(SPECS / "document.yaml")
    spec.data = copy.deepcopy(spec.data)
    if mutation != "none":
        MUTATIONS[mutation](spec.data)
    with_port = [d.rule for d in check_openapi(spec)]
    monkeypatch.setitem(sys.modules, "openapi_spec_validator_rs", None)  # import raises
    with pytest.raises(ImportError):
        import openapi_spec_validator_rs as _  # noqa: F401
    assert [d.rule for d in check_openapi(spec)] == with_port
    assert bool(with_port) == (mutation != "none")


def test_the_identity_names_both_validators_and_their_versions() -> None:
    identity = validator_identity()
    assert f"openapi-spec-validator {openapi_spec_validator.__version__}" in identity
    assert f"openapi-spec-validator-rs {version('openapi-spec-validator-rs')}" in identity


class _Counting:
    """Stands in for the verdict's validator: counts the documents it is asked about."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        self.real = openapi_spec_validator_rs.OpenAPIV31SpecValidator

    def __call__(self, document: dict[str, Any]) -> Any:
        self.titles.append(str(document.get("info", {}).get("title")))
        return self.real(document)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> _Counting:
    counter = _Counting()
    monkeypatch.setattr(openapi_spec_validator_rs, "OpenAPIV31SpecValidator", counter)
    return counter


def test_a_trusted_spec_is_not_validated_but_still_gets_the_rules(counting: _Counting) -> None:
    spec, _ = load_spec(SPECS / "document.yaml")
    assert check_openapi(spec, trusted={content_sha256(spec)}) == []
    assert counting.titles == []
    broken, _ = load_spec(SPECS / "document.yaml")
    broken.data = copy.deepcopy(broken.data)
    del broken.data["info"]["title"]
    # the hash is of the file's bytes, the rules still see the data: an untrusted spec is checked
    assert check_openapi(broken, trusted={"0" * 64}) != []
    assert validate_loaded([spec], trusted={content_sha256(spec)}) == validate_loaded([spec])


def test_generate_validates_only_the_documents_that_changed(
    tmp_path: Path, counting: _Counting
) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    paths = sorted(specs.glob("*.yaml"))
    out = tmp_path / "out"
    generate(paths, out)
    assert len(counting.titles) == len(paths)
    assert Manifest.read(out) is not None
    assert Manifest.read(out).validator == validator_identity()  # type: ignore[union-attr]

    counting.titles.clear()
    generate(paths, out)
    assert counting.titles == []  # unchanged: never validated twice

    edited = specs / "document.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# one edit\n", encoding="utf-8")
    generate(paths, out)
    assert len(counting.titles) == 1  # one document changed, one validated

    counting.titles.clear()
    manifest = (out / MANIFEST).read_text(encoding="utf-8")
    (out / MANIFEST).write_text(
        manifest.replace(validator_identity(), "openapi-spec-validator 0.0.1"), encoding="utf-8"
    )
    generate(paths, out)
    assert len(counting.titles) == len(paths)  # another validator: every verdict is redone
