"""The OpenAPI 3.1 structural check, by openapi-spec-validator, with located diagnostics."""

from __future__ import annotations

import re
from typing import Any

from jsonschema.validators import validator_for
from openapi_spec_validator import OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v31

from .. import pointer as jp
from ..diagnostics import Diagnostic
from ..loader import LoadedSpec
from . import openapi_fast
from .refs import Scan, scan, without_dangling_refs

_TOP_LEVEL = {
    "openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks",
    "components", "security", "tags", "externalDocs",
}  # fmt: skip
_MAX_MESSAGE = 160
# Problems our own rules report with a better hint (THG060 duplicate operationId, THG011 path
# parameters); the validator states them without a location, so they are left to the rules.
_COVERED_BY_RULES = re.compile(
    r"Operation ID '.*' for '.*' in '.*' is not unique|Path parameter '.*' for '.*' operation in '.*' was not resolved"
)


class _JsonschemaV31Validator(OpenAPIV31SpecValidator):
    """Always the pure-Python jsonschema backend.

    openapi-spec-validator switches to jsonschema-rs whenever that is installed (schemathesis brings
    it), and that backend words its errors differently: diagnostics must not depend on what else
    happens to be in the environment.
    """

    schema_validator = validator_for(schema_v31)(schema_v31)


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


def check_openapi(spec: LoadedSpec, found: Scan | None = None) -> list[Diagnostic]:
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
    problems = []
    found = found or scan(spec.data)
    document = without_dangling_refs(spec.data, found)
    try:
        # A fast yes/no first (25x faster on a large spec); only a spec found at fault is checked
        # again by the stock pure-Python validator, which words every error the same way always.
        if openapi_fast.can_prescreen(found.keys):
            if not openapi_fast.has_errors(document):
                return []
        elif next(OpenAPIV31SpecValidator(document).iter_errors(), None) is None:
            return []
        errors = list(_JsonschemaV31Validator(document).iter_errors())
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
