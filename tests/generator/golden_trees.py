"""Golden trees: the generated client of each small case spec, committed under golden/<case>/.

Regenerate after an intended change of the templates or the generator:

    .venv/bin/python -m tests.generator.golden_trees --update
"""

from __future__ import annotations

import sys
from pathlib import Path

from thg_codegen.generate import generate
from thg_codegen.manifest import MANIFEST

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
CASES = {"mini": [HERE / "specs" / "valid" / "mini.yaml"]}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` except the manifest (its hashes change with any generator
    edit; the files themselves are what the golden test pins) and tools' caches beside them
    (`__pycache__`, a `.ruff_cache` or `.mypy_cache` a local lint run leaves: never generated)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MANIFEST and not _CACHES.intersection(p.parts)
    }


_CACHES = frozenset({"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"})


def update() -> None:
    for case, specs in CASES.items():
        generate(specs, GOLDEN / case)
        print(f"updated {GOLDEN / case}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.generator.golden_trees --update")
    update()
