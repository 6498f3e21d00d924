"""`x-thg-runtime-model` (CONVENTIONS §11): a schema the runtime decodes with its own type is
referenced by that type, never generated; an action's required header is a keyword argument."""

from __future__ import annotations

from pathlib import Path

from thg_codegen.model.package import build_package
from thg_spec.pipeline import load_products

REPO = Path(__file__).resolve().parents[2]


def events_package():  # type: ignore[no-untyped-def]
    (product,) = load_products([REPO / "specs" / "events.yaml"])
    return build_package(product, "events")


def test_poll_returns_runtime_events_and_no_event_model_is_generated() -> None:
    pkg = events_package()
    (module,) = pkg.entities
    methods = {m.name: m for r in module.resources if r.kind == "endpoint" for m in r.methods}
    poll, confirm = methods["poll"], methods["confirm"]
    assert (poll.result, poll.document, poll.runtime) == (
        "List[Event]",
        "_EventListDocument",
        ("Event",),
    )
    assert (confirm.http_method, confirm.result, confirm.document, confirm.body) == (
        "DELETE",
        "Optional[Event]",
        "_EventDocument",
        "",
    )
    assert [(p.name, p.wire, p.annotation) for p in confirm.headers] == [
        ("receipt_handle", "receipt-handle", "str")
    ]
    assert module.runtime_imports == ("Event",)
    names = {d.name for d in pkg.common} | {d.name for m in pkg.entities for d in m.definitions}
    assert not names & {"DataChangedEvent", "ChangedEntity", "EventMeta", "Event"}
    notification = next(d for d in pkg.common if d.name == "WebhookNotification")
    assert notification.runtime == ("Event",) and pkg.common_runtime == ("Event",)
    assert [f.annotation for f in notification.fields][0] == "List[Event]"
