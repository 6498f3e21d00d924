"""Problems found in a spec, as values: collected, sorted and printed compiler-style."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located by file, line, column and JSON pointer.

    Field order is the sort order: diagnostics print grouped by file, then by position.
    """

    file: str
    line: int
    column: int
    pointer: str
    rule: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """`file:line:col /pointer: message. hint [rule]` — the shape editors and CI logs link."""
        text = self.message.rstrip(".")
        if self.hint:
            text += ". " + self.hint.rstrip(".")
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        pointer = self.pointer or "/"
        return f"{self.file}:{self.line}:{self.column} {pointer}: {prefix}{text}. [{self.rule}]"


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)
