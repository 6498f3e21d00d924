"""Generation time, whole process, formatting included: ours against its peers in one run.

    bash bench/peers.sh                                   # once: the peers' own venv
    .venv/bin/python bench/bench_generate.py              # N = 10, 100, 300; all tools
    .venv/bin/python bench/bench_generate.py --sizes 10,100 --repeat 3
    .venv/bin/python bench/bench_generate.py --no-peers --profile 300

For each N (entity types of bench/synthetic_specs.py's product) and for all of specs/:
  ours from scratch     thg-codegen generate <specs> --output <empty dir>
  ours incremental      the same with the previous output present, after one entity changed
  ours check            thg-codegen check <specs> --output <that output> on unchanged specs
  openapi-python-client generate --meta none (it formats with ruff)
  OpenAPI Generator     openapi-generator-cli generate -g python (models, apis, docs, tests)
Targets (issue 4): at 300, >= 5x faster than openapi-python-client and >= 2x faster than OpenAPI
Generator; no worse than linear growth (300/100 <= 3x); check < 1 s; incremental < 2 s.
A tool that is missing (the generator before it lands, peers not installed) is reported as n/a.
Outputs stay in bench/.peers/out/ for bench_import.py.
"""

from __future__ import annotations

import argparse
import json
import pstats
import sys
from pathlib import Path
from typing import Dict, List, Optional

from gen_common import (
    OAG,
    OPC,
    OURS,
    OUT,
    ROOT,
    Run,
    ours_available,
    peers_available,
    peers_env,
    ratio,
    seconds,
    synthetic_specs,
    timed,
    tree_size,
    write_specs,
)

TARGETS = {"opc": 5.0, "oag": 2.0, "check": 0.2, "incremental": 2.0}  # check: issue 12


def ours_generate(specs: Path, out: Path, repeat: int, label: str = "ours") -> Run:
    argv = [str(OURS), "generate", str(specs), "--output", str(out)]
    return timed(label, argv, repeat, before=[out], log=OUT / "logs" / f"{out.name}.log")


def ours_incremental(specs: Path, n: int, out: Path, repeat: int) -> Run:
    """Each round flips one entity (changed <-> original) with the previous output present."""
    run = Run("ours incremental")
    for i in range(repeat):
        write_specs(specs, n, changed=(i % 2 == 0))
        argv = [str(OURS), "generate", str(specs), "--output", str(out)]
        one = timed(run.label, argv, log=OUT / "logs" / f"{out.name}-incremental.log")
        if one.returncode:
            return one
        run.times += one.times
        run.cpu += one.cpu
    return run


def specs_incremental(repeat: int) -> Run:
    """specs/ copied; each round toggles a trailing comment in document.yaml (its bytes change, so
    that one document is validated again; the other three are in the verdict cache)."""
    import shutil

    copy, out = OUT / "specs-copy", OUT / "ours-specs-incremental"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(ROOT / "specs", copy)
    argv = [str(OURS), "generate", str(copy), "--output", str(out)]
    first = timed("ours incremental", argv, before=[out])
    if first.returncode:
        return first
    edited, original = copy / "document.yaml", (copy / "document.yaml").read_text("utf-8")
    run = Run("ours incremental")
    for i in range(repeat):
        edited.write_text(original + ("\n# bench edit\n" if i % 2 == 0 else ""), "utf-8")
        one = timed(run.label, argv, log=OUT / "logs" / "specs-incremental.log")
        if one.returncode:
            return one
        run.times += one.times
        run.cpu += one.cpu
    return run


def ours_check(specs: Path, out: Path, repeat: int) -> Run:
    argv = [str(OURS), "check", str(specs), "--output", str(out)]
    return timed("ours check", argv, repeat, log=OUT / "logs" / f"{out.name}-check.log")


def peer_runs(spec: Path, n: int, repeat: int) -> Dict[str, Run]:
    # Named packages, so that bench_import.py can import them from PYTHONPATH.
    opc_out, oag_out = OUT / f"opc-{n}" / "synth_opc", OUT / f"oag-{n}"
    opc = [str(OPC), "generate", "--path", str(spec), "--output-path", str(opc_out)]
    oag = [str(OAG), "generate", "-g", "python", "-i", str(spec), "-o", str(oag_out)]
    return {
        "opc": timed(
            "openapi-python-client",
            [*opc, "--meta", "none"],
            repeat,
            env=peers_env(),
            before=[opc_out.parent],
            log=OUT / "logs" / f"opc-{n}.log",
        ),
        "oag": timed(
            "OpenAPI Generator",
            [*oag, "--package-name", "synth_oag"],
            repeat,
            # Its YAML reader refuses documents over 3 MiB (the 300-entity spec is 3.3 MiB).
            env={"JAVA_OPTS": "-DmaxYamlCodePoints=50000000"},
            before=[oag_out],
            log=OUT / "logs" / f"oag-{n}.log",
        ),
    }


def profile_ours(specs: Path, n: int) -> None:
    """cProfile one from-scratch run; print the top of the profile and black's share."""
    out, prof = OUT / f"ours-{n}-profiled", OUT / f"ours-{n}.prof"
    argv = [sys.executable, "-m", "cProfile", "-o", str(prof), str(OURS), "generate"]
    run = timed("ours profiled", [*argv, str(specs), "--output", str(out)], before=[out])
    if run.returncode:
        print(f"profile: ours failed: {run.note}")
        return
    stats = pstats.Stats(str(prof))
    total = max(v[3] for v in stats.stats.values())
    formatters = ("format_str", "format_file_contents")
    black = max(
        (
            v[3]
            for k, v in stats.stats.items()
            if "black" in k[0] + k[2] and any(f in k[2] for f in formatters)
        ),
        default=0.0,
    )
    print(
        f"\nprofile of ours at N={n}: {total:.2f} s in process, black {black:.2f} s "
        f"({100 * black / total:.0f}%); profile in {prof}"
    )
    stats.sort_stats("cumulative").print_stats(25)


