"""The generated code is lint-clean by construction: ``ruff check`` (pyflakes, pycodestyle, isort,
bugbear; the generated package's own [tool.ruff] in templates/pyproject.toml.j2) finds nothing in
a freshly generated tree of specs/ nor in the golden mini tree."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from thg_codegen.formatter import ruff_binary
from thg_codegen.generate import generate
from thg_spec.paths import discover_specs

ROOT = Path(__file__).resolve().parents[2]
RUFF = ruff_binary()
pytestmark = pytest.mark.skipif(RUFF is None, reason="ruff is not installed")


def _ruff_findings(tree: Path) -> str:
    assert RUFF is not None
    run = subprocess.run(
        [RUFF, "check", "--no-cache", "--output-format", "concise", "src"],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    assert (tree / "pyproject.toml").is_file()
    return "" if run.returncode == 0 else run.stdout + run.stderr


def test_generated_tree_of_specs_has_no_findings(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    generate(discover_specs(ROOT / "specs"), out)
    assert _ruff_findings(out) == ""


def test_golden_mini_tree_has_no_findings() -> None:
    assert _ruff_findings(ROOT / "tests" / "generator" / "golden" / "mini") == ""
