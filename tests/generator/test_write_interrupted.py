"""Bad output folders are one-line errors; an interrupted write is detected and repaired.

A generate killed while it writes (SIGKILL: nothing runs after; SIGINT: KeyboardInterrupt) leaves
its journal (.codegen-writing.json): the next `check` says the tree is incomplete and the next
`generate` completes it, removing what neither tree owns and every temporary file.
The kill comes at a controlled point: `_KILLER` runs the real command in a subprocess with
``os.replace`` wrapped so that, after N files, the process sends itself the signal while a
complete temporary file waits to be renamed. It is a seam of this test only; the product has
none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from thg_codegen import writer
from thg_codegen.cli import main
from thg_codegen.generate import generate
from thg_codegen.manifest import MANIFEST
from thg_codegen.writer import JOURNAL, TEMPORARY_SUFFIX

from .golden_trees import CASES

REPO = Path(__file__).resolve().parents[2]
MINI = CASES["mini"][0]
CLI = [sys.executable, "-m", "thg_codegen"]

_KILLER = textwrap.dedent("""
    import os, signal, sys, time
    from thg_codegen.cli import main

    after, sig = int(sys.argv.pop(1)), getattr(signal, sys.argv.pop(1))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started ignoring it
    real, count = os.replace, [0]

    def dying(source, target):  # the writer renames each complete temporary file into place
        count[0] += 1
        if count[0] > after:
            os.kill(os.getpid(), sig)
            time.sleep(5)  # SIGINT: KeyboardInterrupt arrives here, inside the write
        real(source, target)

    os.replace = dying
    main(prog_name="thg-codegen")
    """)


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *map(str, args)], capture_output=True, text=True, cwd=REPO, timeout=120
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result  # a bad output path is a bad argument
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert all(n in lines[0] for n in needles), lines[0]


def test_the_filesystem_root_is_refused(tmp_path: Path) -> None:
    _one_line_error(_run("generate", MINI, "-o", "/"), "/", "filesystem root")


def test_a_file_in_the_way_is_one_line(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    _one_line_error(_run("generate", MINI, "-o", afile / "sub"), str(afile), "not a folder")
    usage = _run("generate", MINI, "-o", afile)  # click's own check: a usage error
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    assert afile.read_text() == "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        _one_line_error(_run("generate", MINI, "-o", folder / "out"), str(folder), "read-only")
    finally:
        folder.chmod(0o755)


def test_a_write_refused_midway_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a read-only folder does where root is not refused (and any OSError while writing).
    out = tmp_path / "out"
    real = writer._write_atomic

    def refuse(target: Path, data: bytes) -> None:
        if target.name != JOURNAL:
            raise PermissionError(13, "Permission denied", str(target))
        real(target, data)

    monkeypatch.setattr(writer, "_write_atomic", refuse)
    result = CliRunner().invoke(main, ["generate", str(MINI), "-o", str(out)])
    assert (
        result.exit_code == 2
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Permission denied" in lines[0] and str(out) in lines[0], lines


@pytest.fixture
def two_trees(tmp_path: Path) -> tuple[list[Path], list[Path], Path, dict[str, bytes]]:
    """Spec sets A (mini) and B (mini + document: more files, one more product), and a fresh
    tree of A to compare a repaired tree with."""
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(MINI, specs / "mini.yaml")
    shutil.copy(REPO / "specs" / "document.yaml", specs / "document.yaml")
    a = [specs / "mini.yaml"]
    b = [specs / "document.yaml", specs / "mini.yaml"]
    fresh = tmp_path / "fresh"
    generate(a, fresh)
    return a, b, tmp_path / "out", _tree(fresh)


@pytest.mark.parametrize("sig", ["SIGKILL", "SIGINT"])
@pytest.mark.parametrize("after", [1, 6])
def test_an_interrupted_write_is_detected_and_repaired(
    two_trees: tuple[list[Path], list[Path], Path, dict[str, bytes]], sig: str, after: int
) -> None:
    a, b, out, fresh = two_trees
    generate(a, out)
    killed = subprocess.run(
        [sys.executable, "-c", _KILLER, str(after), sig, "generate", *map(str, b), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert killed.returncode != 0
    assert "Traceback" not in killed.stderr
    assert (out / JOURNAL).is_file()
    leftover = [p for p in _tree(out) if p.endswith(TEMPORARY_SUFFIX)]
    # SIGINT unwinds: the writer removes its temporary file; SIGKILL leaves it to the next run.
    assert leftover if sig == "SIGKILL" else not leftover

    check = _run("check", *a, "-o", out)
    assert check.returncode == 1 and "is stale" in check.stderr
    assert "incomplete" in check.stdout
    # Back to A: what B's interrupted run wrote (a whole product's files) goes too.
    repaired = _run("generate", *a, "-o", out)
    assert repaired.returncode == 0, repaired.stderr
    assert _tree(out).keys() - {MANIFEST} == fresh.keys() - {MANIFEST}
    assert {p: d for p, d in _tree(out).items() if p != MANIFEST} == {
        p: d for p, d in fresh.items() if p != MANIFEST
    }
    assert _run("check", *a, "-o", out).returncode == 0


def test_a_kill_before_any_file_leaves_a_tree_check_still_trusts_after_generate(
    two_trees: tuple[list[Path], list[Path], Path, dict[str, bytes]],
) -> None:
    a, b, out, _ = two_trees
    generate(a, out)
    subprocess.run(
        [sys.executable, "-c", _KILLER, "0", "SIGKILL", "generate", *map(str, b), "-o", str(out)],
        capture_output=True,
        cwd=REPO,
        timeout=120,
    )
    assert not (out / JOURNAL).exists()  # killed writing the journal itself: nothing touched
    assert _run("check", *a, "-o", out).returncode == 0
    assert _run("generate", *b, "-o", out).returncode == 0
    assert not [p for p in _tree(out) if p.endswith(TEMPORARY_SUFFIX)]
    assert _run("check", *b, "-o", out).returncode == 0
