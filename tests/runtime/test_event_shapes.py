"""Every event shape the platform has sent decodes into one typed Event; odd records never
fail a poll; the field readers (epoch seconds, reference forms) are exact and never raise."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Dict

from hypothesis import given, settings
from hypothesis import strategies as st

from thg_connect_core import Reference, event_from_resource
from thg_connect_core._event_fields import epoch_seconds, lenient_reference
from thg_connect_core._events import events_from_document

HANDLE = "AQEB" + "x" * 40

RESOURCE_FORM: Dict[str, Any] = {  # generation (b), as on the recovered pages
    "id": HANDLE,
    "type": "DataChangedEvent",
    "attributes": {
        "id": "d91063ad-1", "type": "thg-commerce:site", "version": "1",
        "attributes": {"siteName": "Will", "domainName": "https://example.test"},
        "links": None,
        "meta": {
            "product": "thg-commerce", "reference": "thg:thg-commerce:site:thgcommerce@d91063ad-1",
            "createdAt": "2025-04-23T09:22:11.530782", "updatedAt": "2025-04-23T09:28:23.013937",
            "status": {"site-status": {"value": "APPROVED"}},
            "owner": "thgcommerce", "creator": "thgaltitude",
        },
    },
    "meta": {"receiptHandle": HANDLE, "subscriptionId": "WillSiteSubscription", "method": "update"},
}  # fmt: skip

LEGACY_FORM: Dict[str, Any] = {  # generation (a)
    "id": "handle-1",
    "eventType": "Data_Changed_Event",
    "eventTypeVersion": "0",
    "metadata": {
        "method": "create", "owner": "mycompany", "resourceUrl": "/mycompany/inventory/4f2929b5",
        "entityId": "4f2929b5", "parentEntityId": "", "entityType": "inventory",
        "entityTypeVersion": "0", "product": "thg-fulfil", "createdAt": "1724321803.378458",
        "consumer": "*", "provider": "mycompany", "reference": "thg:inventory:mycompany@4f2929b5",
    },
    "data": {"sku": "SKU-1", "title": "Amber"},
}  # fmt: skip


def test_the_resource_form_decodes_with_its_entity_embedded() -> None:
    e = event_from_resource(RESOURCE_FORM)
    assert (e.id, e.shape, e.action) == (HANDLE, "DataChangedEvent", "UPDATED")
    assert (e.entity_type, e.product, e.owner, e.entity_id) == (
        "thg-commerce:site", "thg-commerce", "thgcommerce", "d91063ad-1")  # fmt: skip
    assert e.reference == Reference("thg-commerce", "site", "thgcommerce", "d91063ad-1")
    assert e.state == "APPROVED" and e.subscription_id == "WillSiteSubscription"
    assert e.occurred_at == datetime(2025, 4, 23, 9, 28, 23, 13937, tzinfo=timezone.utc)
    assert e.entity is not None and e.entity["attributes"]["siteName"] == "Will"


def test_the_legacy_form_decodes_and_its_created_at_is_epoch_seconds() -> None:
    e = event_from_resource(LEGACY_FORM)
    assert (e.id, e.shape, e.action, e.entity_type) == (
        "handle-1", "Data_Changed_Event", "CREATED", "thg-fulfil:inventory")  # fmt: skip
    assert e.reference == Reference("thg-fulfil", "inventory", "mycompany", "4f2929b5")
    assert e.path == "/mycompany/inventory/4f2929b5" and e.entity == {
        "sku": "SKU-1",
        "title": "Amber",
    }
    assert e.occurred_at == datetime(2024, 8, 22, 10, 16, 43, 378458, tzinfo=timezone.utc)
    updated = event_from_resource({**LEGACY_FORM, "metadata": {**LEGACY_FORM["metadata"],
                                                               "method": "update"}})  # fmt: skip
    assert updated.occurred_at is None  # createdAt is the entity's creation, not this change


def test_odd_records_are_skipped_and_never_fail_the_others() -> None:
    good = {"id": "e1", "type": "events:event", "attributes": {"action": "CREATED"}}
    document = {"data": [good, 7, None, {"type": "events:event"}, {"x": 1}, RESOURCE_FORM]}
    events, odd = events_from_document(document)
    assert [e.id for e in events] == ["e1", HANDLE] and len(odd) == 4
    assert events_from_document({"data": None}) == ([], [])
    assert events_from_document("nonsense")[0] == []


SCALAR = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
)


def _nested(inner: Any) -> Any:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)


JSON = st.recursive(SCALAR, _nested, max_leaves=20)
KEYS = st.sampled_from(["id", "type", "attributes", "meta", "metadata", "data", "eventType"])
RECORD = st.dictionaries(KEYS, JSON | st.sampled_from(["events:event", "DataChangedEvent"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(RECORD | JSON, max_size=6))
def test_decoding_anything_never_raises_and_every_lazy_field_is_safe(records: Any) -> None:
    events, odd = events_from_document({"data": records})
    assert len(events) + len(odd) == len(records)
    for e in events:
        assert isinstance(e.id, str) and e.id
        for name in ("action", "entity_type", "owner", "entity_id", "path", "parent_id"):
            assert isinstance(getattr(e, name), str)
        assert e.occurred_at is None or e.occurred_at.tzinfo is not None
        assert e.state is None or isinstance(e.state, str)
        assert e.hidden_until is None or e.hidden_until.tzinfo is not None
        assert repr(e).startswith("Event(")
        try:
            e.reference
        except ValueError:  # EventFormatError: the handler fails for this event only
            pass


@given(st.integers(0, 253402300799), st.integers(0, 999999))
def test_epoch_seconds_round_trip_to_the_microsecond(seconds: int, micros: int) -> None:
    parsed = epoch_seconds(f"{seconds}.{micros:06d}")
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    assert parsed == epoch + timedelta(seconds=seconds, microseconds=micros)


@given(st.text(max_size=30))
def test_epoch_seconds_never_raises(text: str) -> None:
    parsed = epoch_seconds(text)
    assert parsed is None or parsed.tzinfo is not None


SEGMENT = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True)
OWNER = st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True)
IDENT = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,12}", fullmatch=True)


@given(SEGMENT, SEGMENT, OWNER, IDENT)
def test_every_reference_form_reads_as_the_same_reference(
    product: str, entity: str, owner: str, ident: str
) -> None:
    expected = Reference(product, entity, owner, ident)
    for text in (str(expected), f"thg:{product}:{entity}:{owner}@{ident}"):
        assert lenient_reference(text) == expected
    assert lenient_reference(f"thg:{entity}:{owner}@{ident}", product) == expected


@given(st.text(max_size=40))
def test_reading_a_reference_never_raises(text: str) -> None:
    lenient_reference(text, "thg-fulfil")
