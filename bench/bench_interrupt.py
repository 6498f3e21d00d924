"""Kill `thg-codegen generate` during its write, N times, and count what each kill left.

    .venv/bin/python bench/bench_interrupt.py --runs 20 --size 100

Each round: the output holds a complete tree of spec A (or whatever the previous repair left);
generate of spec B (one entity changed) starts; as soon as its write journal
(.codegen-writing.json) appears the process gets SIGKILL (or SIGINT with --signal INT) after a
random 0-40 ms (--max-delay). Counted after the kill: a tree mixing A's and B's files, temporary
files, whether
`check` exits 1; after the next `generate` of B: temporary files, a journal, and whether the tree
equals a fresh generation of B. Issue 12 measured the writer before the journal: mixed old/new
files in 33 of 35 killed runs, temporary files left in 15.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from gen_common import OURS, OUT, write_specs  # noqa: E402

SKIP = {".codegen.json", ".codegen-writing.json"}


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name not in SKIP and "__pycache__" not in p.parts
    }


def generate(specs: Path, out: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(OURS), "generate", str(specs), "-o", str(out)], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--signal", default="KILL", choices=["KILL", "INT"])
    parser.add_argument("--max-delay", type=float, default=0.04, help="seconds after the journal")
    args = parser.parse_args()
    sig = getattr(signal, f"SIG{args.signal}")
    base = OUT / "interrupt"
    shutil.rmtree(base, ignore_errors=True)
    a, b, out = base / "a", base / "b", base / "out"
    for folder, changed in ((a, False), (b, True)):
        write_specs(folder, args.size, changed=changed)
        generate(folder, base / f"fresh-{folder.name}")
    fresh_a, fresh_b = tree(base / "fresh-a"), tree(base / "fresh-b")
    differing = {p for p in fresh_a.keys() | fresh_b.keys() if fresh_a.get(p) != fresh_b.get(p)}
    counts = dict.fromkeys(
        [
            "killed in write",
            "mixed",
            "temp after kill",
            "not B after kill",
            "check exit 1 of those",
            "temp after next generate",
            "journal after next generate",
            "B after next generate",
        ],
        0,
    )
    for i in range(args.runs):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(base / "fresh-a", out)
        # A background job starts with SIGINT ignored, and Python keeps it so: restore it.
        proc = subprocess.Popen(
            [str(OURS), "generate", str(b), "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        while proc.poll() is None and not (out / ".codegen-writing.json").exists():
            time.sleep(0.0005)
        time.sleep(random.uniform(0, args.max_delay))
        if proc.poll() is None:
            proc.send_signal(sig)
            counts["killed in write"] += 1
        proc.wait()
        now = tree(out)
        temps = [p for p in now if p.endswith(".thg-codegen-tmp")]
        olds = sum(1 for p in differing if p in now and now[p] == fresh_a.get(p))
        news = sum(1 for p in differing if p in now and now[p] == fresh_b.get(p))
        counts["mixed"] += bool(olds and news)
        counts["temp after kill"] += bool(temps)
        if {p: d for p, d in now.items() if p not in temps} != fresh_b or temps:
            counts["not B after kill"] += 1
            check = subprocess.run(
                [str(OURS), "check", str(b), "-o", str(out)], capture_output=True
            )
            counts["check exit 1 of those"] += check.returncode == 1
        generate(b, out)
        after = tree(out)
        counts["temp after next generate"] += any(p.endswith(".thg-codegen-tmp") for p in after)
        counts["journal after next generate"] += (out / ".codegen-writing.json").exists()
        counts["B after next generate"] += after == fresh_b
        print(f"round {i + 1}: olds={olds} news={news} temps={len(temps)}", flush=True)
    print(f"{args.runs} runs at {args.size} entity types, SIG{args.signal}:")
    for key, value in counts.items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
