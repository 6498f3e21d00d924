"""`thg-codegen`: the command line of the generator."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from .outcome import FORMATS, Exit, Report, use_utf8_output

# Stages are imported inside the commands: `check` on unchanged specs must not pay for the
# OpenAPI validator, Jinja or black.

DEFAULT_SPECS = Path("specs")
DEFAULT_OUTPUT = Path("generated")

EXIT_STATUS = """\b
Exit status: 0 done (valid, generated, up to date, nothing breaking); 1 the answer CI fails on
(a breaking change, a stale tree); 2 invalid specs or a bad argument (a missing path, an unknown
revision, an output folder that cannot be written, a broken template); 130 interrupted."""


def _spec_paths(specs: tuple[Path, ...]) -> list[Path]:
    # A folder's entries as the front-end discovers them: an entry that cannot be read (a
    # dangling symlink, a folder named x.yaml) is kept, so loading it names it, never skipped.
    from thg_spec.paths import discover_specs

    chosen: list[Path] = []
    for path in specs or (DEFAULT_SPECS,):
        chosen.extend(discover_specs(path) if path.is_dir() else [path])
    return chosen


_format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: diagnostics on stdout, a summary on stderr. json: one JSON document on stdout, "
    "whatever the outcome (diagnostics included).",
)


@click.group(epilog=EXIT_STATUS)
@click.version_option(package_name="thg-codegen")
def main() -> None:
    """Generate the THG Connect Python client from the platform's OpenAPI documents.

    \b
    Examples:
      thg-codegen validate                      # specs/ against OpenAPI and CONVENTIONS.md
      thg-codegen generate                      # specs/ -> generated/
      thg-codegen check                         # CI: exit 1 when generated/ is stale
      thg-codegen diff HEAD~1 specs             # what the last commit's spec edits break
    """
    use_utf8_output()


def _no_specs(report: Report) -> NoReturn:
    report.finish(
        Exit.INVALID, "thg-codegen: no spec files found (looked for *.yaml, *.yml, *.json)"
    )


@main.command(epilog=EXIT_STATUS)
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@_format_option
def validate(specs: tuple[Path, ...], output_format: str) -> None:
    """Check SPECS (files or folders; default: specs/) against OpenAPI 3.1 and CONVENTIONS.md.

    Every problem is printed as file:line:col /json/pointer: what is wrong. how to fix [rule].

    \b
    Examples:
      thg-codegen validate
      thg-codegen validate specs/thg-fulfil.yaml --format json
    """
    # Always validates every spec in full. `generate` skips the OpenAPI check for specs its
    # output's manifest shows passed it (the verdict cache); `validate` has no output folder to
    # keep one in, and the command authors run to be sure should not trust state kept elsewhere
    # (a user cache dir shared by checkouts and validator versions).
    from thg_spec.diagnostics import has_errors
    from thg_spec.validation import validate_paths

    report = Report("validate", output_format)
    paths = _spec_paths(specs)
    if not paths:
        _no_specs(report)
    _, problems = validate_paths(paths)
    report.diagnostics(problems)
    names = [str(p) for p in paths]
    if has_errors(problems):
        report.finish(
            Exit.INVALID, f"{len(problems)} problem(s) in {len(paths)} spec(s)", specs=names
        )
    report.finish(Exit.OK, f"{len(paths)} spec(s) valid: {', '.join(names)}", specs=names)


@main.command(epilog=EXIT_STATUS)
@click.argument("old")
@click.argument("new")
@_format_option
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "none"]),
    default="breaking",
    show_default=True,
    help="none: report breaking changes but exit 0.",
)
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
    with the reason and, for breaking ones, what to change in your code. With --acknowledged
    FILE, breaking changes FILE lists are marked acknowledged and do not fail; entries matching
    no change are reported as stale.

    \b
    Examples:
      thg-codegen diff main specs                       # the work tree's specs against main
      thg-codegen diff HEAD~1 HEAD --format json
      thg-codegen diff main specs --acknowledged specs/BREAKING.md
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


def _fail(report: Report, error: Exception) -> NoReturn:
    """Invalid specs, a broken template override or an output path that cannot be written:
    nothing was written, and the exit status says the input was wrong."""
    from thg_spec.pipeline import SpecError

    from .writer import OutputPathError

    if isinstance(error, SpecError):
        report.diagnostics(error.diagnostics)
        report.finish(Exit.INVALID, f"{len(error.diagnostics)} problem(s); nothing was written")
    if isinstance(error, OutputPathError):
        report.finish(Exit.INVALID, f"thg-codegen: {error}", error=str(error))
    report.finish(Exit.INVALID, f"thg-codegen: {error}; nothing was written", error=str(error))


def _interrupted(report: Report, output: Path) -> NoReturn:
    report.finish(
        Exit.INTERRUPTED,
        f"thg-codegen: interrupted; if {output} was being written, the next `thg-codegen "
        "generate` completes it (`check` reports it incomplete until then)",
    )


@main.command(epilog=EXIT_STATUS)
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@_output_option
@_templates_option
@_format_option
def generate(
    specs: tuple[Path, ...], output: Path, templates: Path | None, output_format: str
) -> None:
    """Generate the client distribution from SPECS (default: specs/) into OUTPUT.

    Validates first; on any problem prints every diagnostic and leaves OUTPUT untouched.

    \b
    Examples:
      thg-codegen generate
      thg-codegen generate specs/thg-fulfil.yaml -o build/client --templates my-templates
    """
    from thg_spec.pipeline import SpecError

    from .formatting import FormattingError
    from .generate import TemplateError
    from .generate import generate as run
    from .writer import OutputPathError, UnsafePathError

    report = Report("generate", output_format)
    paths = _spec_paths(specs)
    if not paths:
        _no_specs(report)
    try:
        written, removed = run(paths, output, templates)
    except (SpecError, TemplateError, FormattingError, UnsafePathError, OutputPathError) as error:
        _fail(report, error)
    except KeyboardInterrupt:
        _interrupted(report, output)
    report.finish(
        Exit.OK,
        f"generated {output} from {len(paths)} spec(s): "
        f"{len(written)} file(s) written, {len(removed)} removed",
        output=str(output),
        written=written,
        removed=removed,
    )


@main.command(epilog=EXIT_STATUS)
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@_output_option
@_templates_option
@_format_option
def check(
    specs: tuple[Path, ...], output: Path, templates: Path | None, output_format: str
) -> None:
    """Exit 1 when OUTPUT is not exactly what `generate` would write from SPECS.

    \b
    Examples:
      thg-codegen check
      thg-codegen check -o generated --format json
    """
    from .manifest import output_is_current

    report = Report("check", output_format)
    paths = _spec_paths(specs)
    if not paths:
        _no_specs(report)
    current = f"{output} is up to date with {len(paths)} spec(s)"
    if output_is_current(paths, output, templates):
        report.finish(Exit.OK, current, output=str(output), differences=[])
    from thg_spec.pipeline import SpecError

    from .formatting import FormattingError
    from .generate import TemplateError
    from .generate import check as run

    try:
        problems = run(paths, output, templates)
    except (SpecError, TemplateError, FormattingError) as error:
        _fail(report, error)
    if not problems:
        report.finish(Exit.OK, current, output=str(output), differences=[])
    report.lines(problems[:50])
    more = " (first 50 shown)" if len(problems) > 50 and not report.json else ""
    report.finish(
        Exit.FOUND,
        f"{output} is stale: {len(problems)} difference(s){more}; run `thg-codegen generate`",
        output=str(output),
        differences=problems,
    )


@main.command(epilog=EXIT_STATUS)
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@_output_option
@_templates_option
@_format_option
def release(
    specs: tuple[Path, ...], output: Path, templates: Path | None, output_format: str
) -> None:
    """Record the current generation as released: OUTPUT/released/ keeps its version, specs and
    changelog, and later generations compute their version and changelog from it.

    \b
    Examples:
      thg-codegen release
      thg-codegen release specs -o generated --format json
    """
    from thg_spec.pipeline import SpecError

    from .formatting import FormattingError
    from .generate import TemplateError
    from .generate import release as run
    from .writer import OutputPathError, UnsafePathError

    report = Report("release", output_format)
    paths = _spec_paths(specs)
    if not paths:
        _no_specs(report)
    try:
        version = run(paths, output, templates)
    except (SpecError, TemplateError, FormattingError, UnsafePathError, OutputPathError) as error:
        _fail(report, error)
    except KeyboardInterrupt:
        _interrupted(report, output)
    report.finish(
        Exit.OK,
        f"recorded {version} as released in {output / 'released'}",
        output=str(output),
        version=version,
    )


@main.command(epilog=EXIT_STATUS)
@click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace an overlay that is already there.")
@click.option(
    "--merge",
    "merge_from",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Another document of the same product: the overlay adds what it has and SPEC lacks.",
)
@_format_option
def overlay(spec: Path, force: bool, merge_from: Path | None, output_format: str) -> None:
    """Write SPEC's starting overlay: every hint the tool could not infer from a platform-published
    document (who owns an entity, who writes a status, a status's states…) as an OpenAPI Overlay
    beside it, `<stem>.overlay.yaml`, with what was assumed in its place as a comment. The
    document itself stays as downloaded; generate and validate apply the overlay.

    With --merge OTHER (two documents of one product, THG001), the overlay also adds OTHER's
    paths, operations, components and tags that SPEC lacks; then move OTHER out of the folder.
    Nothing is written where the two documents disagree.

    \b
    Examples:
      thg-codegen overlay specs/thg-fulfil.json
      thg-codegen overlay specs/thg-fulfil.json --force
      thg-codegen overlay specs/thg-fulfil.json --merge downloads/thg-fulfil-v2.json
    """
    from .overlay_command import OverlayCommandError, write_starting_overlay

    report = Report("overlay", output_format)
    try:
        written, count = write_starting_overlay(spec, force, merge_from)
    except (OverlayCommandError, OSError) as error:
        report.finish(Exit.INVALID, f"thg-codegen overlay: {error}", error=str(error))
    if written is None:
        report.finish(Exit.OK, f"nothing to write: {spec} needs no hint the tool could not infer")
    report.finish(
        Exit.OK,
        f"wrote {written}: {count} action(s) to review"
        + (
            f"; move {merge_from} out of this folder (THG001: one document per product)"
            if merge_from and merge_from.resolve().parent == spec.resolve().parent
            else ""
        ),
        overlay=str(written),
        actions=count,
    )
