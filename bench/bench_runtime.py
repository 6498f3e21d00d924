"""Runtime decode and request overhead, side by side with its peers in one run.

    .venv/bin/python bench/bench_runtime.py            # CI-sized: a few seconds
    .venv/bin/python bench/bench_runtime.py --long     # the recorded figures (about a minute)

Paths measured, on one loopback HTTP server (127.0.0.1, a free port, its own process) serving a
pre-built JSON:API page of 100 inventory items and a token endpoint:
  (a) raw httpx + json.loads                         — the untyped floor
  (b) raw httpx + pydantic validate_json into hand-written models — the typed floor
  (c) the runtime's typed path: SyncAPIClient.request(cast_to=ListDocument[ItemAttributes]),
      bearer token fetched from the server's token endpoint
and decoding a 1,000-resource document by json.loads, the typed floor and the runtime's decode().
Targets: (c) <= 1.1x (b) for both. Medians of per-call times, the paths measured round-robin;
every ratio is printed in a table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated, Any, Dict, List, Optional, Tuple

import httpx
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter

from thg_connect_core import ClientConfig, ListDocument, Secret, SyncAPIClient, decode

# --- the payload: inventory-item-like resources as the sandbox serves them -------------------


def _resource(i: int) -> Dict[str, Any]:
    return {
        "id": f"0b3e5d7f-1a2c-4e6b-9d8f-{i:012d}",
        "type": "thg-fulfil:inventory",
        "attributes": {
            "sku": f"BRC-TSHIRT-{i:06d}",
            "name": "Organic cotton T-shirt, black, M",
            "barcodes": [{"type": "EAN", "value": "5012345678900"}],
            "mass_g": 180.5,
            "height_mm": 20,
            "width_mm": 250,
            "length_mm": 300,
            "countryOfOrigin": "PT",
            "harmonizedSystemCode": "610910",
            "hazmat": False,
            "hazmatDocumentation": None,
        },
        "meta": {
            "createdAt": "2026-02-11T13:09:43.710356",
            "creator": "brandco",
            "owner": "brandco",
            "parent": {},
            "product": "thg-fulfil",
            "reference": f"thg:thg-fulfil:inventory#brandco@0b3e5d7f-1a2c-4e6b-9d8f-{i:012d}",
            "updatedAt": "2026-02-11T13:09:43.710356",
        },
        "version": "1",
    }


def list_document(count: int) -> bytes:
    doc = {
        "data": [_resource(i) for i in range(count)],
        "links": {"self": "/api/thg-fulfil/v1/brandco/inventory?page[number]=1", "next": None},
        "meta": {"page": {"number": 1, "size": count}},
    }
    return json.dumps(doc).encode()


# --- the typed floor: hand-written pydantic models of the same shape ------------------------


class Barcode(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    value: str


class ItemAttributes(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    sku: str
    name: Optional[str] = None
    barcodes: List[Barcode] = []
    mass_g: Optional[float] = None
    height_mm: Optional[float] = None
    width_mm: Optional[float] = None
    length_mm: Optional[float] = None
    country_of_origin: Optional[str] = Field(default=None, alias="countryOfOrigin")
    harmonized_system_code: Optional[str] = Field(default=None, alias="harmonizedSystemCode")
    hazmat: Optional[bool] = None
    hazmat_documentation: Optional[str] = Field(default=None, alias="hazmatDocumentation")


def _utc(value: datetime) -> datetime:
    # the same work the runtime does: naive means UTC, aware is converted; aware UTC out
    if value.tzinfo is None:
        return datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            timezone.utc,
        )
    return value.astimezone(timezone.utc)


Utc = Annotated[datetime, AfterValidator(_utc)]


class FloorMeta(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    created_at: Optional[Utc] = Field(default=None, alias="createdAt")
    creator: Optional[str] = None
    owner: Optional[str] = None
    parent: Dict[str, str] = {}
    product: Optional[str] = None
    reference: Optional[str] = None
    updated_at: Optional[Utc] = Field(default=None, alias="updatedAt")


class FloorResource(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    type: str
    attributes: ItemAttributes
    meta: Optional[FloorMeta] = None
    version: Optional[str] = None


class FloorList(BaseModel):
    model_config = ConfigDict(extra="allow")
    data: List[FloorResource]
    links: Optional[Dict[str, Optional[str]]] = None
    meta: Optional[Dict[str, Any]] = None


FLOOR = TypeAdapter(FloorList)
RUNTIME_TYPE = ListDocument[ItemAttributes]


# --- a loopback server -----------------------------------------------------------------------


def _handler(body: bytes) -> type:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # noqa: N802 - the token endpoint
            length = int(self.headers.get("Content-Length", "0"))
            self.rfile.read(length)
            token = b'{"access_token": "bench-token", "expires_in": 3600, "token_type": "Bearer"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(token)))
            self.end_headers()
            self.wfile.write(token)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def serve(count: int) -> None:
    """The server process: serve a ``count``-resource page on 127.0.0.1 (free port), print the
    port, and stop when stdin closes (the parent exited or finished)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(list_document(count)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    print(server.server_address[1], flush=True)
    try:
        sys.stdin.read()
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@contextmanager
def serving(count: int) -> Iterator[str]:
    """A loopback server in its own process: in-process, its threads would compete with the
    measured client for the GIL and add switch-interval stalls that are not the client's cost."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve", str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


# --- measuring -------------------------------------------------------------------------------


Result = Tuple[str, float, float]
"""(name, median wall seconds, median CPU seconds of this process) per call."""


def interleaved_medians(
    fns: List[Tuple[str, Callable[[], object]]], rounds: int, warmup: int = 5
) -> List[Result]:
    """Median wall and CPU seconds per call of each function, measured round-robin (the order
    rotating each round) so that drift in machine load hits every path alike. CPU time is this
    process's only (the server runs in another), so it holds steady on a loaded machine."""
    for _ in range(warmup):
        for _, fn in fns:
            fn()
    wall: Dict[str, List[float]] = {name: [] for name, _ in fns}
    cpu: Dict[str, List[float]] = {name: [] for name, _ in fns}
    for i in range(rounds):
        k = i % len(fns)
        for name, fn in fns[k:] + fns[:k]:
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            cpu[name].append(time.process_time() - start_cpu)
            wall[name].append(time.perf_counter() - start)
    return [(n, statistics.median(wall[n]), statistics.median(cpu[n])) for n, _ in fns]


def run(rounds: int) -> List[Result]:
    big = list_document(1000)
    path = "/api/thg-fulfil/v1/brandco/inventory"
    with serving(100) as base_url:
        config = ClientConfig(
            client_id="bench",
            client_secret=Secret("bench-secret"),
            owner="brandco",
            base_url=base_url,
            token_url=base_url + "/oauth/token",
            audience=base_url,
        )
        with httpx.Client(base_url=base_url) as raw, SyncAPIClient(config) as client:
            typed = client.request("GET", path, cast_to=RUNTIME_TYPE)
            floor = FLOOR.validate_json(raw.get(path).content)
            assert [r.attributes for r in typed.data] == [r.attributes for r in floor.data]
            assert typed.data[0].meta is not None and floor.data[0].meta is not None
            assert typed.data[0].meta.created_at == floor.data[0].meta.created_at
            results = interleaved_medians(
                [
                    ("GET 100: (a) httpx + json.loads", lambda: json.loads(raw.get(path).content)),
                    (
                        "GET 100: (b) httpx + pydantic floor",
                        lambda: FLOOR.validate_json(raw.get(path).content),
                    ),
                    (
                        "GET 100: (c) runtime typed path",
                        lambda: client.request("GET", path, cast_to=RUNTIME_TYPE),
                    ),
                ],
                rounds,
            )
    results += interleaved_medians(
        [
            ("decode 1000: (a) json.loads", lambda: json.loads(big)),
            ("decode 1000: (b) pydantic floor", lambda: FLOOR.validate_json(big)),
            ("decode 1000: (c) runtime decode", lambda: decode(big, RUNTIME_TYPE)),
        ],
        rounds,
    )
    return results


def table(results: List[Result]) -> str:
    lines = [
        "| measurement | wall median | vs (a) | vs (b) | client CPU median | vs (a) | vs (b) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for group in ("GET 100", "decode 1000"):
        rows = [r for r in results if r[0].startswith(group)]
        (_, a, a_cpu), (_, b, b_cpu) = rows[0], rows[1]
        for name, t, c in rows:
            lines.append(
                f"| {name} | {t * 1e3:.3f} ms | {t / a:.2f}x | {t / b:.2f}x "
                f"| {c * 1e3:.3f} ms | {c / a_cpu:.2f}x | {c / b_cpu:.2f}x |"
            )
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="rounds per path (default 30)")
    parser.add_argument("--long", action="store_true", help="500 rounds: for recorded figures")
    parser.add_argument("--serve", type=int, metavar="COUNT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve(args.serve)
        return ""
    text = table(run(500 if args.long else args.rounds))
    print(text)
    return text


if __name__ == "__main__":
    main()
