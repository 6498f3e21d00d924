"""Docstrings and docs name the Python call, never an operation id (issue 17): a spec description
that says "read it with `getInventoryItemApproval`" reads, in the client, "read it with
`client.thg_fulfil.inventory(id).approval.get()`"."""

from __future__ import annotations

import re
from pathlib import Path

from thg_codegen.generate import generate
from thg_spec.paths import discover_specs

ROOT = Path(__file__).resolve().parents[2]


def test_no_operation_id_reaches_the_client_or_its_docs(tmp_path: Path) -> None:
    specs = discover_specs(ROOT / "specs")
    operation_ids = {
        m.group(1)
        for spec in specs
        for m in re.finditer(r"operationId:\s*(\w+)", spec.read_text(encoding="utf-8"))
    }
    assert "getInventoryItemApproval" in operation_ids
    out = tmp_path / "generated"
    generate(specs, out)
    found = []
    for path in sorted(out.rglob("*")):
        if path.suffix not in (".py", ".md") or "_specs" in path.parts:
            continue
        words = set(re.findall(r"\w+", path.read_text(encoding="utf-8")))
        found.extend(f"{path.relative_to(out)}: {w}" for w in sorted(words & operation_ids))
    assert found == []
    item = (out / "src/thg_connect/thg_fulfil/inventory.py").read_text(encoding="utf-8")
    assert "`client.thg_fulfil.inventory(id).approval.get()`" in item
