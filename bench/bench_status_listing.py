"""The cost of `meta.status` and resource `links` on a page of 100 parents (issue 14).

    .venv/bin/python bench/bench_status_listing.py                 # 300 pages
    .venv/bin/python bench/bench_status_listing.py --pages 1000

The generator's test spec (`tests/generator/specs/valid/mini.yaml`: `widget` with a `check`
status) served by `running_sandbox` in this process on 127.0.0.1, SQLite in memory. brandco
creates 100 widgets, `thg` (a provider) sets each one's check, then one keep-alive client reads
`GET …/widget?page[size]=100` over and over: the median and p95 latency of a full page, and
the page's size in bytes. Run it on two checkouts (PYTHONPATH pointing at each one's sandbox,
frontend and runtime) to compare before and after: it uses only the HTTP API, which both have.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import httpx

from thg_sandbox.server import RunningSandbox, running_sandbox

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "tests" / "generator" / "specs" / "valid"
WIDGETS = "/api/mini/v1/brandco/widget"
PARENTS = 100


def _token(running: RunningSandbox, org: str) -> str:
    credentials = running.credentials[org]
    answer = httpx.post(
        running.token_url,
        json={
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "grant_type": "client_credentials",
            "audience": running.base_url,
        },
        timeout=10,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def _client(running: RunningSandbox, org: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {_token(running, org)}"}
    return httpx.Client(base_url=running.base_url, headers=headers, timeout=30)


def _seed(brand: httpx.Client, partner: httpx.Client) -> None:
    for n in range(PARENTS):
        body = {"data": {"type": "mini:widget", "attributes": {"name": f"W{n}"}}}
        created = brand.post(WIDGETS, json=body)
        created.raise_for_status()
        check = {"data": {"type": "mini:widget.check", "attributes": {"state": "PASSED"}}}
        partner.post(
            f"{WIDGETS}/{created.json()['data']['id']}/check", json=check
        ).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    with running_sandbox(SPECS) as running:
        with _client(running, "brandco") as brand, _client(running, "thg") as partner:
            _seed(brand, partner)
            for _ in range(20):  # warm-up: caches, the first connection
                brand.get(WIDGETS, params={"page[size]": "100"}).raise_for_status()
            timings: list[float] = []
            size = 0
            for _ in range(args.pages):
                started = time.perf_counter()
                page = brand.get(WIDGETS, params={"page[size]": "100"})
                timings.append((time.perf_counter() - started) * 1000)
                page.raise_for_status()
                size = len(page.content)
            first = page.json()["data"][0]
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"pages: {args.pages} of {PARENTS} parents, {size} bytes each")
    print(f"median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms")
    print(f"first item's meta.status: {first['meta'].get('status')}; links: {'links' in first}")


if __name__ == "__main__":
    main()
