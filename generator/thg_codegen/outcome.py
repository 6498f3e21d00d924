"""How every `thg-codegen` command ends: one exit status CI can tell apart, and the same outcome
as text (diagnostics on stdout, a summary on stderr) or as one JSON document on stdout."""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

import click

from thg_spec.diagnostics import Diagnostic

FORMATS = ("text", "json")


class Exit(enum.IntEnum):
    OK = 0
    # The answer CI fails a build on: a breaking change (`diff`), a stale tree (`check`).
    FOUND = 1
    # Nothing could be answered: invalid specs, or a bad argument (a path that is missing or
    # cannot be written, a git revision that does not exist, a broken template override).
    INVALID = 2
    INTERRUPTED = 130


def use_utf8_output() -> None:
    """Write UTF-8 whatever the console's encoding: specs carry any text, and a cp1252 console
    must not turn a report into a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            try:
                reconfigure(encoding="utf-8")
            except (ValueError, OSError):  # a stream already written to in another encoding
                pass


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "file": diagnostic.file,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "pointer": diagnostic.pointer,
        "rule": diagnostic.rule,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }


class Report:
    """The outcome of one command, printed in the chosen format when it finishes."""

    def __init__(self, command: str, output_format: str) -> None:
        self.command = command
        self.json = output_format == "json"
        self._diagnostics: list[Diagnostic] = []

    def diagnostics(self, problems: Iterable[Diagnostic]) -> None:
        """Spec diagnostics: a line each on stdout as text, a list in the JSON document."""
        for problem in problems:
            self._diagnostics.append(problem)
            if not self.json:
                click.echo(problem.format())

    def lines(self, lines: Sequence[str]) -> None:
        """Plain result lines (a stale tree's differences) for the text form."""
        if not self.json:
            for line in lines:
                click.echo(line)

    def finish(self, code: Exit, summary: str, **fields: Any) -> NoReturn:
        """Print the summary (stderr) or the JSON document (stdout), then exit with `code`."""
        if self.json:
            document = {
                "command": self.command,
                "exit_code": int(code),
                "ok": code is Exit.OK,
                "summary": summary,
                "diagnostics": [diagnostic_json(d) for d in self._diagnostics],
                **fields,
            }
            click.echo(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
        else:
            click.echo(summary, err=True)
        sys.exit(int(code))
