"""CONVENTIONS §18 answers every one of recovered/gap.md's 15 differences (issue 14): one row
each, in order, with a verdict and the evidence it rests on."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GAP = REPO.parent / "shared" / "platform-docs" / "recovered" / "gap.md"
VERDICTS = ("followed", "tolerated both ways", "deliberately not")


def _section_18() -> str:
    text = (REPO / "specs" / "CONVENTIONS.md").read_text(encoding="utf-8")
    start = text.index("## 18.")
    following = text.find("\n## ", start + 1)
    return text[start : following if following != -1 else len(text)]


def test_every_difference_has_one_row_with_a_verdict_and_evidence() -> None:
    rows = re.findall(r"^\| (\d+) \| (.+?) \| (.+?) \| (.+) \|$", _section_18(), re.M)
    assert [int(number) for number, *_ in rows] == list(range(1, 16))
    for number, _, verdict, why in rows:
        assert any(v in verdict for v in VERDICTS), (number, verdict)
        assert re.search(r"\bS\d+\b|platform-integration\.txt|§\d+", why), number


def test_the_table_answers_the_lists_own_differences() -> None:
    assert GAP.exists(), f"{GAP}: the shared platform docs sit beside the repository"
    listed = re.findall(r"^(\d+)\. \*\*", GAP.read_text(encoding="utf-8"), re.M)
    assert [int(n) for n in listed] == list(range(1, 16))
