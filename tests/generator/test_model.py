"""The model stage over the small fixture spec and over the repository's specs."""

from __future__ import annotations

from pathlib import Path

import pytest

from thg_spec.pipeline import SpecError, load_products

from .broken_specs import BROKEN, VALID

REPO = Path(__file__).resolve().parents[2]


def test_mini_product_tree() -> None:
    (product,) = load_products([VALID])
    assert product.name == "mini"
    assert product.token_url == "https://auth.example.test/oauth/token"
    widget = product.entity(("widget",))
    check = product.entity(("widget", "check"))
    assert widget.type_string == "mini:widget" and widget.mutable
    assert [op.role for op in widget.operations] == [
        "list",
        "create",
        "get",
        "replace",
        "delete",
        "action",
    ]
    assert widget.operation("action") is not None
    assert widget.operation("action").action == "archive"  # type: ignore[union-attr]
    assert widget.children == (("widget", "check"),)
    assert widget.lookup_path == widget.item_path
    assert (check.kind, check.owner_role, check.writer_role) == ("status", "consumer", "provider")
    assert [s.value for s in check.states] == ["PASSED", "FAILED"]
    assert check.lookup_path == "/api/mini/v1/{owner}/widget.check/{checkId}"
    assert check.parent == ("widget",) and not check.mutable
    listing = widget.operation("list")
    assert listing is not None
    assert [q.name for q in listing.query] == ["page[number]", "page[size]", "filter"]
    assert product.resolve(widget.schema)["required"] == ["name"]


def test_invalid_specs_raise_with_every_diagnostic() -> None:
    with pytest.raises(SpecError) as caught:
        load_products([BROKEN / "security" / "mini.yaml"])
    assert {d.rule for d in caught.value.diagnostics} == {"THG050"}
    assert "THG050" in str(caught.value)


def test_repository_specs_build() -> None:
    products = load_products(REPO / "specs")
    assert {p.name for p in products} >= {"thg-fulfil"}
    for product in products:
        for entity in product.entities:
            assert entity.operations, entity.type_string
            if len(entity.name) > 1:
                assert entity.lookup_path, entity.type_string


def test_a_child_may_live_on_the_other_side_s_path(tmp_path: Path) -> None:
    """`owner: provider` on a consumer-owned entity's child (CONVENTIONS §3: a provider's
    dispatched parcels of a consumer's request): the child and its own children are the
    provider's, its writer defaults to its owner; its parent stays the consumer's."""
    spec = tmp_path / "mini.yaml"
    spec.write_text(
        VALID.read_text().replace(
            "{name: widget.check, kind: status, writer: provider,",
            "{name: widget.check, kind: status, owner: provider,",
        )
    )
    (product,) = load_products([spec])
    check = product.entity(("widget", "check"))
    assert (check.owner_role, check.writer_role) == ("provider", "provider")
    assert product.entity(("widget",)).owner_role == "consumer"


def test_the_repository_s_dispatched_parcels_are_the_provider_s() -> None:
    fulfil = next(p for p in load_products(REPO / "specs") if p.name == "thg-fulfil")
    parcel = fulfil.entity(("fulfilment-request", "dispatched"))
    assert (parcel.owner_role, parcel.writer_role) == ("provider", "provider")
    request = fulfil.entity(("fulfilment-request",))
    assert request.owner_role == "consumer"
    approval = fulfil.entity(("fulfilment-request", "approval"))
    cancellation = fulfil.entity(("fulfilment-request", "cancellation"))
    assert (approval.owner_role, approval.writer_role) == ("consumer", "provider")
    assert (cancellation.owner_role, cancellation.writer_role) == ("consumer", "consumer")
