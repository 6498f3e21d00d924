"""Import time of the generated client, whole process, against httpx + pydantic and the peers.

    .venv/bin/python bench/bench_import.py                 # 11 interleaved rounds, medians
    .venv/bin/python bench/bench_import.py --rounds 21 --model ShipmentA
    .venv/bin/python bench/bench_import.py --rounds 15 --no-synthetic   # figures 1 and 1b only

Figures (each a fresh interpreter, median of --rounds, the commands of one figure interleaved so
that machine noise hits them alike):
  1. `import thg_connect` and `from thg_connect import Client` from generated/ against `import
     httpx, pydantic` (target <= 1.3x, issue 17), with `python -c pass` for the interpreter's own
     start.
  1b. First call: import, `Client(config, http_client=<httpx.MockTransport>)` and the first
     `client.get(reference)` (token request, decode into the product's model), the whole process
     and, inside it, the three steps apart (what deferring imports moves from the import to the
     first call).
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
import sys
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

# The project's interpreter; this one where there is none (a git worktree has no .venv).
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
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

CLIENT_IMPORT = "from thg_connect import Client"
# Import, construct a client over a scripted transport, read one reference: the seconds of each
# step, printed on one line (the process's wall time is measured outside).
FIRST_CALL_SNIPPET = """\
import time
started = time.perf_counter()
import json
import httpx
from thg_connect import Client, ClientConfig
imported = time.perf_counter()
REF = "thg:product:attribute-type#acme@colour"
RESOURCE = {"id": "colour", "type": "product:attribute-type", "version": "3",
            "attributes": {"name": "colour", "valueType": "string"},
            "meta": {"owner": "acme", "reference": REF}}
def handle(request):
    if request.url.path == "/oauth/token":
        body = {"access_token": "tok", "expires_in": 3600, "token_type": "Bearer"}
    else:
        body = {"data": RESOURCE}
    return httpx.Response(200, content=json.dumps(body).encode())
config = ClientConfig(client_id="cid", client_secret="secret", owner="acme",
                      base_url="https://api.example.com", audience="https://api.example.com",
                      token_url="https://auth.example.net/oauth/token")
client = Client(config, http_client=httpx.Client(transport=httpx.MockTransport(handle)))
built = time.perf_counter()
assert client.get(REF).attributes.name == "colour"
called = time.perf_counter()
print(imported - started, built - imported, called - built)
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


def _ours_env(package: Path) -> Dict[str, str]:
    """The generated package at ``package`` on this tree's runtime (not whichever runtime the
    interpreter has installed: a worktree's bench must measure its own)."""
    env = _env(package)
    env["PYTHONPATH"] = os.pathsep.join((str(package), str(ROOT / "runtime" / "src")))
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
    env = _ours_env(root)
    got = interleaved(
        [
            ("python -c pass", [PYTHON, "-c", "pass"], env),
            ("import httpx, pydantic", [PYTHON, "-c", "import httpx, pydantic"], env),
            ("import thg_connect", [PYTHON, "-c", "import thg_connect"], env),
            ("from thg_connect import Client", [PYTHON, "-c", CLIENT_IMPORT], env),
        ],
        rounds,
    )
    for label, value in got.items():
        print(f"  {label:<32} {'n/a' if value is None else f'{value:.3f} s'}")
    base = got["import httpx, pydantic"]
    for label in ("import thg_connect", "from thg_connect import Client"):
        ours = got[label]
        if base and ours:
            print(f"  ratio {label} / (httpx + pydantic): {ours / base:.2f}x (target <= 1.3x)")


def figure_first_call(rounds: int) -> None:
    print("\n1b. import + Client(...) + the first client.get (httpx.MockTransport)")
    root = package_root(ROOT / "generated")
    if root is None:
        print("  generated/ has no thg_connect package yet: n/a")
        return
    walls: List[float] = []
    steps: List[List[float]] = []
    for _ in range(rounds):
        start = time.perf_counter()
        done = subprocess.run(
            [PYTHON, "-c", FIRST_CALL_SNIPPET], env=_ours_env(root), capture_output=True, text=True
        )
        walls.append(time.perf_counter() - start)
        if done.returncode != 0:
            print(f"  FAILED (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}")
            return
        steps.append([float(value) for value in done.stdout.split()])
    imported, built, called = (statistics.median(step) for step in zip(*steps, strict=True))
    print(f"  whole process                    {statistics.median(walls):.3f} s")
    print(
        f"  inside: import {imported * 1000:.1f} ms, Client(...) {built * 1000:.2f} ms, "
        f"first get {called * 1000:.1f} ms"
    )


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
        reused_root = package_root(reused)
        if reuse and reused_root is not None:
            print(f"  ours: reusing bench_generate.py's output {reused}")
            commands.append(
                (
                    f"ours ({model})",
                    [PYTHON, "-c", OURS_SNIPPET, model, example],
                    _ours_env(reused_root),
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
                commands.append((f"ours ({model})", argv, _ours_env(root)))
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
    parser.add_argument(
        "--no-synthetic", action="store_true", help="figures 1 and 1b only (no generation)"
    )
    args = parser.parse_args()
    figure_import(args.rounds)
    figure_first_call(args.rounds)
    if not args.no_synthetic:
        figure_synthetic(args.entities, max(5, args.peer_rounds), args.model, args.reuse)


if __name__ == "__main__":
    main()
