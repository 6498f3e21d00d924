"""The OpenAPI 3.1 structural check, by openapi-spec-validator, with located diagnostics.

The verdict (any error at all?) comes from openapi-spec-validator-rs, a Rust port of
openapi-spec-validator with the same public API and, by its own compatibility suite and by
``tests/generator/test_openapi_verdict.py``, the same verdicts: 0.13 s where the stock validator
takes 5-6 s on the 300-entity synthetic spec (it walks every schema object in pure Python); on
Python 3.9, where the port does not install, the stock validator gives the verdict as well. A
document found at fault is checked again by the stock validator on the pure-Python jsonschema
backend, which words every error, so the diagnostics are the reference implementation's. A
caller that remembers which documents already passed (by ``content_sha256`` under the same
``validator_identity``) hands them in as ``trusted`` and they are not validated again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Set as AbstractSet
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .. import pointer as jp
from ..diagnostics import Diagnostic
from ..loader import LoadedSpec
from .refs import Scan, scan, without_dangling_refs

_TOP_LEVEL = {
    "openapi",
    "info",
    "jsonSchemaDialect",
    "servers",
    "paths",
    "webhooks",
    "components",
    "security",
    "tags",
    "externalDocs",
}
_MAX_MESSAGE = 160
# Problems our own rules report with a better hint (THG060 duplicate operationId, THG011 path
# parameters); the validator states them without a location, so they are left to the rules.
_COVERED_BY_RULES = re.compile(
    r"Operation ID '.*' for '.*' in '.*' is not unique"
    r"|Path parameter '.*' for '.*' operation in '.*' was not resolved"
)


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "absent"


def validator_identity() -> str:
    """Everything besides the document that decides the verdict and its wording: both
    validators' versions. Imports neither (cheap)."""
    return (
        f"openapi-spec-validator-rs {_version('openapi-spec-validator-rs')}, "
        f"openapi-spec-validator {_version('openapi-spec-validator')}"
    )


def content_sha256(spec: LoadedSpec) -> str:
    """The sha256 of the spec file's bytes (what a verdict cache is keyed by): the hash the loader
    took of the bytes it read, so a file edited since is not trusted on its old verdict."""
    if spec.sha256:
        return spec.sha256
    try:
        return hashlib.sha256(spec.path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _passes(document: Any) -> bool:
    """The verdict: does the document have no OpenAPI error at all?"""
    try:
        import openapi_spec_validator_rs
    except ImportError:  # not installed on Python 3.9 (the port needs 3.10)
        return _stock_passes(document)
    try:
        verdict = openapi_spec_validator_rs.OpenAPIV31SpecValidator(document)
        return next(verdict.iter_errors(), None) is None
    except UnicodeEncodeError:
        # The port reads documents as UTF-8; a lone surrogate (a valid Python str, which a YAML
        # "\ud800" escape produces) cannot be, so the reference validator decides instead.
        return _stock_passes(document)


def _stock_passes(document: Any) -> bool:
    """The reference validator's verdict: the same as the port's, in pure Python (slower)."""
    from openapi_spec_validator import OpenAPIV31SpecValidator

    return next(OpenAPIV31SpecValidator(document).iter_errors(), None) is None


def _wording_validator(document: Any) -> Any:
    """The stock validator on the pure-Python jsonschema backend, whatever its backend setting:
    jsonschema-rs words errors differently, and diagnostics must not depend on what is installed."""
    from jsonschema.validators import validator_for
    from openapi_spec_validator import OpenAPIV31SpecValidator
    from openapi_spec_validator.schemas import schema_v31

    class _JsonschemaV31Validator(OpenAPIV31SpecValidator):
        schema_validator = validator_for(schema_v31)(schema_v31)

    return _JsonschemaV31Validator(document)


def _shorten(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def _locate(spec: LoadedSpec, relative: list[str], instance: Any) -> str:
    """Find the absolute pointer of an error reported relative to a nested schema.

    openapi-spec-validator checks each schema object on its own and reports paths relative to it;
    we look for the place in the document with that suffix whose value is the offending instance.
    """
    suffix = jp.from_path(relative)
    candidates = sorted(
        p for p in spec.positions if p.endswith(suffix) and _value_at(spec.data, p) == instance
    )
    return candidates[0] if candidates else suffix


def _value_at(data: Any, pointer: str) -> Any:
    current = data
    for token in jp.split(pointer):
        if isinstance(current, dict) and token in current:
            current = current[token]
        elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            return object()
    return current


def check_openapi(
    spec: LoadedSpec, found: Scan | None = None, trusted: AbstractSet[str] = frozenset()
) -> list[Diagnostic]:
    """THG003 for each OpenAPI 3.1 error; none for a spec whose ``content_sha256`` is in
    ``trusted`` (it passed this check before, under the same ``validator_identity``)."""
    if not isinstance(spec.data, dict):
        return [
            spec.diagnostic(
                "", "THG003", "the document is not a mapping", "Write an OpenAPI 3.1 document"
            )
        ]
    version = spec.data.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.1")):
        return [
            spec.diagnostic(
                "/openapi",
                "THG003",
                f"openapi version is {version!r}, not 3.1.x",
                "Set 'openapi: 3.1.0'",
            )
        ]
    if trusted and content_sha256(spec) in trusted:
        return []
    problems = []
    found = found or scan(spec.data)
    document = without_dangling_refs(spec.data, found)
    try:
        if _passes(document):
            return []
        errors = list(_wording_validator(document).iter_errors())
    except Exception as exc:  # the validator has no stable error type for what it cannot walk
        return [spec.diagnostic("", "THG003", f"OpenAPI validation stopped: {_shorten(str(exc))}")]
    for error in errors:
        if _COVERED_BY_RULES.fullmatch(getattr(error, "message", "")):
            continue
        path = [str(p) for p in getattr(error, "path", [])]
        if path and path[0] in _TOP_LEVEL:
            where = jp.from_path(path)
        else:
            where = _locate(spec, path, getattr(error, "instance", None))
        problems.append(
            spec.diagnostic(
                where,
                "THG003",
                f"not valid OpenAPI 3.1: {_shorten(getattr(error, 'message', str(error)))}",
                "See https://spec.openapis.org/oas/v3.1.0",
            )
        )
    return problems
