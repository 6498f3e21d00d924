"""What both schemathesis runs (per operation and stateful) check, and how they tame a case."""

from __future__ import annotations

import copy

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conformance import keep_webhooks_local

# Not positive_data_acceptance: the sandbox rightly refuses schema-valid requests on rules a
# schema cannot state (the filter grammar, unique business keys, references that must exist).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,  # what the spec forbids is refused with a 4xx
]
LONG_POLL = "waitTimeSeconds"


def adjust(case: schemathesis.Case) -> None:
    """No long poll held open, and no webhook aimed off this machine (tests use no network).

    Containers are replaced, not edited in place: schemathesis then re-checks whether a case
    generated as invalid still is, before it judges the answer.
    """
    if isinstance(case.body, dict):
        body = copy.deepcopy(case.body)
        keep_webhooks_local(body)
        if body != case.body:
            case.body = body
    wait = case.query.get(LONG_POLL) if isinstance(case.query, dict) else None
    if isinstance(wait, int) and not isinstance(wait, bool) and wait > 0:
        case.query = {**case.query, LONG_POLL: 0}
