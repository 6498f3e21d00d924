"""`thg-codegen`: the command line of the generator."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

# Stages are imported inside the commands: `check` on unchanged specs must not pay for the
# OpenAPI validator, Jinja or black.

DEFAULT_SPECS = Path("specs")
DEFAULT_OUTPUT = Path("generated")


def _spec_paths(specs: tuple[Path, ...]) -> list[Path]:
    # A folder's entries as the front-end discovers them: an entry that cannot be read (a
    # dangling symlink, a folder named x.yaml) is kept, so loading it names it, never skipped.
    from thg_spec.paths import discover_specs

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
    # Always validates every spec in full. `generate` skips the OpenAPI check for specs its
    # output's manifest shows passed it (the verdict cache); `validate` has no output folder to
    # keep one in, and the command authors run to be sure should not trust state kept elsewhere
    # (a user cache dir shared by checkouts and validator versions).
    from thg_spec.diagnostics import has_errors
    from thg_spec.validation import validate_paths

    paths = _spec_paths(specs)
    if not paths:
        click.echo("thg-codegen: no spec files found (looked for *.yaml, *.yml, *.json)", err=True)
        sys.exit(1)
    _, problems = validate_paths(paths)
    for problem in problems:
        click.echo(problem.format())
    if has_errors(problems):
        errors = sum(1 for _ in problems)
        click.echo(f"{errors} problem(s) in {len(paths)} spec(s)", err=True)
        sys.exit(1)
    click.echo(f"{len(paths)} spec(s) valid: {', '.join(str(p) for p in paths)}", err=True)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--fail-on", type=click.Choice(["breaking", "none"]), default="breaking")
@click.option(
    "--acknowledged",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A Markdown file of intended breaking changes (e.g. specs/BREAKING.md), one per line: "
    "- `KIND` at `WHERE`: why.",
)
def diff(old: str, new: str, output_format: str, fail_on: str, acknowledged: Path | None) -> None:
    """Classify the changes from OLD to NEW specs (files, folders or git revisions like HEAD~1).

    Every change of the generated client's public surface is breaking, non-breaking or docs-only,
    with the reason and, for breaking ones, what to change in your code. Exit status 1 when a
    breaking change is found (unless --fail-on none) or when a spec is invalid. With
    --acknowledged FILE, breaking changes FILE lists are marked acknowledged and do not fail;
    entries matching no change are reported as stale.
    """
    from .diff.command import run_diff  # the diff package loads only for this command

    sys.exit(run_diff(old, new, output_format, fail_on, acknowledged))


_output_option = click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The generated distribution's folder.",
)
_templates_option = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A folder of templates that override built-in ones of the same name.",
)


def _report_failure(error: Exception) -> None:
    from thg_spec.pipeline import SpecError

    from .generate import TemplateError
    from .writer import OutputPathError

    if isinstance(error, OutputPathError):
        click.echo(f"thg-codegen: {error}", err=True)
    elif isinstance(error, SpecError):
        for problem in error.diagnostics:
            click.echo(problem.format())
        click.echo(f"{len(error.diagnostics)} problem(s); nothing was written", err=True)
    elif isinstance(error, TemplateError):
        click.echo(f"thg-codegen: {error}; nothing was written", err=True)
    else:
        click.echo(f"thg-codegen: {error}; nothing was written", err=True)


def _report_interrupt(output: Path) -> NoReturn:
    click.echo(
        f"thg-codegen: interrupted; if {output} was being written, the next `thg-codegen "
        "generate` completes it (`check` reports it incomplete until then)",
        err=True,
    )
    sys.exit(130)


@main.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@_output_option
@_templates_option
def generate(specs: tuple[Path, ...], output: Path, templates: Path | None) -> None:
    """Generate the client distribution from SPECS (default: specs/) into OUTPUT.

    Validates first; on any problem prints every diagnostic and leaves OUTPUT untouched.
    """
    from thg_spec.pipeline import SpecError

    from .formatting import FormattingError
    from .generate import TemplateError
    from .generate import generate as run
    from .writer import OutputPathError, UnsafePathError

    paths = _spec_paths(specs)
    if not paths:
        click.echo("thg-codegen: no spec files found (looked for *.yaml, *.yml, *.json)", err=True)
        sys.exit(1)
    try:
        written, removed = run(paths, output, templates)
    except (SpecError, TemplateError, FormattingError, UnsafePathError, OutputPathError) as error:
        _report_failure(error)
        sys.exit(1)
    except KeyboardInterrupt:
        _report_interrupt(output)
    click.echo(
        f"generated {output} from {len(paths)} spec(s): "
        f"{len(written)} file(s) written, {len(removed)} removed",
        err=True,
    )


@main.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@_output_option
@_templates_option
def check(specs: tuple[Path, ...], output: Path, templates: Path | None) -> None:
    """Exit 1 when OUTPUT is not exactly what `generate` would write from SPECS."""
    from .manifest import output_is_current

    paths = _spec_paths(specs)
    if output_is_current(paths, output, templates):
        click.echo(f"{output} is up to date with {len(paths)} spec(s)", err=True)
        return
    from thg_spec.pipeline import SpecError

    from .formatting import FormattingError
    from .generate import TemplateError
    from .generate import check as run

    try:
        problems = run(paths, output, templates)
    except (SpecError, TemplateError, FormattingError) as error:
        _report_failure(error)
        sys.exit(1)
    if problems:
        for line in problems[:50]:
            click.echo(line)
        more = f" (first 50 shown)" if len(problems) > 50 else ""
        click.echo(
            f"{output} is stale: {len(problems)} difference(s){more}; run `thg-codegen generate`",
            err=True,
        )
        sys.exit(1)
    click.echo(f"{output} is up to date with {len(paths)} spec(s)", err=True)


@main.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@_output_option
@_templates_option
def release(specs: tuple[Path, ...], output: Path, templates: Path | None) -> None:
    """Record the current generation as released: OUTPUT/released/ keeps its version, specs and
    changelog, and later generations compute their version and changelog from it."""
    from thg_spec.pipeline import SpecError

    from .formatting import FormattingError
    from .generate import TemplateError
    from .generate import release as run
    from .writer import OutputPathError, UnsafePathError

    paths = _spec_paths(specs)
    try:
        version = run(paths, output, templates)
    except (SpecError, TemplateError, FormattingError, UnsafePathError, OutputPathError) as error:
        _report_failure(error)
        sys.exit(1)
    except KeyboardInterrupt:
        _report_interrupt(output)
    click.echo(f"recorded {version} as released in {output / 'released'}", err=True)
