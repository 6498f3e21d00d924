"""THG027's pattern check says what Python 3.9 says, whatever Python runs it."""

from __future__ import annotations

import glob
import json
import random
import re
import subprocess
import warnings

import pytest

from thg_spec.validation.regex_compat import oldest_python_problem

NEWER_ONLY = [
    "a++", "a*+", "a?+", "a{2}+", "a{1,2}+", "a{,3}+", "a{2,}+", "a{,}+", "(?>ab)", "x(?>a|b)+",
    "^[a-z]++$", "(a)++", "[abc]*+", r"\d++", "(?:a)?+", "(?i)a++", "(?x) a++ ",
]  # fmt: skip
EVERYWHERE = [
    "^[a-z0-9][a-z0-9-]*$", "a+", "a+?", "a*?", "a??", "a{2}?", "[a++]", r"\++", r"a\++",
    "a{}+", "a{x}+", "a{1,x}+", "(?#a++)b", "(?x)a# ++\n", "(?x:a # ++\n)", "[]++]", "[^]++]",
    r"[\]++]", "(?P<n>a)(?P=n)+", "(?<=a)b+", "(?<!a)b+", "(?=a+)", "(?!a+)",
    "(a)(?(1)b+|c)", r"\(?>a\)", "[(?>]",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?$",
]  # fmt: skip
NOWHERE = ["a**", "(", "[a", "a{2}*", "*a", r"\q", "(?P<1>a)", "a+++"]


@pytest.mark.parametrize("pattern", NEWER_ONLY)
def test_newer_syntax_is_refused(pattern: str) -> None:
    problem = oldest_python_problem(pattern)
    assert problem is not None and "needs Python 3.11" in problem


@pytest.mark.parametrize("pattern", EVERYWHERE)
def test_portable_patterns_pass(pattern: str) -> None:
    assert oldest_python_problem(pattern) is None


@pytest.mark.parametrize("pattern", NOWHERE)
def test_invalid_patterns_are_refused(pattern: str) -> None:
    problem = oldest_python_problem(pattern)
    assert problem is not None and "not a valid regular expression" in problem


def _fuzz(count: int) -> list[str]:
    alphabet = ["a", "b", "+", "*", "?", "{2}", "{1,}", "{,2}", "{}", "(", ")", "(?:", "(?>", "[",
                "]", "^", "\\", "|", "(?x)", " ", "#", "\n", "(?#", "-", "(?x:", "(?-x:",
                "(?i)"]  # fmt: skip
    rng = random.Random(12)
    found: list[str] = []
    while len(found) < count:
        pattern = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9)))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                re.compile(pattern)
        except re.error:
            continue
        found.append(pattern)
    return found


def _python39() -> str | None:
    found = sorted(glob.glob("/root/.pyenv/versions/3.9*/bin/python"))
    return found[0] if found else None


@pytest.mark.skipif(_python39() is None, reason="no Python 3.9 interpreter to compare with")
def test_verdicts_match_a_real_python39() -> None:
    patterns = NEWER_ONLY + EVERYWHERE + NOWHERE + _fuzz(3000)
    script = (
        "import json, re, sys, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "out = []\n"
        "for p in json.load(sys.stdin):\n"
        "    try:\n"
        "        re.compile(p); out.append(True)\n"
        "    except Exception:\n"
        "        out.append(False)\n"
        "print(json.dumps(out))\n"
    )
    python39 = _python39()
    assert python39 is not None
    result = subprocess.run(
        [python39, "-c", script],
        input=json.dumps(patterns),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    compiles_on_39 = json.loads(result.stdout)
    wrong = [
        (p, ok)
        for p, ok in zip(patterns, compiles_on_39, strict=True)
        if ok != (oldest_python_problem(p) is None)
    ]
    assert wrong == []
