"""`thg-codegen`: the command line of the generator."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .diagnostics import has_errors
from .validation import discover_specs, validate_paths

DEFAULT_SPECS = Path("specs")


def _spec_paths(specs: tuple[Path, ...]) -> list[Path]:
    chosen: list[Path] = []
    for path in specs or (DEFAULT_SPECS,):
        chosen.extend(discover_specs(path) if path.is_dir() else [path])
    return chosen


@click.group()
@click.version_option(package_name="thg-codegen")
def main() -> None:
    """Generate the THG Connect Python client from the platform's OpenAPI documents."""


@main.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
def validate(specs: tuple[Path, ...]) -> None:
    """Check SPECS (files or folders; default: specs/) against OpenAPI 3.1 and CONVENTIONS.md.

    Every problem is printed as file:line:col /json/pointer: what is wrong. how to fix [rule];
    exit status 1 when there is any error.
    """
    paths = _spec_paths(specs)
    if not paths:
        click.echo("thg-codegen: no spec files found (looked for *.yaml)", err=True)
        sys.exit(1)
    _, problems = validate_paths(paths)
    for problem in problems:
        click.echo(problem.format())
    if has_errors(problems):
        errors = sum(1 for _ in problems)
        click.echo(f"{errors} problem(s) in {len(paths)} spec(s)", err=True)
        sys.exit(1)
    click.echo(f"{len(paths)} spec(s) valid: {', '.join(str(p) for p in paths)}", err=True)
