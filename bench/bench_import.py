"""Import time of the generated client, whole process, against httpx + pydantic and the peers.

    .venv/bin/python bench/bench_import.py                 # 11 interleaved rounds, medians
    .venv/bin/python bench/bench_import.py --rounds 21 --model ShipmentA

Figures (each a fresh interpreter, median of --rounds, the commands of one figure interleaved so
that machine noise hits them alike):
  1. `import thg_connect` from generated/ against `import httpx, pydantic` (target <= 1.3x), with
     `python -c pass` for the interpreter's own start.
  2. The 300-entity synthetic product: import the client and ready the models of one entity
     (the first family's top entity, validating its spec example), target <= 0.5 s. Ours is
     generated into a temporary folder and imported with PYTHONPATH.
  3. The same for the peers' packages generated from the same spec (bench_generate.py's output
     in bench/.peers/out/, generated here if missing): openapi-python-client's models package and
     OpenAPI Generator's package (its __init__ imports every API and model).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from gen_common import (
    OURS,
    OUT,
    PEERS_BIN,
    ROOT,
    VENV_BIN,
    ours_available,
    peers_available,
    peers_env,
    seconds,
    synthetic_specs,
    timed,
)
from synthetic_specs import families

PYTHON = str(VENV_BIN / "python")
PEER_PYTHON = str(PEERS_BIN / "python")
# One entity's models, readied by validating the spec's own example of its attributes.
OURS_SNIPPET = """\
import importlib, json, sys
from thg_connect import Client
product = importlib.import_module("thg_connect.synth")
model = getattr(product, sys.argv[1])
model.model_validate(json.loads(sys.argv[2]))
"""
OPC_SNIPPET = """\
import json, sys
from synth_opc.client import AuthenticatedClient
from synth_opc import models
getattr(models, sys.argv[1]).from_dict(json.loads(sys.argv[2]))
"""
OAG_SNIPPET = """\
import importlib, json, re, sys
import synth_oag
module = re.sub(r"(?<!^)(?=[A-Z])", "_", sys.argv[1]).lower()
model = getattr(importlib.import_module("synth_oag.models." + module), sys.argv[1])
model.from_dict(json.loads(sys.argv[2]))
"""

Command = Tuple[str, List[str], Dict[str, str]]  # label, argv, extra environment


def interleaved(commands: Sequence[Command], rounds: int) -> Dict[str, Optional[float]]:
    """Median wall time of each command; None (with the error printed) if it fails."""
    times: Dict[str, List[float]] = {label: [] for label, _, _ in commands}
    failed: Dict[str, bool] = {}
    for _ in range(rounds):
        for label, argv, env in commands:
            if failed.get(label):
                continue
            start = time.perf_counter()
            done = subprocess.run(argv, env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                failed[label] = True
                tail = done.stderr.strip().splitlines()[-4:]
                print(f"  {label}: FAILED (exit {done.returncode}): {' | '.join(tail)}")
                continue
            times[label].append(elapsed)
    return {label: statistics.median(t) if t else None for label, t in times.items()}


def _env(pythonpath: Optional[Path] = None, peers: bool = False) -> Dict[str, str]:
    env = {**os.environ, **(peers_env() if peers else {})}
    env.pop("PYTHONPATH", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return env


def package_root(tree: Path) -> Optional[Path]:
    """The folder to put on PYTHONPATH so that `import thg_connect` finds the generated tree."""
    for candidate in (tree, tree / "src"):
        if (candidate / "thg_connect" / "__init__.py").exists():
            return candidate
    return None


def figure_import(rounds: int) -> None:
    print("\n1. import thg_connect (generated/) vs import httpx, pydantic")
    root = package_root(ROOT / "generated")
    if root is None:
        print("  generated/ has no thg_connect package yet: n/a")
        return
    env = _env(root)
    got = interleaved(
        [
            ("python -c pass", [PYTHON, "-c", "pass"], env),
            ("import httpx, pydantic", [PYTHON, "-c", "import httpx, pydantic"], env),
            ("import thg_connect", [PYTHON, "-c", "import thg_connect"], env),
        ],
        rounds,
    )
    for label, value in got.items():
        print(f"  {label:<28} {seconds(value)}")
    base, ours = got["import httpx, pydantic"], got["import thg_connect"]
    if base and ours:
        print(f"  ratio thg_connect / (httpx + pydantic): {ours / base:.2f}x (target <= 1.3x)")


def _ensure_peer_outputs(spec: Path, n: int) -> None:
    from bench_generate import peer_runs

    if not (OUT / f"opc-{n}" / "synth_opc").exists() or not (OUT / f"oag-{n}").exists():
        print(f"  generating the peers' {n}-entity packages first")
        for run in peer_runs(spec, n, 1).values():
            print(f"  {run.label}: {seconds(run.median)} {run.note}")


def figure_synthetic(n: int, rounds: int, model: str, reuse: bool) -> None:
    print(f"\n2. {n}-entity synthetic product: import the client, ready one entity's models")
    specs = synthetic_specs(n)
    first = families(n)[0]
    attributes = first.attributes_example((first.top,))
    # Without the reference field: ours raises TypeError on a `format: thg-reference` string with
    # maxLength (the constraint is applied to the parsed Reference); same example for every tool.
    attributes.pop("relatedTo")
    example = json.dumps(attributes)
    commands: List[Command] = []
    with tempfile.TemporaryDirectory(prefix="thg-import-") as tmp:
        reused = OUT / f"ours-{n}"
        if reuse and package_root(reused) is not None:
            print(f"  ours: reusing bench_generate.py's output {reused}")
            commands.append(
                (
                    f"ours ({model})",
                    [PYTHON, "-c", OURS_SNIPPET, model, example],
                    _env(package_root(reused)),
                )
            )
        elif ours_available("generate"):
            out = Path(tmp) / "generated"
            run = timed("ours", [str(OURS), "generate", str(specs), "--output", str(out)])
            root = package_root(out)
            if run.returncode or root is None:
                print(f"  ours: generation failed or no thg_connect package: {run.note}")
            else:
                argv = [PYTHON, "-c", OURS_SNIPPET, model, example]
                commands.append((f"ours ({model})", argv, _env(root)))
        else:
            print("  thg-codegen has no `generate` command yet: ours n/a")
        if peers_available():
            _ensure_peer_outputs(specs / "synth.yaml", n)
            commands.append(
                (
                    "openapi-python-client models",
                    [PEER_PYTHON, "-c", OPC_SNIPPET, model, example],
                    _env(OUT / f"opc-{n}", peers=True),
                )
            )
            commands.append(
                (
                    "OpenAPI Generator package",
                    [PEER_PYTHON, "-c", OAG_SNIPPET, model, example],
                    _env(OUT / f"oag-{n}", peers=True),
                )
            )
        got = interleaved(commands, rounds)
    for label, value in got.items():
        print(f"  {label:<32} {seconds(value)}")
    ours = next((v for k, v in got.items() if k.startswith("ours")), None)
    if ours is not None:
        print(f"  ours: {ours:.2f} s (target <= 0.5 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=11, help="runs per command (median)")
    parser.add_argument("--entities", type=int, default=300, help="synthetic product size")
    parser.add_argument("--model", default="ShipmentA", help="the entity model to ready")
    parser.add_argument(
        "--reuse", action="store_true", help="import bench_generate.py's output of N entities"
    )
    parser.add_argument("--peer-rounds", type=int, default=5, help="rounds for figure 2")
    args = parser.parse_args()
    figure_import(args.rounds)
    figure_synthetic(args.entities, max(5, args.peer_rounds), args.model, args.reuse)


if __name__ == "__main__":
    main()