def spec_lines(folder: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in folder.glob("*.yaml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,300", help="entity counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (median)")
    parser.add_argument("--no-peers", action="store_true", help="skip the peers")
    parser.add_argument("--profile", type=int, default=0, help="cProfile ours at this N")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    have_ours = ours_available("generate")
    have_check = ours_available("check")
    have_peers = peers_available() and not args.no_peers
    if not have_ours:
        print("thg-codegen has no `generate` command yet: ours reported as n/a")
    if not peers_available() and not args.no_peers:
        print("peers not installed (bash bench/peers.sh): reported as n/a")
    results: Dict[str, Dict[str, Run]] = {}
    rows: List[str] = []
    for n in sizes:
        specs = synthetic_specs(n)
        spec = specs / "synth.yaml"
        runs: Dict[str, Run] = {}
        out = OUT / f"ours-{n}"
        if have_ours:
            runs["ours"] = ours_generate(specs, out, args.repeat)
            if runs["ours"].returncode == 0:
                runs["incremental"] = ours_incremental(specs, n, out, args.repeat)
                if have_check:
                    runs["check"] = ours_check(specs, out, max(args.repeat, 5))
            write_specs(specs, n)  # leave the original spec for the peers and bench_import
        if have_peers:
            runs.update(peer_runs(spec, n, args.repeat))
        results[str(n)] = runs
        for key, run in runs.items():
            sizes_note = ""
            folder = {"ours": out, "opc": OUT / f"opc-{n}", "oag": OUT / f"oag-{n}"}.get(key)
            if folder is not None and folder.exists() and run.returncode == 0:
                sizes_note = f" -> {tree_size(folder)}"
            status = (
                f"{seconds(run.median)} (CPU {seconds(run.cpu_median)})"
                if run.returncode == 0
                else f"FAILED ({run.note})"
            )
            print(f"N={n:>4} {run.label:<24} {status}{sizes_note}", flush=True)
        rows.append(_row(str(n), spec_lines(specs), runs))
    if have_ours:
        out = OUT / "ours-specs"
        runs = {"ours": ours_generate(ROOT / "specs", out, args.repeat)}
        if runs["ours"].returncode == 0:
            runs["incremental"] = specs_incremental(args.repeat)
        if have_check and runs["ours"].returncode == 0:
            runs["check"] = ours_check(ROOT / "specs", out, 5)
        results["specs/"] = runs
        rows.append(_row("all of specs/", spec_lines(ROOT / "specs"), runs))
    _print_table(rows, results, sizes)
    dump = {
        label: {
            k: {"times": r.times, "cpu": r.cpu, "rc": r.returncode, "note": r.note}
            for k, r in runs.items()
        }
        for label, runs in results.items()
    }
    (OUT / "generate-results.json").write_text(json.dumps(dump, indent=1), encoding="utf-8")
    if args.profile and have_ours:
        profile_ours(synthetic_specs(args.profile), args.profile)


def _median(runs: Dict[str, Run], key: str) -> Optional[float]:
    run = runs.get(key)
    return run.median if run else None


def _cell(runs: Dict[str, Run], key: str) -> str:
    run = runs.get(key)
    if run is None:
        return "n/a"
    if run.returncode:
        return f"failed (exit {run.returncode})"
    return f"{seconds(run.median)} ({seconds(run.cpu_median)} CPU)"


def _ratios(runs: Dict[str, Run], peer: str) -> str:
    """Peer / ours in wall time, and in CPU time (the steadier figure on a loaded machine)."""
    peer_run, ours = runs.get(peer), runs.get("ours")
    if peer_run is None or ours is None:
        return "n/a"
    wall = ratio(peer_run.median, ours.median)
    return f"{wall} ({ratio(peer_run.cpu_median, ours.cpu_median)} CPU)"


def _row(label: str, lines: int, runs: Dict[str, Run]) -> str:
    cells = [
        label,
        f"{lines:,}",
        _cell(runs, "ours"),
        _cell(runs, "opc"),
        _cell(runs, "oag"),
        _ratios(runs, "opc"),
        _ratios(runs, "oag"),
        _cell(runs, "incremental"),
        _cell(runs, "check"),
    ]
    return "| " + " | ".join(cells) + " |"


def _print_table(rows: List[str], results: Dict[str, Dict[str, Run]], sizes: List[int]) -> None:
    print()
    print(
        "| entity types | spec lines | ours (scratch) | openapi-python-client | OpenAPI Generator "
        "| opc / ours | OAG / ours | ours incremental | ours check |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(row)
    if "100" in results and "300" in results:
        growth = [
            ratio(_median(results["300"], key), _median(results["100"], key))
            for key in ("ours", "opc", "oag")
        ]
        print(
            f"\nGrowth 300/100 (linear = 3.0x): ours {growth[0]}, openapi-python-client "
            f"{growth[1]}, OpenAPI Generator {growth[2]}"
        )
    if "300" in results:
        at = results["300"]
        ours = _median(at, "ours")
        print(
            f"Targets at 300: opc/ours {ratio(_median(at, 'opc'), ours)} (>= 5x), OAG/ours "
            f"{ratio(_median(at, 'oag'), ours)} (>= 2x), incremental "
            f"{seconds(_median(at, 'incremental'))} (< 2 s), check "
            f"{seconds(_median(at, 'check'))} (< 0.2 s)"
        )


if __name__ == "__main__":
    main()
