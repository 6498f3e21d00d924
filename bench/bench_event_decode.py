"""Per-event decoding against a typed page of the same size (issue 15's target: decoding an
event costs no more than decoding a resource of a typed page).

    .venv/bin/python bench/bench_event_decode.py [--size 100] [--repeat 200]

Both sides start from the same bytes a server would send: N inventory items as a typed list
page (`ListDocument[InventoryItem]`, what `list()` decodes), and the same N items as
events in the platform's shape (what `poll()` decodes: `EventListDocument`): as decoded (the key
and method are read then),
with every event's `data` taken (the entity decoded into the generated model: what the typed
page holds), and with every reference parsed, beside the typed page with every resource's
reference parsed (both parse on first access). Prints microseconds per item and the ratio to
the typed page doing the same; the target is <= 1.0x.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "generated" / "src"), str(ROOT / "runtime" / "src")]

from thg_connect.thg_fulfil import InventoryItem  # noqa: E402
from thg_connect_core import EventListDocument, ListDocument, decode, lenient_enums  # noqa: E402

ATTRIBUTES: Dict[str, Any] = {
    "consumerReference": "SKU-1",
    "title": "Blue mug",
    "description": "A mug, blue.",
    "type": "homeware",
    "barcodes": [{"barcode": "5012345678900", "type": "ean"}],
    "dimensions": {"depth": 120, "height": 95, "mass": 350, "width": 80},
    "defaultCountryOfOrigin": "GB",
    "harmonizedSystemCode": "691200000000",
    "batchControlled": False,
    "serialNumberControlled": False,
}


def _resource(i: int) -> Dict[str, Any]:
    return {
        "id": f"id-{i}",
        "type": "thg-fulfil:inventory",
        "version": "1",
        "attributes": {**ATTRIBUTES, "consumerReference": f"SKU-{i}"},
        "links": {"self": f"/api/thg-fulfil/v1/brandco/inventory/id-{i}"},
        "meta": {
            "product": "thg-fulfil",
            "reference": f"thg:thg-fulfil:inventory#brandco@id-{i}",
            "owner": "brandco",
            "creator": "brandco",
            "createdAt": "2026-02-11T13:09:43.710356",
            "updatedAt": "2026-02-11T13:09:43.710356",
        },
    }


def _event(i: int) -> Dict[str, Any]:
    handle = f"AQEB{i:0>124}"
    return {
        "id": handle,
        "type": "DataChangedEvent",
        "attributes": _resource(i),
        "meta": {"receiptHandle": handle, "subscriptionId": "bench", "method": "create"},
    }


def _best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    n = args.size
    page = json.dumps({"data": [_resource(i) for i in range(n)]}).encode()
    polled = json.dumps({"data": [_event(i) for i in range(n)]}).encode()
    page_type = ListDocument[InventoryItem]

    def typed_page() -> object:
        with lenient_enums():  # as list() reads a page: a server's answer, leniently
            return decode(page, page_type).data

    def typed_page_references() -> object:
        with lenient_enums():
            return [r.reference for r in decode(page, page_type).data]

    def events() -> object:
        return [(e.key, e.action) for e in decode(polled, EventListDocument).data]

    def events_with_data() -> object:
        return [(e.key, e.data) for e in decode(polled, EventListDocument).data]

    def events_references() -> object:
        return [(e.key, e.reference) for e in decode(polled, EventListDocument).data]

    events_with_data()  # the first decode registers the generated models (lazy, once)
    page_time = _best(typed_page, args.repeat)
    page_references = _best(typed_page_references, args.repeat)
    rows = [
        ("typed page (list())", page_time, page_time),
        ("events (poll()): key and method", _best(events, args.repeat), page_time),
        (
            "events, each event's data as InventoryItem",
            _best(events_with_data, args.repeat),
            page_time,
        ),
        ("typed page, each resource's reference parsed", page_references, page_references),
        (
            "events, each event's reference parsed",
            _best(events_references, args.repeat),
            page_references,
        ),
    ]
    print(f"{n} items per document, median of {args.repeat}")
    print("| decoding | us per item | / the typed page doing the same |")
    print("|---|---:|---:|")
    for label, seconds, peer in rows:
        print(f"| {label} | {seconds / n * 1e6:.1f} | {seconds / peer:.2f}x |")


if __name__ == "__main__":
    main()
