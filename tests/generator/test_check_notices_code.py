"""`check` cannot be wrong about the code: an edit of ANY file of the generator or of the spec
front-end (thg_spec) makes `check` say the output is stale.

Each module is edited in a copy of the two packages; the manifest's code roots point at the copy
(in-process), and one run goes through a subprocess with the copy first on PYTHONPATH, as an
installed package would be found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import thg_codegen
import thg_spec
from thg_codegen import manifest
from thg_codegen.cli import main
from thg_codegen.generate import generate
from thg_codegen.manifest import generator_sha256, output_is_current

from .golden_trees import CASES

SPECS = CASES["mini"]


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("packages")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "templates")
    codegen = Path(thg_codegen.__file__).parent
    spec = Path(thg_spec.__file__).parent
    shutil.copytree(codegen, root / "thg_codegen", ignore=ignore)
    shutil.copytree(spec, root / "thg_spec", ignore=ignore)
    # Packaged layout: an installed generator carries its templates inside (hashed apart).
    shutil.copytree(manifest.BUILTIN_TEMPLATES, root / "thg_codegen" / "templates")
    return root / "thg_codegen", root / "thg_spec"


def _modules(copies: tuple[Path, Path]) -> list[Path]:
    files = (p for root in copies for p in root.rglob("*") if p.is_file())
    return sorted(p for p in files if "templates" not in p.parts)


def test_every_module_edit_makes_check_say_stale(
    copies: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manifest, "_code_roots", lambda: list(copies))
    out = tmp_path / "out"
    generate(SPECS, out)
    assert output_is_current(SPECS, out, None)
    baseline = generator_sha256()
    modules = _modules(copies)
    assert len(modules) > 40  # both packages, every module
    unnoticed = []
    for module in modules:
        original = module.read_bytes()
        module.write_bytes(original + b"\n# an edit\n")
        try:
            if generator_sha256() == baseline or output_is_current(SPECS, out, None):
                unnoticed.append(str(module))
        finally:
            module.write_bytes(original)
    assert unnoticed == []
    assert output_is_current(SPECS, out, None)

    # And through the command: a version bump (the case) is "stale", exit 1.
    init = copies[0] / "__init__.py"
    original = init.read_bytes()
    init.write_bytes(original.replace(b"__version__ = ", b"__version__ = '9.9.9' or "))
    try:
        result = CliRunner().invoke(main, ["check", *map(str, SPECS), "--output", str(out)])
    finally:
        init.write_bytes(original)
    assert result.exit_code == 1, result.output
    assert "is stale" in result.output and "outdated .codegen.json" in result.output


def test_an_edited_installed_copy_is_noticed_by_the_command(
    copies: tuple[Path, Path], tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(copies[0].parent)}
    cli = [sys.executable, "-m", "thg_codegen"]
    out = tmp_path / "out"
    args = [*map(str, SPECS), "--output", str(out)]
    probe = "import thg_codegen, thg_spec; print(thg_codegen.__file__, thg_spec.__file__)"
    found = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert str(copies[0].parent) in found.stdout and "thg_spec" in found.stdout
    subprocess.run([*cli, "generate", *args], env=env, check=True, capture_output=True)
    assert subprocess.run([*cli, "check", *args], env=env, capture_output=True).returncode == 0
    refs = copies[1] / "validation" / "refs.py"
    refs.write_text(refs.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    result = subprocess.run([*cli, "check", *args], env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "is stale" in result.stderr
