"""The body of `thg-codegen diff`, kept out of cli.py so the command there stays one call."""

from __future__ import annotations

from pathlib import Path

import click

from thg_spec.pipeline import SpecError

from ..outcome import Exit, Report
from . import diff_products
from .acknowledge import (
    Acknowledgement,
    AcknowledgementError,
    Acknowledgements,
    load_acknowledgements,
    match_acknowledgements,
)
from .changes import BREAKING
from .report import as_json, as_text, stale_lines
from .sources import SourceError, load_source

FORMATS = ("text", "json")
FAIL_ON = ("breaking", "none")


def run_diff(
    old: str, new: str, output_format: str, fail_on: str, acknowledged: Path | None = None
) -> int:
    """Print the classified changes from OLD to NEW; the exit status the command should have.

    With `acknowledged` (an acknowledgement file), only breaking changes it does not list make
    `--fail-on breaking` fail; entries that match no breaking change are warned about, in the
    text report or, next to the JSON one, on stderr. Invalid specs, a source that cannot be read
    (a missing path, an unknown revision) or a malformed acknowledgement file compare nothing and
    exit 2, in JSON as well when asked.
    """
    report = Report("diff", output_format)
    entries: list[Acknowledgement] = []
    try:
        if acknowledged is not None:
            entries = load_acknowledgements(acknowledged)  # before the slow part: fail fast
        before, after = load_source(old), load_source(new)
    except SpecError as error:
        report.diagnostics(error.diagnostics)
        report.finish(Exit.INVALID, f"{len(error.diagnostics)} problem(s): nothing compared")
    except (SourceError, AcknowledgementError) as error:
        report.finish(Exit.INVALID, f"thg-codegen diff: {error}", error=str(error))
    changes = diff_products(before, after)
    acks: Acknowledgements | None = None
    if acknowledged is not None:
        acks = match_acknowledgements(entries, changes, str(acknowledged))
        if output_format == "json":  # the text report has them in a section of its own
            for line in stale_lines(acks, old, new):
                click.echo(f"warning: {line}", err=True)
    failing = (
        acks.unacknowledged(changes) if acks else [c for c in changes if c.category == BREAKING]
    )
    code = Exit.FOUND if failing and fail_on == "breaking" else Exit.OK
    if output_format == "json":
        click.echo(
            as_json(changes, old, new, acks, {"command": "diff", "exit_code": int(code)}), nl=False
        )
    else:
        click.echo(as_text(changes, old, new, acks), nl=False)
    return int(code)
