"""Names derived from specs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from thg_spec import conventions as cv
from thg_spec.spec_index import classify_path

_segments = st.from_regex(cv.KEBAB, fullmatch=True).filter(lambda s: len(s) < 30)


@given(_segments)
def test_id_parameter_names_are_lower_camel(segment: str) -> None:
    name = cv.id_parameter_name(segment)
    assert cv.LOWER_CAMEL.fullmatch(name) and name.endswith("Id")
    assert name[:-2].lower() == segment.replace("-", "")


def test_id_parameter_name_examples() -> None:
    assert cv.id_parameter_name("fulfilment-request") == "fulfilmentRequestId"
    assert cv.id_parameter_name("dispatched") == "dispatchedId"


def test_path_shapes() -> None:
    base = "/api/thg-fulfil/v1/{owner}"
    assert classify_path(f"{base}/inventory-item", {}).kind == "collection"
    item = classify_path(f"{base}/inventory-item/{{inventoryItemId}}", {})
    assert (item.kind, item.entity_path, item.id_params) == (
        "item",
        ("inventory-item",),
        ("inventoryItemId",),
    )
    lookup = classify_path(f"{base}/fulfilment-request.dispatched/{{dispatchedId}}", {})
    assert (lookup.kind, lookup.entity_path) == ("lookup", ("fulfilment-request", "dispatched"))
    action = classify_path(
        "/api/events/v1/{owner}/subscription/{subscriptionId}/events",
        {"get": {"x-thg-action": "poll"}},
    )
    assert (action.kind, action.entity_path, action.action_segment) == (
        "action",
        ("subscription",),
        "events",
    )
    assert classify_path("/oauth/token", {"x-thg-token-endpoint": True}).kind == "token"
    assert classify_path("/v1/{owner}/asn", {}).kind == "malformed"


def test_name_suggestions() -> None:
    assert cv.as_kebab("ThgFulfil") == cv.as_kebab("thg_fulfil") == "thg-fulfil"
    assert cv.as_lower_camel("Archive-Now") == "archiveNow"
    assert cv.as_upper_snake("not approved") == cv.as_upper_snake("NotApproved") == "NOT_APPROVED"
    assert cv.suggestion("Mini", cv.as_kebab("Mini"), cv.KEBAB) == "mini"


@given(st.text(max_size=20))
def test_a_suggestion_is_never_the_rejected_name_nor_one_rejected_again(name: str) -> None:
    for convert, rule in (
        (cv.as_kebab, cv.KEBAB),
        (cv.as_lower_camel, cv.LOWER_CAMEL),
        (cv.as_upper_snake, cv.STATE_VALUE),
    ):
        better = cv.suggestion(name, convert(name), rule)
        assert better is None or (better != name and rule.fullmatch(better))


def test_no_suggestion_when_converting_changes_nothing() -> None:
    # `9lives` is not kebab, and kebab-casing it gives `9lives` again: a hint must not say so.
    assert cv.as_kebab("9lives") == "9lives"
    assert cv.suggestion("9lives", cv.as_kebab("9lives"), cv.KEBAB) is None
    assert cv.suggestion("1ST", cv.as_upper_snake("1ST"), cv.STATE_VALUE) is None
