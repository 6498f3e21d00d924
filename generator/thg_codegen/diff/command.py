"""The body of `thg-codegen diff`, kept out of cli.py so the command there stays one call."""

from __future__ import annotations

from pathlib import Path

import click
from thg_spec.pipeline import SpecError

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
    text report or, next to the JSON one, on stderr.
    """
    entries: list[Acknowledgement] = []
    try:
        if acknowledged is not None:
            entries = load_acknowledgements(acknowledged)  # before the slow part: fail fast
        before, after = load_source(old), load_source(new)
    except SpecError as error:
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.format())
        click.echo(f"{len(error.diagnostics)} problem(s): nothing compared", err=True)
        return 1
    except (SourceError, AcknowledgementError) as error:
        click.echo(f"thg-codegen diff: {error}", err=True)
        return 1
    changes = diff_products(before, after)
    acks: Acknowledgements | None = None
    if acknowledged is not None:
        acks = match_acknowledgements(entries, changes, str(acknowledged))
        if output_format == "json":  # the text report has them in a section of its own
            for line in stale_lines(acks, old, new):
                click.echo(f"warning: {line}", err=True)
    render = as_json if output_format == "json" else as_text
    click.echo(render(changes, old, new, acks), nl=False)
    failing = (
        acks.unacknowledged(changes) if acks else [c for c in changes if c.category == BREAKING]
    )
    return 1 if failing and fail_on == "breaking" else 0
