"""bench/synthetic_specs.py writes specs that pass `thg-codegen validate`, the same bytes every
run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from thg_spec.diagnostics import has_errors
from thg_spec.validation import validate_paths

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "synthetic_specs.py"


def _write(folder: Path, entities: int, *extra: str) -> Path:
    subprocess.run(
        [sys.executable, str(SCRIPT), str(entities), str(folder), *extra],
        check=True,
        capture_output=True,
    )
    return folder / "synth.yaml"


def _entity_names(spec: Path) -> list[str]:
    data: Any = yaml.safe_load(spec.read_text(encoding="utf-8"))
    return [
        item["x-thg-entity"]["name"] for item in data["paths"].values() if "x-thg-entity" in item
    ]


@pytest.mark.parametrize(("entities", "extra"), [(10, ()), (7, ("--changed",))])
def test_synthetic_spec_validates_with_the_requested_entity_count(
    tmp_path: Path, entities: int, extra: tuple[str, ...]
) -> None:
    spec = _write(tmp_path, entities, *extra)
    _, problems = validate_paths([spec])
    assert not has_errors(problems), "\n".join(p.format() for p in problems)
    names = _entity_names(spec)
    assert len(names) == entities
    assert max(name.count(".") for name in names) == 2  # three-level hierarchies


def test_synthetic_spec_is_deterministic_and_changed_differs(tmp_path: Path) -> None:
    first = _write(tmp_path / "a", 10).read_bytes()
    second = _write(tmp_path / "b", 10).read_bytes()
    changed = _write(tmp_path / "c", 10, "--changed").read_bytes()
    assert first == second
    assert changed != first
    assert b"priority:" in changed and b"priority:" not in first
