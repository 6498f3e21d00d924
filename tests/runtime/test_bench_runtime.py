"""The runtime benchmark still runs (two rounds, loopback only) and prints every ratio."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_runtime.py"


def test_bench_runs_and_prints_table(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_runtime", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_runtime"] = module
    try:
        spec.loader.exec_module(module)
        text = module.main(["--rounds", "2"])
    finally:
        del sys.modules["bench_runtime"]
    assert text in capsys.readouterr().out
    rows = [line for line in text.splitlines() if line.startswith("| GET") or "decode" in line]
    assert len(rows) == 6
    assert all(line.count("x |") == 4 for line in rows)
