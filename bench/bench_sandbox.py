"""Sandbox throughput on loopback: requests per second for GET ALL and POST, 1 and 8 clients.

    .venv/bin/python bench/bench_sandbox.py                  # CI-sized: 2 s per cell
    .venv/bin/python bench/bench_sandbox.py --duration 20    # the recorded figures

The sandbox runs in a child process (so the clients do not share its interpreter lock) as
`thg-sandbox serve` would: uvicorn on 127.0.0.1, the repo's specs, a SQLite file in a temporary
folder. The parent seeds inventory items, fetches a brandco token, then for each cell runs N
threads, each with its own keep-alive httpx client, for the given duration and counts the answers:
  GET ALL  GET  /api/thg-fulfil/v1/brandco/inventory?page[size]=100  (a full page of 100)
  POST     POST /api/thg-fulfil/v1/brandco/inventory                  (a new sku each time)
Any answer other than the expected 200/201 aborts the run: a figure is only printed for successes.
Besides requests per second and client-side latency, "server CPU ms/req" is the sandbox process's
user+system CPU time per answer (from /proc): the steadier figure when the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ITEMS = "/api/thg-fulfil/v1/brandco/inventory"
PAGE = {"page[size]": "100"}
SEED = 150  # more than one page, so GET ALL always returns a full page of 100
STARTUP_TIMEOUT = 30.0


def serve(db: Path) -> None:
    """Child process: the sandbox on a free loopback port, printed as the first line of stdout."""
    import uvicorn

    from thg_sandbox.server import HOST, build, uvicorn_config

    _, app = build(ROOT / "specs", None, db)
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only when the
    # listening socket says it is TCP; without it every keep-alive answer waits ~40 ms.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind((HOST, 0))
    print(sock.getsockname()[1], flush=True)
    uvicorn.Server(uvicorn_config(app, sock.getsockname()[1])).run(sockets=[sock])


@dataclass(frozen=True)
class Server:
    base: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU time of the sandbox process so far (Linux /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def sandbox_process() -> Iterator[Server]:
    with tempfile.TemporaryDirectory(prefix="thg-bench-") as folder:
        child = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(Path(folder) / "sandbox.db")],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            assert child.stdout is not None
            port = int(child.stdout.readline())
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while True:
                try:
                    httpx.get(base + "/oauth/token", timeout=1.0)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or child.poll() is not None:
                        raise RuntimeError("the sandbox did not start") from None
                    time.sleep(0.05)
            yield Server(base, child.pid)
        finally:
            child.terminate()
            child.wait(10)


def token(base: str) -> str:
    response = httpx.post(
        base + "/oauth/token",
        json={
            "client_id": "brandco",
            "client_secret": "brandco-sandbox-secret",  # the sandbox's fixed, public default
            "grant_type": "client_credentials",
            "audience": base,
        },
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def item(sku: str) -> dict[str, object]:
    return {
        "data": {
            "type": "thg-fulfil:inventory",
            "attributes": {
                "consumerReference": sku,
                "title": f"Bench item {sku}",
                "description": "A bench item",
                "type": "bench",
                "barcodes": [{"barcode": sku, "type": "ean"}],
                "dimensions": {"depth": 1, "height": 1, "mass": 0.18, "width": 1},
                "batchControlled": False,
            },
        }
    }


@dataclass(frozen=True)
class Cell:
    name: str
    clients: int
    requests: int
    seconds: float
    latencies_ms: list[float]
    server_cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def row(self) -> str:
        lat = sorted(self.latencies_ms)
        p50 = statistics.median(lat)
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        return (
            f"| {self.name:<7} | {self.clients:>7} | {self.requests:>8} | {self.per_second:>8.0f} "
            f"| {p50:>7.1f} | {p99:>7.1f} "
            f"| {self.server_cpu_seconds / self.requests * 1000:>17.2f} |"
        )


Send = Callable[[httpx.Client, int, int], None]  # (client, worker, n): one request, checked


def get_all(client: httpx.Client, worker: int, n: int) -> None:
    response = client.get(ITEMS, params=PAGE)
    if response.status_code != 200 or len(response.json()["data"]) != 100:
        raise RuntimeError(f"GET ALL answered {response.status_code}")


def post(run: str) -> Send:
    def send(client: httpx.Client, worker: int, n: int) -> None:
        response = client.post(ITEMS, json=item(f"BENCH-{run}-{worker}-{n}"))
        if response.status_code not in (200, 201):  # the spec declares 200, as the platform
            raise RuntimeError(f"POST answered {response.status_code}")

    return send


def measure(
    server: Server, bearer: str, name: str, send: Send, clients: int, duration: float
) -> Cell:
    base = server.base
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[BaseException] = []
    ready = threading.Barrier(clients + 1)
    stop = threading.Event()

    def worker(index: int) -> None:
        headers = {"Authorization": f"Bearer {bearer}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30.0) as client:
            try:
                send(client, index, -1)  # open the connection before the clock starts
            finally:
                ready.wait()
            n = 0
            try:
                while not stop.is_set():
                    began = time.perf_counter()
                    send(client, index, n)
                    latencies[index].append((time.perf_counter() - began) * 1000)
                    n += 1
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
                stop.set()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    cpu_before = server.cpu_seconds()
    began = time.perf_counter()
    stop.wait(duration)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began  # includes the last answers in flight, as counted
    cpu = server.cpu_seconds() - cpu_before
    if errors:
        raise errors[0]
    flat = [x for per in latencies for x in per]
    return Cell(name, clients, len(flat), elapsed, flat, cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=2.0, help="seconds per cell")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the child's mode
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve(args.serve)
        return
    with sandbox_process() as server:
        bearer = token(server.base)
        with httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {bearer}"}) as c:
            for i in range(SEED):
                c.post(ITEMS, json=item(f"SEED-{i}")).raise_for_status()
        cells = []
        for clients in args.clients:
            cells.append(measure(server, bearer, "GET ALL", get_all, clients, args.duration))
        for clients in args.clients:
            send = post(f"c{clients}")
            cells.append(measure(server, bearer, "POST", send, clients, args.duration))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"sandbox on loopback, {args.duration:g} s per cell, {os.cpu_count()} CPUs, load {load}")
    print("| request | clients | requests | req/s    | p50 ms  | p99 ms  | server CPU ms/req |")
    print("|---------|---------|----------|----------|---------|---------|-------------------|")
    for cell in cells:
        print(cell.row())


if __name__ == "__main__":
    main()
