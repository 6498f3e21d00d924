"""Is a schema `pattern` one the oldest Python the generated client supports can compile?

The client puts each pattern into its models, so a pattern its interpreter cannot compile stops the
module importing. Python 3.11 added possessive quantifiers (`a++`, `a*+`, `a?+`, `a{1,2}+`) and
atomic groups (`(?>…)`); 3.9 and 3.10 refuse both. `newer_syntax` scans for that syntax itself,
so its verdict is the same under every interpreter and needs no other one installed.
"""

from __future__ import annotations

import re
import warnings

OLDEST_PYTHON = "3.9"

_REPEAT = re.compile(r"\{\d*(?:,\d*)?\}")  # sre_parse's {m}, {m,}, {,n}, {m,n}; `{}` is literal
_GLOBAL_VERBOSE = re.compile(r"(?:\(\?[aiLmsux]*\))*\(\?[aiLmsu]*x[aiLmsux]*\)")
_FLAGS = re.compile(r"\(\?([aiLmsux]*)(?:-([imsx]*))?([:)])")


def oldest_python_problem(pattern: str) -> str | None:
    """What stops `pattern` compiling on Python 3.9, or None if it compiles there."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # FutureWarning on `[[`: still compiles
            re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        return f"it is not a valid regular expression ({exc})"
    return newer_syntax(pattern)


def newer_syntax(pattern: str) -> str | None:
    """The first possessive quantifier or atomic group of `pattern`, described, or None.

    Whether the pattern is otherwise valid is not asked here (OpenAPI's `format: regex` check,
    THG003, reports that), so the answer is the same on every interpreter.
    """
    verbose = _GLOBAL_VERBOSE.match(pattern) is not None
    try:
        return _newer_syntax(pattern, verbose)
    except ValueError:  # an unterminated group name or condition: not a valid pattern anyway
        return None


def _newer_syntax(pattern: str, verbose: bool) -> str | None:
    """The first possessive quantifier or atomic group of a pattern that compiles.

    Walks the pattern as `sre_parse` does: escapes, classes, comments, group openers and
    (under the x flag) whitespace and `#` comments are skipped, so only a real quantifier
    directly followed by `+` counts.
    """
    n = len(pattern)
    stack = [verbose]
    repeat = -1  # where the previous token began, if it was a quantifier with no suffix yet
    i = 0
    while i < n:
        c = pattern[i]
        if stack[-1] and c in " \t\n\r\f\v":
            i, repeat = i + 1, -1
        elif stack[-1] and c == "#":
            end = pattern.find("\n", i)
            i, repeat = (n if end < 0 else end + 1), -1
        elif c == "\\":
            i, repeat = i + 2, -1
        elif c == "[":
            i, repeat = _class_end(pattern, i), -1
        elif c == "(":
            if pattern.startswith("(?>", i):
                return f"the atomic group at offset {i} ('(?>…)') needs Python 3.11"
            i, repeat = _group_start(pattern, i, stack), -1
        elif c == ")":
            if len(stack) > 1:
                stack.pop()
            i, repeat = i + 1, -1
        elif c in "*+?" or (c == "{" and _REPEAT.match(pattern, i) and pattern[i : i + 2] != "{}"):
            if repeat >= 0 and c == "+":
                quantifier = pattern[repeat : i + 1]
                return (
                    f"the possessive quantifier {quantifier!r} at offset {repeat} needs Python 3.11"
                )
            if repeat >= 0 and c == "?":
                i, repeat = i + 1, -1  # lazy: the quantifier is complete
                continue
            match = _REPEAT.match(pattern, i) if c == "{" else None
            repeat = i
            i += len(match.group(0)) if match else 1
        else:
            i, repeat = i + 1, -1
    return None


def _class_end(pattern: str, i: int) -> int:
    """The index after the `]` closing the class opened at `i` (a leading `]` is literal)."""
    j = i + 1
    if pattern.startswith("^", j):
        j += 1
    if pattern.startswith("]", j):
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_start(pattern: str, i: int, stack: list[bool]) -> int:
    """Skip a group opener at `i`, pushing the verbose state its contents use; return the
    index of the first character of the contents."""
    if not pattern.startswith("(?", i):
        stack.append(stack[-1])
        return i + 1
    flags = _FLAGS.match(pattern, i)
    if flags:
        if flags.group(3) == ":":
            on, off = flags.group(1), flags.group(2) or ""
            stack.append(True if "x" in on else False if "x" in off else stack[-1])
        return flags.end()  # a global `(?x)` leads the pattern: _GLOBAL_VERBOSE saw it
    if pattern.startswith("(?#", i):  # a comment: up to the first unescaped `)`
        j = i + 3
        while j < len(pattern) and pattern[j] != ")":
            j += 2 if pattern[j] == "\\" else 1
        return j + 1
    if pattern.startswith("(?P=", i):  # a back reference: a whole atom, no contents
        return pattern.index(")", i) + 1
    stack.append(stack[-1])
    if pattern.startswith(("(?P<", "(?<=", "(?<!"), i):
        return pattern.index(">", i) + 1 if pattern[i + 2] == "P" else i + 4
    if pattern.startswith("(?(", i):  # (?(id)yes|no): skip the condition
        return pattern.index(")", i) + 1
    return i + 3  # (?: (?= (?!
