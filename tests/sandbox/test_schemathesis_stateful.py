"""schemathesis's stateful phase against the running sandbox: a generic tool walks each hierarchy.

Each walk starts at a top-level create (the spec's own example, made valid here) and follows the
specs' OpenAPI `links` to what lies below: a created item's get, replace and delete, its statuses
and children, their own links in turn, each call with the ids the sandbox answered and a body
generated from the schema. Every call is made by the organisation allowed to make it, on the
owner's path (the `owner` parameter is pinned in the copy of the spec this module loads). Checks
on every answer: no 5xx, a documented status code, content type and headers, a body that conforms
to the response schema, and the stateful checks (a deleted entity stays deleted, a created one can
be read). Generation is positive only: invalid requests per operation are test_schemathesis.py's.

THG_SCHEMATHESIS_STATEFUL=full runs a larger walk by hand (more scenarios, longer ones, random):
`THG_SCHEMATHESIS_STATEFUL=full pytest -s tests/sandbox/test_schemathesis_stateful.py` (~4 min).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case, CheckContext, Response
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.stateful.state_machine import StepInput, StepOutput, normalize_name
from schemathesis.specs.openapi.checks import ensure_resource_availability, use_after_free

from thg_sandbox.clock import ManualClock
from thg_sandbox.server import SandboxServer, sandbox_server
from thg_spec import Product
from thg_spec.conventions import UNIQUE_EXTENSION

from .conformance import Call, Tokens, by_label, keep_webhooks_local, request_examples, seed
from .conftest import SPECS
from .schemathesis_checks import CHECKS, adjust

FULL = os.environ.get("THG_SCHEMATHESIS_STATEFUL") == "full"
SCENARIOS = 200 if FULL else 25  # hypothesis examples: each a walk from a root
# thg-fulfil has most roots and links (61 from its creates): a CI-sized walk needs more walks.
SCENARIOS_BY_SPEC = {"thg-fulfil": 300 if FULL else 60}
STEPS = 20 if FULL else 8  # calls per walk at most


def created_entity_is_available(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """schemathesis's `ensure_resource_availability` (a 404 right after a create is a failure),
    on the created entity's own operations: a create's links also reach what lies below it and
    does not exist yet (a fulfilment request's cancellation), where a 404 is the right answer."""
    parent = ctx.internals.find_parent(case_id=case.id)
    if parent is None or case.operation.path.rsplit("/", 1)[0] != parent.operation.path:
        return None
    result: bool | None = ensure_resource_availability(ctx, response, case)
    return result


STATEFUL_CHECKS = [*CHECKS, use_after_free, created_entity_is_available]
TOKEN_PATH = "/oauth/token"
OWNER_REF = "#/components/parameters/Owner"
# Only the links the specs declare: the walk proves them, not schemathesis's inferred ones.
DECLARED_LINKS_ONLY = SchemathesisConfig.from_dict(
    {"phases": {"stateful": {"inference": {"algorithms": []}, "generation": {"mode": "positive"}}}}
)


def pinned(product: Product, calls: dict[str, Call]) -> dict[str, Any]:
    """The spec with each path's `owner` fixed to the organisation owning it, without the token
    endpoint: a walk then starts where the sandbox lets the caller in, and links carry it down."""
    document = copy.deepcopy(product.document)
    document["paths"].pop(TOKEN_PATH, None)
    for path, item in document["paths"].items():
        owners = {c.owner for label, c in calls.items() if label.split(" ", 1)[1] == path}
        assert len(owners) == 1, (path, owners)
        owner = {
            "name": "owner",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": [owners.pop()]},
        }
        for holder in [item, *(v for v in item.values() if isinstance(v, dict))]:
            parameters = holder.get("parameters")
            if isinstance(parameters, list):
                holder["parameters"] = [
                    owner if p == {"$ref": OWNER_REF} else p for p in parameters
                ]
    return document


@dataclass
class Walk:
    """What the stateful run did, across every scenario of one spec."""

    called: set[str] = field(default_factory=set)  # operation labels
    linked: set[str] = field(default_factory=set)  # reached through a declared link, answered 2xx
    statuses: dict[int, int] = field(default_factory=dict)


def unique_properties(document: Any) -> set[str]:
    """Names of the properties a spec marks `x-thg-unique` (business keys such as `sku`)."""
    found: set[str] = set()
    if isinstance(document, dict):
        for name, schema in (document.get("properties") or {}).items():
            if isinstance(schema, dict) and schema.get(UNIQUE_EXTENSION) is True:
                found.add(name)
        for value in document.values():
            found |= unique_properties(value)
    elif isinstance(document, list):
        for value in document:
            found |= unique_properties(value)
    return found


class Fresh:
    """A fresh sandbox for every scenario, seeded from the specs' examples, so hypothesis
    replaying a scenario meets the same state; tokens for it; and valid bodies for the creates
    a walk starts from.

    A walk's first create takes the spec's own request example (its references rebound to the
    seeded entities, its business keys and chosen id made unique): random bodies rarely name an
    entity that exists, and then the walk never gets below the top level. Bodies generated from
    the schemas meet the sandbox in test_schemathesis.py and at every linked step here.
    """

    def __init__(self, server: SandboxServer, http: httpx.Client, products: list[Product]):
        self.server = server
        self.http = http
        self.products = products
        self.keys = set().union(*(unique_properties(p.document) for p in products))
        self.tokens = self._tokens()
        self.seeded = seed(products, http, self.tokens)
        self.created = 0

    def _tokens(self) -> Tokens:
        running = self.server.running
        secrets = {org: (c.client_id, c.client_secret) for org, c in running.credentials.items()}
        return Tokens(self.http, running.token_url, secrets)

    def reset(self) -> None:
        self.server.reset()  # a new database, with a new signing key: tokens are fetched again
        self.tokens = self._tokens()
        self.seeded = seed(self.products, self.http, self.tokens)
        self.created = 0  # per scenario: a replayed scenario picks the same examples

    def root_body(self, product: Product, call: Call) -> Any | None:
        """A request example of a create, made valid in this sandbox; None if it has none."""
        examples = request_examples(product, call.operation)
        if call.operation.role != "create" or not examples:
            return None
        self.created += 1
        example = examples[self.created % len(examples)]  # each in turn
        body = self.seeded.rebind(copy.deepcopy(example))
        data = body.get("data") if isinstance(body, dict) else None
        if isinstance(data, dict):
            if isinstance(data.get("id"), str):
                data["id"] = f"{data['id']}{self.created}"
            self._make_keys_unique(data.get("attributes"))
        keep_webhooks_local(body)
        return body

    def _make_keys_unique(self, value: Any) -> None:
        """Every business key in `value`, at any depth (a product's variants have skus too)."""
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in self.keys and isinstance(inner, str):
                    value[key] = f"{inner}-W{self.created}"
                else:
                    self._make_keys_unique(inner)
        elif isinstance(value, list):
            for inner in value:
                self._make_keys_unique(inner)


def run_stateful(
    product: Product,
    calls: dict[str, Call],
    fresh: Fresh,
    session: requests.Session,
) -> Walk:
    schema = schemathesis.openapi.from_dict(pinned(product, calls), config=DECLARED_LINKS_ONLY)
    walk = Walk()
    base = schema.as_state_machine()

    class Workflow(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            fresh.reset()

        def step(self, input: StepInput) -> StepOutput:
            adjust(input.case)
            if input.transition is None:
                body = fresh.root_body(product, calls[input.case.operation.label])
                if body is not None:
                    input.case.body = body
            output: StepOutput = super().step(input)
            label = input.case.operation.label
            status = output.response.status_code
            walk.called.add(label)
            if os.environ.get("DBG") and status >= 400:
                t = input.transition
                print("DBG", "link" if t else "root", label, status, output.response.text[100:260])
            walk.statuses[status] = walk.statuses.get(status, 0) + 1
            transition = input.transition
            if transition is not None and not transition.is_inferred and input.is_applied:
                if 200 <= status < 300:
                    walk.linked.add(label)
            return output

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            caller = calls[case.operation.label].caller
            headers = fresh.tokens.header(caller)
            return {"base_url": fresh.server.base_url, "session": session, "headers": headers}

        def validate_response(
            self,
            response: schemathesis.Response,
            case: schemathesis.Case,
            additional_checks: Any = None,
            **kwargs: Any,
        ) -> None:
            case.validate_response(
                response,
                checks=STATEFUL_CHECKS,
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    # Walks start at the top level only: a status or child created with a random parent id is a
    # 404 that spends the budget, and the links reach it with its parent's real id.
    nested_roots = {
        name
        for label in base._root_labels
        if label.count("{") > 1
        for name in [normalize_name(f"RANDOM -> {label}")]
        if name in base.root_rules
    }
    for name in nested_roots:
        setattr(Workflow, name, None)
    Workflow.root_rules = base.root_rules - nested_roots
    Workflow.run(
        settings=settings(
            max_examples=SCENARIOS_BY_SPEC.get(product.name, SCENARIOS),
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=not FULL,
            database=None,
            print_blob=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    return walk


@pytest.fixture(scope="module")
def calls(products: list[Product]) -> dict[str, Call]:
    return dict(by_label(products))


@pytest.fixture(scope="module")
def fresh(products: list[Product]) -> Iterator[Fresh]:
    with sandbox_server(SPECS, products=products, clock=ManualClock()) as server:
        with httpx.Client(base_url=server.base_url, timeout=10.0) as http:
            yield Fresh(server, http, products)


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def _top_level(calls: dict[str, Call], product: str) -> set[str]:
    """Operations on a collection directly under the owner (`/{owner}/inventory`)."""
    return {
        label
        for label, call in calls.items()
        if call.product == product and call.path.count("{") == 1
    }


# Distinct operations each spec's CI-sized walk must reach through its links with a 2xx:
# measured, then set a little under, so a link that stops working fails the test.
REACHED = {"thg-fulfil": 17, "product": 7, "document": 2, "events": 3}


@pytest.mark.parametrize("name", list(REACHED))
def test_stateful_walk_conforms_and_reaches_nested_operations(
    name: str,
    products: list[Product],
    calls: dict[str, Call],
    fresh: Fresh,
    session: requests.Session,
) -> None:
    product = next(p for p in products if p.name == name)
    walk = run_stateful(product, calls, fresh, session)
    top = _top_level(calls, name)
    nested_linked = walk.linked - top
    print(
        f"{name}: {len(walk.called)} operations called, {len(nested_linked)} nested ones reached"
        f" through links with a 2xx, {len(top)} top-level; statuses {sorted(walk.statuses.items())}"
    )
    assert not any(status >= 500 for status in walk.statuses)
    assert len(nested_linked) >= REACHED[name], sorted(walk.linked)
    assert len(walk.called) > len(top)
