"""What the pytest plugin's isolation costs per test: a fresh platform (and ready clients) for
every test, against a bare test and against a test that shares one client all session.

    python bench/bench_fixture.py              # 200 tests of each kind
    python bench/bench_fixture.py --tests 500

Each kind runs as its own pytest session in a child process (the plugin as a user gets it,
through its entry point; the specs of the installed client). A small plugin records each test's
setup + call + teardown wall time; the first test of a session (the sandbox's start-up) is left
out, and the median and 90th percentile of the rest are printed, with the overhead over `bare`:
  bare          def test(): pass
  thg_sandbox   def test(thg_sandbox): pass                      (a reset: a new empty sandbox)
  clients+call  def test(thg_clients): list(consumer's items)    (reset, new client, token, GET)
  shared+call   the same GET on one session-scoped client, never reset (what isolation replaces)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RECORDER = """
import json, os, time
import pytest

TIMES = []

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    started = time.perf_counter()
    yield
    TIMES.append(time.perf_counter() - started)

def pytest_sessionfinish(session):
    with open(os.environ["BENCH_TIMES"], "w") as out:
        json.dump(TIMES, out)

@pytest.fixture(scope="session")
def shared_client(thg_sandbox_session):
    from thg_connect import Client, ClientConfig
    running = thg_sandbox_session.fresh()
    c = running.credentials["brandco"]
    with Client(ClientConfig(client_id=c.client_id, client_secret=c.client_secret,
            owner="brandco", base_url=running.base_url, token_url=running.token_url,
            audience=running.base_url)) as client:
        yield client
"""

KINDS = {
    "bare": "def test_{n}():\n    pass\n",
    "thg_sandbox": "def test_{n}(thg_sandbox):\n    pass\n",
    "clients+call": (
        "def test_{n}(thg_clients):\n"
        "    list(thg_clients.consumer.thg_fulfil.inventory.list())\n"
    ),
    "shared+call": (
        "def test_{n}(shared_client):\n" "    list(shared_client.thg_fulfil.inventory.list())\n"
    ),
}


def run(kind: str, tests: int, work: Path) -> list[float]:
    folder = work / kind.replace("+", "_")
    folder.mkdir()
    (folder / "conftest.py").write_text(RECORDER)
    (folder / "test_bench.py").write_text("".join(KINDS[kind].format(n=n) for n in range(tests)))
    times = folder / "times.json"
    env = {**os.environ, "BENCH_TIMES": str(times)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{kind}: pytest failed\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    recorded: list[float] = json.loads(times.read_text())
    return recorded[1:]  # the first test pays for the sandbox's start-up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=200)
    args = parser.parse_args()
    medians: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as work:
        print(f"{'kind':<14}{'median ms':>10}{'p90 ms':>9}{'over bare':>11}")
        for kind in KINDS:
            times = sorted(run(kind, args.tests, Path(work)))
            medians[kind] = statistics.median(times)
            p90 = times[int(len(times) * 0.9)]
            over = medians[kind] - medians["bare"]
            print(f"{kind:<14}{medians[kind] * 1e3:>10.2f}{p90 * 1e3:>9.2f}{over * 1e3:>11.2f}")
    isolation = medians["clients+call"] - medians["shared+call"]
    print(f"isolation (fresh platform + new client + token) costs {isolation * 1e3:.2f} ms a test")


if __name__ == "__main__":
    main()
