"""Published documents (the platform's FastAPI exports, no x-thg-* declarations) read into the same
model as our annotated specs: the entity tree from the paths, statuses from `_values` or their
shape, actions from trailing segments, names from paths, hints winning over inference, and a
located diagnostic naming the hint wherever inference cannot decide (CONVENTIONS §16)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from thg_codegen.cli import main
from thg_spec import Product, Severity, SpecError, build_product, load_products
from thg_spec.diagnostics import Diagnostic
from thg_spec.loader import load_spec
from thg_spec.path_tree import VERSION, parse_path, render_path
from thg_spec.paths import discover_specs
from thg_spec.spec_index import build_index, classify_path, dialect_of
from thg_spec.validation import validate_paths

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "published"  # written from the recovered docs with real FastAPI
OURS = Path(__file__).resolve().parent / "published"  # fuller stand-ins: every CRUD role
DOCUMENTS = sorted(
    p for folder in (CORPUS, OURS) for p in folder.rglob("*") if p.suffix in (".json", ".yaml")
)


def _product(path: Path) -> Product:
    spec, problems = load_spec(path)
    assert not problems
    return build_product(spec)


def _validate(path: Path) -> list[Diagnostic]:
    _, problems = validate_paths([path])
    return problems


def _tree(product: Product) -> dict[str, str]:
    return {".".join(e.name): e.kind for e in product.entities}


def _roles(product: Product, name: str) -> list[tuple[str, str, str]]:
    entity = product.entity(tuple(name.split(".")))
    return [(op.role, op.method, op.action) for op in entity.operations]


# -- every document validates, with only the hint diagnostics --------------------------------------


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_published_documents_validate_with_warnings_only(path: Path) -> None:
    problems = _validate(path)
    assert [p.format() for p in problems if p.severity is Severity.ERROR] == []
    # Each warning is one of the hints CONVENTIONS §16 lists, located and naming what to add.
    for problem in problems:
        assert problem.rule in ("THG020", "THG023", "THG050"), problem.format()
        assert problem.line >= 1 and problem.pointer.startswith("/")
        assert "x-thg-entity" in problem.hint or "securitySchemes" in problem.hint


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_published_documents_are_read_as_published(path: Path) -> None:
    spec, _ = load_spec(path)
    assert dialect_of(spec.data) == "published"
    assert _product(path).dialect == "published"


def test_the_hints_named_for_the_fulfil_corpus() -> None:
    found = {(p.rule, p.pointer) for p in _validate(CORPUS / "thg-fulfil.json")}
    assert found == {
        ("THG020", "/paths/~1{owner}~1v1~1inventory"),  # owner: consumer or provider?
        ("THG020", "/paths/~1{owner}~1v1~1asn"),
        ("THG020", "/paths/~1{owner}~1v1~1inventory~1{inventory_item}~1approval"),  # writer
        ("THG050", "/components/securitySchemes"),  # BearerAuth: no token URL
    }


def test_load_products_proceeds_on_warnings() -> None:
    products = load_products([CORPUS / "events.json", CORPUS / "thg-fulfil.json"])
    assert [p.name for p in products] == ["events", "thg-fulfil"]


def test_two_documents_of_one_product_are_a_located_error(tmp_path: Path) -> None:
    """Read together, two documents of one product would be two packages (`thg_fulfil_`) and
    two route sets of which the sandbox keeps one: THG001 on each, naming the other."""
    for name in ("events.json", "thg-fulfil.json", "thg-fulfil-api-prefix.json"):
        shutil.copy(CORPUS / name, tmp_path / name)
    _, problems = validate_paths(discover_specs(tmp_path))
    found = [p for p in problems if p.rule == "THG001"]
    assert [(Path(p.file).name, p.pointer, p.severity) for p in found] == [
        ("thg-fulfil-api-prefix.json", "/info", Severity.ERROR),
        ("thg-fulfil.json", "/info", Severity.ERROR),
    ]
    assert "'thg-fulfil' is also described by thg-fulfil.json" in found[0].message
    assert "also described by thg-fulfil-api-prefix.json" in found[1].message
    assert "Keep only one" in found[0].hint and "overlay" in found[0].hint
    with pytest.raises(SpecError) as raised:
        load_products(tmp_path)
    assert "[THG001]" in str(raised.value)
    # Each document alone (its folder's other specs only lend entity types) is fine.
    assert not [p for p in _validate(tmp_path / "thg-fulfil.json") if p.rule == "THG001"]


def test_generate_refuses_two_documents_of_one_product(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    for name in ("thg-fulfil.json", "thg-fulfil.yaml"):
        shutil.copy(CORPUS / name, specs / name)
    out = tmp_path / "client"
    result = CliRunner().invoke(main, ["generate", str(specs), "-o", str(out)])
    assert result.exit_code != 0
    assert "thg-fulfil.yaml" in result.output and "[THG001]" in result.output
    assert not (out / "src" / "thg_connect" / "thg_fulfil_").exists()
    assert not (out / "src" / "thg_connect" / "thg_fulfil").exists()


# -- the entity trees ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["thg-fulfil.json", "thg-fulfil.yaml"])
def test_fulfil_inventory_with_approval_status_and_asn(name: str) -> None:
    product = _product(CORPUS / name)
    assert product.name == "thg-fulfil"
    assert _tree(product) == {
        "inventory": "entity",
        "inventory.approval": "status",
        "asn": "entity",
    }
    inventory = product.entity(("inventory",))
    assert inventory.children == (("inventory", "approval"),)
    assert inventory.id_param == "inventory_item" and inventory.owner_param == "owner"
    assert inventory.collection_path == "/{owner}/v1/inventory"
    assert inventory.item_path == "/{owner}/v1/inventory/{inventory_item}"
    assert inventory.schema == "/components/schemas/InventoryItem"  # the create's bare body
    assert sorted(_roles(product, "inventory")) == [
        ("create", "POST", ""), ("delete", "DELETE", ""), ("get", "GET", ""), ("list", "GET", ""),
    ]  # fmt: skip
    created = inventory.operation("create")
    assert created is not None and created.success_status == 200  # 200 means created too
    listed = inventory.operation("list")
    assert listed is not None
    assert [q.name for q in listed.query] == ["page[number]", "page[size]", "filter"]
    assert not inventory.mutable  # no PUT: the platform's items are immutable
    approval = product.entity(("inventory", "approval"))
    assert approval.values_path == "/{owner}/v1/inventory/{inventory_item}/approval/_values"
    assert approval.schema == "/components/schemas/ApprovalStatus"
    assert _roles(product, "inventory.approval") == [("get", "GET", "")]
    asn = product.entity(("asn",))
    assert asn.schema == "/components/schemas/Asn-Input" and asn.item_path is None
    assert _roles(product, "asn") == [("create", "POST", "")]
    assert product.token_url == ""  # from the client's configuration (THG050 warning)


def test_api_prefix_generation_gives_fulfilment_request_with_approval_and_dispatched() -> None:
    product = _product(CORPUS / "thg-fulfil-api-prefix.json")
    assert product.name == "thg-fulfil"  # from its paths, not the file name
    assert _tree(product) == {
        "fulfilment-request": "entity",
        "fulfilment-request.approval": "status",
        "fulfilment-request.dispatched": "entity",
    }
    request = product.entity(("fulfilment-request",))
    assert request.children == (
        ("fulfilment-request", "approval"),
        ("fulfilment-request", "dispatched"),
    )
    dispatched = product.entity(("fulfilment-request", "dispatched"))
    assert dispatched.item_path == (
        "/api/thg-fulfil/v1/{owner}/fulfilment-request/{fulfilment_request}/dispatched/{dispatched}"
    )
    assert sorted(_roles(product, "fulfilment-request.dispatched")) == [
        ("get", "GET", ""), ("list", "GET", ""),
    ]  # fmt: skip
    assert product.entity(("fulfilment-request", "approval")).values_path


def test_events_subscription_with_a_confirm_action() -> None:
    product = _product(CORPUS / "events.json")
    assert product.name == "events"
    assert _tree(product) == {"subscription": "entity"}
    subscription = product.entity(("subscription",))
    assert subscription.owner_param == "" and subscription.owner_role == "self"
    assert subscription.id_param == "subscription_id"
    assert subscription.schema == ""  # it has no operation of its own: nothing to model
    assert _roles(product, "subscription") == [("action", "DELETE", "confirm")]
    (confirm,) = subscription.operations
    assert confirm.path == "/subscription/{subscription_id}/confirm"  # the real path, verbatim


def test_stand_in_fulfil_every_role_and_mixed_generations() -> None:
    product = _product(OURS / "thg-fulfil.json")
    assert _tree(product) == {
        "inventory": "entity",
        "inventory.approval": "status",
        "asn": "entity",
        "fulfilment-request": "entity",
        "fulfilment-request.approval": "status",  # no _values: its GET answers one object
        "fulfilment-request.dispatched": "entity",
    }
    approval = product.entity(("fulfilment-request", "approval"))
    assert approval.values_path is None and approval.mutable
    assert sorted(_roles(product, "fulfilment-request.approval")) == [
        ("create", "POST", ""), ("get", "GET", ""), ("replace", "PUT", ""),
    ]  # fmt: skip
    dispatched = product.entity(("fulfilment-request", "dispatched"))
    assert dispatched.collection_path.startswith("/api/thg-fulfil/v1/{owner}/")
    assert product.entity(("inventory",)).collection_path == "/{owner}/v1/inventory"


def test_stand_in_events_poll_and_confirm_and_client_ids() -> None:
    product = _product(OURS / "events.json")
    subscription = product.entity(("subscription",))
    assert subscription.id_source == "client"  # the create's data requires id
    assert subscription.schema == "/components/schemas/Subscription"
    actions = {op.action: (op.method, op.path) for op in subscription.operations if op.action}
    assert actions == {
        "poll": ("GET", "/subscription/{subscription_id}/poll"),  # a list GET, no POST
        "confirm": ("DELETE", "/subscription/{subscription_id}/confirm"),
    }


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_names_come_from_paths_never_operation_ids(path: Path) -> None:
    product = _product(path)
    segments = {part for p in product.document["paths"] for part in p.split("/")}
    for entity in product.entities:
        assert set(entity.name) <= segments
        for op in entity.operations:
            assert op.operation_id  # FastAPI's, kept for reference only
            if op.role == "action":
                assert op.action == op.path.rsplit("/", 1)[-1]  # confirm, poll: the segment


# -- hints win; what cannot be inferred is located -------------------------------------------------


def _edited(tmp_path: Path, source: Path, edit: Any) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    edit(data)
    target = tmp_path / source.name
    target.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return target


def test_hints_in_the_document_win_over_inference(tmp_path: Path) -> None:
    def hint(data: dict[str, Any]) -> None:
        data["paths"]["/{owner}/v1/inventory"]["x-thg-entity"] = {"owner": "consumer"}
        approval = data["paths"]["/{owner}/v1/inventory/{inventory_item}/approval"]
        approval["x-thg-entity"] = {"writer": "provider"}

    path = _edited(tmp_path, CORPUS / "thg-fulfil.json", hint)
    spec, _ = load_spec(path)
    assert dialect_of(spec.data) == "published"  # hints alone do not make it annotated
    product = build_product(spec)
    assert product.entity(("inventory",)).owner_role == "consumer"
    approval = product.entity(("inventory", "approval"))
    assert (approval.owner_role, approval.writer_role) == ("consumer", "provider")
    pointers = {p.pointer for p in _validate(path)}
    assert "/paths/~1{owner}~1v1~1inventory" not in pointers
    assert "/paths/~1{owner}~1v1~1inventory~1{inventory_item}~1approval" not in pointers


def test_a_child_hint_may_move_it_to_the_other_side_s_path(tmp_path: Path) -> None:
    """The published fulfilment request's `dispatched` as the reference-string page shows it
    (S17): on the provider's own path, under a consumer's request."""

    def hint(data: dict[str, Any]) -> None:
        paths = data["paths"]
        paths["/api/thg-fulfil/v1/{owner}/fulfilment-request"]["x-thg-entity"] = {
            "owner": "consumer"
        }
        parcels = "/api/thg-fulfil/v1/{owner}/fulfilment-request/{fulfilment_request}/dispatched"
        paths[parcels]["x-thg-entity"] = {"owner": "provider"}

    path = _edited(tmp_path, CORPUS / "thg-fulfil-api-prefix.json", hint)
    product = build_product(load_spec(path)[0])
    parcel = product.entity(("fulfilment-request", "dispatched"))
    assert (parcel.owner_role, parcel.writer_role) == ("provider", "provider")
    assert product.entity(("fulfilment-request",)).owner_role == "consumer"
    errors = [p for p in _validate(path) if p.severity is Severity.ERROR]
    assert errors == []


def test_a_child_hint_under_a_self_owned_entity_is_an_error(tmp_path: Path) -> None:
    def hint(data: dict[str, Any]) -> None:
        parcels = "/api/thg-fulfil/v1/{owner}/fulfilment-request/{fulfilment_request}/dispatched"
        data["paths"][parcels]["x-thg-entity"] = {"owner": "provider"}

    problems = _validate(_edited(tmp_path, CORPUS / "thg-fulfil-api-prefix.json", hint))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert [p.rule for p in errors] == ["THG020"]
    assert errors[0].pointer.endswith("~1dispatched/x-thg-entity/owner")


def test_a_hint_with_an_unknown_value_is_an_error(tmp_path: Path) -> None:
    def hint(data: dict[str, Any]) -> None:
        data["paths"]["/{owner}/v1/inventory"]["x-thg-entity"] = {"owner": "brand"}

    problems = _validate(_edited(tmp_path, CORPUS / "thg-fulfil.json", hint))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert [(p.rule, p.pointer) for p in errors] == [
        ("THG020", "/paths/~1{owner}~1v1~1inventory/x-thg-entity/owner")
    ]


def test_attributes_that_cannot_be_inferred_name_the_hint(tmp_path: Path) -> None:
    def strip(data: dict[str, Any]) -> None:
        resource = data["components"]["schemas"]["AsnResource"]
        del resource["properties"]["attributes"]
        del data["paths"]["/{owner}/v1/asn"]["post"]["requestBody"]

    problems = _validate(_edited(tmp_path, CORPUS / "thg-fulfil.json", strip))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert [(p.rule, p.pointer) for p in errors] == [("THG021", "/paths/~1{owner}~1v1~1asn")]
    assert "x-thg-entity: {schema:" in errors[0].hint


def test_a_path_that_is_no_tree_is_an_error(tmp_path: Path) -> None:
    def add(data: dict[str, Any]) -> None:
        data["paths"]["/{owner}/v1/inventory/search/all"] = {
            "get": data["paths"]["/{owner}/v1/inventory"]["get"]
        }

    problems = _validate(_edited(tmp_path, CORPUS / "thg-fulfil.json", add))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert [(p.rule, p.pointer) for p in errors] == [
        ("THG010", "/paths/~1{owner}~1v1~1inventory~1search~1all")
    ]


def test_values_takes_get_only(tmp_path: Path) -> None:
    def add(data: dict[str, Any]) -> None:
        values = data["paths"]["/{owner}/v1/inventory/{inventory_item}/approval/_values"]
        values["post"] = values["get"]

    problems = _validate(_edited(tmp_path, CORPUS / "thg-fulfil.json", add))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert [(p.rule, p.pointer) for p in errors] == [
        ("THG022", "/paths/~1{owner}~1v1~1inventory~1{inventory_item}~1approval~1_values/post")
    ]


def test_the_annotated_dialect_keeps_its_strict_answers() -> None:
    assert classify_path("/{owner}/v1/asn", {}).kind == "malformed"
    spec, _ = load_spec(REPO / "specs" / "events.yaml")
    assert dialect_of(spec.data) == "annotated"
    assert build_index(spec).dialect == "annotated"


# -- the path-tree parser --------------------------------------------------------------------------

# A segment spelled like a version (v2) or `api` would be read as part of a prefix.
SEGMENT = st.from_regex(r"[a-z][a-z0-9]{0,6}(?:[-_][a-z0-9]{1,4}){0,2}", fullmatch=True).filter(
    lambda s: s != "api" and not VERSION.fullmatch(s)
)
PARAM = st.from_regex(r"[a-z][a-zA-Z0-9_]{0,12}", fullmatch=True)
PREFIXES = st.sampled_from(
    [
        ("/api/thg-fulfil/v1/{owner}", "thg-fulfil", "owner"),
        ("/api/events/v2/{org}", "events", "org"),
        ("/api/events/v1", "events", ""),
        ("/{owner}/v1", "", "owner"),
        ("/{owner}", "", "owner"),
        ("/v1/{owner}", "", "owner"),
        ("/v1", "", ""),
        ("", "", ""),
    ]
)


@st.composite
def trees(draw: Any) -> tuple[tuple[str, str, str], tuple[str, ...], tuple[str, ...], bool]:
    prefix = draw(PREFIXES)
    segments = tuple(draw(st.lists(SEGMENT, min_size=1, max_size=4)))
    ends_with_param = draw(st.booleans())
    count = len(segments) if ends_with_param else len(segments) - 1
    params = tuple(draw(st.lists(PARAM, min_size=count, max_size=count)))
    values = not ends_with_param and len(segments) > 1 and draw(st.booleans())
    return prefix, segments, params, values


@given(trees())
def test_every_generation_parses_back_to_its_tree(
    tree: tuple[tuple[str, str, str], tuple[str, ...], tuple[str, ...], bool],
) -> None:
    (prefix, product, owner), segments, params, values = tree
    path = render_path(prefix, segments, params, values)
    parsed = parse_path(path)
    assert parsed.problem == ""
    assert (parsed.prefix, parsed.product, parsed.owner_param) == (prefix, product, owner)
    assert (parsed.segments, parsed.params, parsed.values) == (segments, params, values)
    assert render_path(parsed.prefix, parsed.segments, parsed.params, parsed.values) == path


@given(st.text(alphabet="/{}_-av1x.", max_size=40))
def test_the_parser_never_raises_and_keeps_what_it_read(path: str) -> None:
    parsed = parse_path(path)
    assert parsed.path == path
    if not parsed.problem:
        rebuilt = render_path(parsed.prefix, parsed.segments, parsed.params, parsed.values)
        assert rebuilt == path
        assert len(parsed.segments) - len(parsed.params) in (0, 1)


def test_parser_examples() -> None:
    confirm = parse_path("/subscription/{subscription_id}/confirm")
    assert (confirm.prefix, confirm.owner_param) == ("", "")
    assert (confirm.segments, confirm.params) == (("subscription", "confirm"), ("subscription_id",))
    values = parse_path("/{owner}/v1/inventory/{inventory_item}/approval/_values")
    assert (values.prefix, values.values, values.segments) == (
        "/{owner}/v1", True, ("inventory", "approval"),
    )  # fmt: skip
    assert parse_path("/{owner}/v1/inventory/{a}/_values").problem
    assert parse_path("/{owner}/v1/inventory/search/all").problem
    assert parse_path("/{owner}/v1").problem
