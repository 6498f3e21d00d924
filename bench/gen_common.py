"""What bench_generate.py and bench_import.py share: where things are, and timing a command.

Every figure is the wall time of a whole process (interpreter or JVM start included), taken with
perf_counter around subprocess.run, as a user or CI would pay it.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PEERS = BENCH / ".peers"
PEERS_BIN = PEERS / "venv" / "bin"
OUT = PEERS / "out"  # every tool's output, kept for bench_import.py (git-ignored)
OURS = VENV_BIN / "thg-codegen"
OPC = PEERS_BIN / "openapi-python-client"
OAG = PEERS_BIN / "openapi-generator-cli"

sys.path.insert(0, str(BENCH))
from synthetic_specs import write_specs  # noqa: E402  (a sibling script, not a package)


@dataclass
class Run:
    """One command's wall times (seconds) and how it ended."""

    label: str
    times: List[float] = field(default_factory=list)
    cpu: List[float] = field(default_factory=list)  # user + system seconds of the process tree
    returncode: int = 0
    note: str = ""

    @property
    def median(self) -> Optional[float]:
        return statistics.median(self.times) if self.times and self.returncode == 0 else None

    @property
    def cpu_median(self) -> Optional[float]:
        return statistics.median(self.cpu) if self.cpu and self.returncode == 0 else None


def timed(
    label: str,
    argv: Sequence[str],
    repeat: int = 1,
    env: Optional[Dict[str, str]] = None,
    before: Optional[Sequence[Path]] = None,
    ok_codes: Sequence[int] = (0,),
    log: Optional[Path] = None,
) -> Run:
    """Run argv `repeat` times; `before` paths are removed ahead of each run (from scratch)."""
    run = Run(label)
    full_env = {**os.environ, **(env or {})}
    for _ in range(repeat):
        for path in before or ():
            shutil.rmtree(path, ignore_errors=True)
        before_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(list(argv), env=full_env, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        after_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after_cpu.ru_utime - before_cpu.ru_utime) + (
            after_cpu.ru_stime - before_cpu.ru_stime
        )
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(f"$ {' '.join(argv)}\n{done.stdout}\n{done.stderr}", encoding="utf-8")
        if done.returncode not in ok_codes:
            run.returncode = done.returncode
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            run.note = " | ".join(tail)[:300]
            return run
        run.times.append(elapsed)
        run.cpu.append(cpu)
    return run


def peers_env() -> Dict[str, str]:
    """openapi-python-client calls `ruff` from PATH: give it the peers venv's."""
    return {"PATH": f"{PEERS_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def ours_available(command: str) -> bool:
    if not OURS.exists():
        return False
    done = subprocess.run([str(OURS), command, "--help"], capture_output=True, text=True)
    return done.returncode == 0


def peers_available() -> bool:
    return OPC.exists() and OAG.exists()


def tree_size(folder: Path) -> str:
    """'<files> files, <lines> lines of Python' of a generated tree."""
    files = [p for p in folder.rglob("*.py") if p.is_file()]
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    return f"{len(files)} .py files, {lines:,} lines"


def seconds(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def ratio(slow: Optional[float], fast: Optional[float]) -> str:
    if slow is None or fast is None or fast == 0:
        return "n/a"
    return f"{slow / fast:.1f}x" if slow >= fast else f"{slow / fast:.2f}x"


def synthetic_specs(n_entities: int, changed: bool = False) -> Path:
    """The folder holding the N-entity synthetic spec (rewritten, so always current)."""
    folder = OUT / "specs" / f"synth-{n_entities}"
    write_specs(folder, n_entities, changed)
    return folder
