"""The runtime's public API against the committed baseline (tests/runtime/api_baseline.json).

Any difference fails, classified: breaking (a removed name, member or parameter, a parameter
made required, any other signature change) or an addition (new names, members, optional
parameters). The message names the refresh command for intended changes.
"""

from __future__ import annotations

import json
import sys
import textwrap
from types import ModuleType
from typing import Dict, List

import pytest

import thg_connect_core

from .api_baseline import BASELINE, REFRESH, Entry, compare, describe, explain, main, render


def test_runtime_matches_the_baseline() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    found = compare(baseline, describe(thg_connect_core))
    if found != ([], []):
        pytest.fail(explain(found), pytrace=False)


def test_baseline_names_every_exported_name() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert sorted(baseline) == sorted(thg_connect_core.__all__)


def test_description_is_stable_text() -> None:
    first, second = render(describe(thg_connect_core)), render(describe(thg_connect_core))
    assert first == second
    assert " at 0x" not in first  # default values such as `time.sleep` print no address


# --- the classification, on small modules written here ---

HEADER = "from __future__ import annotations\nimport enum\nfrom typing import Optional, Union\n"


def _api(source: str, names: List[str]) -> Dict[str, Entry]:
    module = ModuleType("fakeapi")
    sys.modules["fakeapi"] = module  # dataclasses and enums look their module up
    try:
        exec(compile(HEADER + textwrap.dedent(source), "fakeapi", "exec"), module.__dict__)
        module.__dict__["__all__"] = names
        return describe(module, "fakeapi")
    finally:
        del sys.modules["fakeapi"]


def _diff(old: str, new: str, names: List[str]) -> tuple[List[str], List[str]]:
    return compare(_api(old, names), _api(new, names))


def test_identical_modules_have_no_findings() -> None:
    source = "def f(a: int, *, b: str = 'x') -> int: ...\nclass C:\n    def m(self) -> None: ..."
    assert _diff(source, source, ["f", "C"]) == ([], [])


def test_removed_and_new_names() -> None:
    old = _api("def f() -> None: ...\ndef g() -> None: ...", ["f", "g"])
    new = _api("def f() -> None: ...\nclass H: ...", ["f", "H"])
    assert compare(old, new) == (["g: removed (function)"], ["H: new class"])


@pytest.mark.parametrize(
    ("old", "new", "breaking", "additions"),
    [
        (
            "def f(a: int, b: int) -> None: ...",
            "def f(a: int) -> None: ...",
            ["parameter `b` removed"],
            [],
        ),
        (
            "def f(a: int = 1) -> None: ...",
            "def f(a: int) -> None: ...",
            ["parameter `a` made required"],
            [],
        ),
        (
            "def f(a: int) -> None: ...",
            "def f(a: int = 1) -> None: ...",
            [],
            ["parameter `a` made optional"],
        ),
        (
            "def f() -> None: ...",
            "def f(*, a: int = 1) -> None: ...",
            [],
            ["new optional parameter `a`"],
        ),
        (
            "def f() -> None: ...",
            "def f(*args: int) -> None: ...",
            [],
            ["new optional parameter `args`"],
        ),
        ("def f() -> None: ...", "def f(a: int) -> None: ...", ["new required parameter `a`"], []),
        (
            "def f(a: int) -> None: ...",
            "def f(a: str) -> None: ...",
            ["parameter `a` annotation int → str"],
            [],
        ),
        (
            "def f(a: int = 1) -> None: ...",
            "def f(a: int = 2) -> None: ...",
            ["parameter `a` default 1 → 2"],
            [],
        ),
        (
            "def f(a: int) -> None: ...",
            "def f(*, a: int) -> None: ...",
            ["parameter `a` kind POSITIONAL_OR_KEYWORD → KEYWORD_ONLY"],
            [],
        ),
        (
            "def f(a: int, b: int) -> None: ...",
            "def f(b: int, a: int) -> None: ...",
            ["positional parameters reordered ['a', 'b'] → ['b', 'a']"],
            [],
        ),
        (
            "def f() -> int: ...",
            "def f() -> Optional[int]: ...",
            ["return type int → Optional[int]"],
            [],
        ),
        (
            "def f() -> None: ...",
            "async def f() -> None: ...",
            ["was a function, now a async function"],
            [],
        ),
    ],
)
def test_function_changes(old: str, new: str, breaking: List[str], additions: List[str]) -> None:
    found = _diff(old, new, ["f"])
    assert found == ([f"f: {s}" for s in breaking], [f"f: {s}" for s in additions])


def test_class_members_bases_and_constructor() -> None:
    old = """
    class Base: ...
    class C(Base):
        limit = 5
        def __init__(self, a: int) -> None: ...
        def keep(self) -> None: ...
        def gone(self) -> None: ...
        @property
        def size(self) -> int: ...
    """
    new = """
    class Base: ...
    class C:
        limit = 6
        def __init__(self, a: int, b: int = 0) -> None: ...
        def keep(self, *, fast: bool = False) -> None: ...
        def fresh(self) -> None: ...
        def __iter__(self) -> None: ...
        @property
        def size(self) -> str: ...
    """
    breaking, additions = _diff(old, new, ["Base", "C"])
    assert breaking == [
        "C: no longer a subclass of Base",
        "C.gone: removed (method)",
        "C.limit: value 5 → 6",
        "C.size: returns int → str",
    ]
    assert additions == [
        "C: new optional parameter `b`",
        "C.keep: new optional parameter `fast`",
        "C.__iter__: new method",
        "C.fresh: new method",
    ]


def test_constants_aliases_and_enum_members() -> None:
    old = """
    LIMIT = 10
    Id = Union[int, str]
    class Colour(enum.Enum):
        RED = "red"
        BLUE = "blue"
    """
    new = """
    LIMIT = 20
    Id = Union[int, str, None]
    class Colour(enum.Enum):
        RED = "red"
        GREEN = "green"
    """
    breaking, additions = _diff(old, new, ["LIMIT", "Id", "Colour"])
    assert breaking == [
        "Colour.BLUE: removed (enum member)",
        "Id: value Union[int, str] → Union[int, str, NoneType]",
        "LIMIT: value 10 → 20",
    ]
    assert additions == ["Colour.GREEN: new enum member"]


def test_message_classifies_and_names_the_refresh_command() -> None:
    message = explain((["f: parameter `b` removed"], ["g: new function"]))
    assert "Breaking (1): old callers may fail\n  - f: parameter `b` removed" in message
    assert "Additions (1): old callers keep working\n  - g: new function" in message
    assert message.endswith(f"refresh the baseline: {REFRESH}")
    assert REFRESH == ".venv/bin/python -m tests.runtime.api_baseline --update"


def test_command_line_checks_without_update(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0  # the committed baseline matches, and nothing is written
    assert "public names match" in capsys.readouterr().out
    assert main(["--bogus"]) == 2
    assert REFRESH in capsys.readouterr().err
