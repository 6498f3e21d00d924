"""Events consumer throughput against a bare httpx poll+confirm loop, on one sandbox in one run.

    .venv/bin/python bench/bench_events.py                       # quick: 2000 events, 1 round
    .venv/bin/python bench/bench_events.py --events 2000 --rounds 3   # the recorded figures

The sandbox runs in a child process (bench_sandbox.py's, on a SQLite file). For each batch size
(10 and 100) and round, two fresh subscriptions receive the same N events (N items written
first), then each is drained by one side, the two sides alternating which goes first:

  bare      one httpx.Client: GET /events?maxEvents=B&waitTimeSeconds=0, json, then one
            DELETE /confirm per event (its receipt handle in the `receipt-handle` header, as
            the platform takes it), until N are confirmed (the least work a correct consumer
            can do)
  consumer  the runtime's EventConsumer via the generated Client, max_events=B,
            max_in_flight=2B, its other settings default, a handler that only records the time

events/s is N over the time from the start of the first poll to the last confirm's answer, the
same clock for both sides (the consumer's thread start-up is not counted; the bare loop has
none). Before each side the bench process collects its garbage, so neither side pays for a
full collection of the other's (or the seeding's) leftovers, and the bench waits for the
consumer on an event rather than by polling in a loop that would compete for the GIL. Confirm
latency is per event, from its handler's return to the answer of its confirm (p50, p99).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sandbox import ITEMS, Server, item, sandbox_process, token  # noqa: E402

from thg_connect import Client, ClientConfig  # noqa: E402
from thg_connect_core import ConsumerSettings, Event, EventConsumer, Secret  # noqa: E402

SUBSCRIPTIONS = "/api/events/v1/brandco/subscription"


def subscribe(http: httpx.Client, name: str) -> None:
    body = {
        "data": {
            "type": "events:subscription",
            "id": name,
            "attributes": {"entityTypes": ["thg-fulfil:inventory"]},
        }
    }
    http.post(SUBSCRIPTIONS, json=body).raise_for_status()


def seed(http: httpx.Client, count: int, tag: str) -> None:
    def write(n: int) -> None:
        http.post(ITEMS, json=item(f"EV-{tag}-{n}")).raise_for_status()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(count)))


def bare_loop(http: httpx.Client, sub: str, count: int, batch: int) -> float:
    """Seconds to poll and confirm ``count`` events with nothing but httpx."""
    path = f"{SUBSCRIPTIONS}/{sub}"
    params = {"maxEvents": str(batch), "waitTimeSeconds": "0"}
    done = 0
    started = time.perf_counter()
    while done < count:
        events = http.get(path + "/events", params=params).json()["data"]
        for event in events:
            headers = {"receipt-handle": event["id"]}
            http.delete(path + "/confirm", headers=headers).raise_for_status()
            done += 1
    return time.perf_counter() - started


class _Timed(EventConsumer):
    """The consumer, with the start of its first poll and the answer time of each confirm
    (per receipt handle) recorded; ``all_acked`` is set once ``expected`` are confirmed."""

    acked: Dict[str, float]
    first_poll: float = 0.0
    expected: int
    all_acked: threading.Event

    def poll(self, max_events: int, wait_time_seconds: int) -> List[Event]:
        if not self.first_poll:
            self.first_poll = time.perf_counter()
        return super().poll(max_events, wait_time_seconds)

    def confirm_one(self, handle: str) -> bool:
        answer = super().confirm_one(handle)
        self.acked[handle] = time.perf_counter()
        if len(self.acked) >= self.expected:
            self.all_acked.set()
        return answer


def consumer_run(client: Client, sub: str, count: int, batch: int) -> Tuple[float, List[float]]:
    """Seconds to handle and confirm ``count`` events, and each event's confirm latency."""
    returned: Dict[str, float] = {}

    def handler(event: Event) -> None:
        returned[event.id] = time.perf_counter()

    settings = ConsumerSettings(max_events=batch, max_in_flight=2 * batch)
    consumer = _Timed(client._api, sub, handler, settings=settings)  # the Client's own API
    consumer.acked, consumer.expected, consumer.all_acked = {}, count, threading.Event()
    thread = threading.Thread(target=consumer.run, kwargs={"handle_signals": False})
    thread.start()
    if not consumer.all_acked.wait(600):
        raise RuntimeError(f"only {len(consumer.acked)} of {count} events confirmed in 600 s")
    finished = max(consumer.acked.values())
    consumer.stop()
    thread.join(60)
    latencies = [consumer.acked[i] - returned[i] for i in returned if i in consumer.acked]
    return finished - consumer.first_poll, latencies


@dataclass
class Cell:
    batch: int
    bare: List[float]
    consumer: List[float]
    latencies: List[float]

    def row(self, count: int) -> str:
        bare = count / statistics.median(self.bare)
        mine = count / statistics.median(self.consumer)
        ordered = sorted(self.latencies)
        p50 = ordered[len(ordered) // 2] * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        return (
            f"| {self.batch:>5} | {bare:>12,.0f} | {mine:>16,.0f} | {mine / bare:>5.2f}x "
            f"| {p50:>8.1f} | {p99:>8.1f} |"
        )


def measure(server: Server, count: int, rounds: int, batches: List[int]) -> List[Cell]:
    bearer = token(server.base)
    config = ClientConfig(
        client_id="brandco",
        client_secret=Secret("brandco-sandbox-secret"),
        owner="brandco",
        base_url=server.base,
        token_url=server.base + "/oauth/token",
        audience=server.base,
    )
    cells = []
    headers = {"Authorization": f"Bearer {bearer}"}
    with (
        httpx.Client(base_url=server.base, headers=headers, timeout=30) as http,
        Client(config) as client,
    ):
        list(client.thg_fulfil.inventory.list(page_size=1, max_items=1))  # token, connection
        for batch in batches:
            cell = Cell(batch, [], [], [])
            for r in range(rounds):
                tag = f"b{batch}r{r}-{time.monotonic_ns()}"
                subscribe(http, f"bare-{tag}")
                subscribe(http, f"mine-{tag}")
                seed(http, count, tag)
                sides = [("bare", f"bare-{tag}"), ("mine", f"mine-{tag}")]
                for side, sub in sides if r % 2 == 0 else sides[::-1]:
                    gc.collect()
                    if side == "bare":
                        cell.bare.append(bare_loop(http, sub, count, batch))
                    else:
                        took, latencies = consumer_run(client, sub, count, batch)
                        cell.consumer.append(took)
                        cell.latencies.extend(latencies)
            cells.append(cell)
    return cells


def main(argv: List[str] = sys.argv[1:]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--batches", type=int, nargs="+", default=[10, 100])
    args = parser.parse_args(argv)
    with sandbox_process() as server:
        cells = measure(server, args.events, args.rounds, args.batches)
    print(f"{args.events} events per side per round, {args.rounds} round(s), medians")
    print("| batch | bare httpx/s | EventConsumer/s | ratio | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for cell in cells:
        print(cell.row(args.events))


if __name__ == "__main__":
    main()
