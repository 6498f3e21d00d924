"""`format: reference` (the published documents' name, S2) marks a reference field as
`format: thg-reference` does (issue 14): the generated field is a `Reference`, free of string
length and pattern constraints, THG024 accepts it beside `x-thg-reference-to`, and renaming one
to the other is not a type change for the diff."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from thg_codegen.diff.shapes import TYPED_FORMATS, _same_format
from thg_codegen.generate import generate
from thg_spec.diagnostics import has_errors
from thg_spec.validation import validate_paths

REPO = Path(__file__).resolve().parents[2]
PUBLISHED = REPO / "tests" / "published" / "thg-fulfil.yaml"


def test_a_published_format_reference_field_is_a_reference(tmp_path: Path) -> None:
    assert "format: reference" in PUBLISHED.read_text()
    generate([PUBLISHED], tmp_path)
    package = tmp_path / "src" / "thg_connect" / "thg_fulfil"
    text = "\n".join(p.read_text() for p in sorted(package.glob("*.py")))
    assert re.search(r"\binventory_item: Reference\b", text), "inventoryItem is not a Reference"


def test_either_name_reads_as_the_same_type_for_the_diff() -> None:
    assert "reference" in TYPED_FORMATS
    assert _same_format("reference") == _same_format("thg-reference") == "thg-reference"
    assert _same_format("date") == "date"


def test_the_project_specs_validate_with_either_name(tmp_path: Path) -> None:
    spec = REPO / "specs" / "document.yaml"
    data: Any = yaml.safe_load(spec.read_text())
    renamed = copy.deepcopy(data)

    def walk(node: Any) -> int:
        count = 0
        if isinstance(node, dict):
            if node.get("format") == "thg-reference":
                node["format"] = "reference"
                count += 1
            for value in node.values():
                count += walk(value)
        elif isinstance(node, list):
            for value in node:
                count += walk(value)
        return count

    assert walk(renamed) > 0
    out = tmp_path / "document.yaml"
    out.write_text(yaml.safe_dump(renamed, sort_keys=False))
    _, diagnostics = validate_paths([out])
    assert not has_errors(diagnostics), [str(d) for d in diagnostics]
