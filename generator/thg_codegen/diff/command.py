"""The body of `thg-codegen diff`, kept out of cli.py so the command there stays one call."""

from __future__ import annotations

import click

from ..pipeline import SpecError
from . import diff_products
from .changes import BREAKING
from .report import as_json, as_text
from .sources import SourceError, load_source

FORMATS = ("text", "json")
FAIL_ON = ("breaking", "none")


def run_diff(old: str, new: str, output_format: str, fail_on: str) -> int:
    """Print the classified changes from OLD to NEW; the exit status the command should have."""
    try:
        before, after = load_source(old), load_source(new)
    except SpecError as error:
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.format())
        click.echo(f"{len(error.diagnostics)} problem(s): nothing compared", err=True)
        return 1
    except SourceError as error:
        click.echo(f"thg-codegen diff: {error}", err=True)
        return 1
    changes = diff_products(before, after)
    render = as_json if output_format == "json" else as_text
    click.echo(render(changes, old, new), nl=False)
    breaking = any(c.category == BREAKING for c in changes)
    return 1 if breaking and fail_on == "breaking" else 0
