"""The whole generator as two calls: ``generate`` (write ``generated/``) and ``check`` (is it
what the specs would produce?). load → validate → model → render → format → write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from thg_spec import Product, build_product
from thg_spec.diagnostics import has_errors
from thg_spec.loader import LoadedSpec
from thg_spec.paths import overlay_for
from thg_spec.pipeline import SpecError, load_products
from thg_spec.validation import load_paths
from thg_spec.validation.checks import validate_loaded
from thg_spec.validation.openapi_schema import validator_identity

from . import naming
from .formatting import FormattedFile, format_files, sha256
from .manifest import (
    MANIFEST,
    Manifest,
    generator_sha256,
    spec_hashes,
    template_sources,
    templates_sha256,
)
from .model.package import ProductPackage, build_package
from .render import render_files, template_environment
from .versioning import Release, Versioning, plan_version, read_release, record_release
from .writer import check_output_folder, interrupted, leftovers, tree_differences, write_tree

# Attributes of the generated Client a product attribute must not take.
_CLIENT_MEMBERS = {"get", "owner", "api", "for_owner", "close", "from_env"}


class TemplateError(Exception):
    """A template failed to render (a broken override, usually); nothing was written."""


@dataclass(frozen=True)
class Plan:
    files: list[FormattedFile]
    manifest: Manifest
    previous: Manifest | None
    versioning: Versioning


def load_released(output: Path) -> tuple[Release | None, list[Product]]:
    """The release recorded in ``output`` and its products (none recorded: None, [])."""
    release = read_release(output)
    if release is None:
        return None, []
    return release, load_products(release.specs)


def _model(loaded: Sequence[LoadedSpec]) -> list[ProductPackage]:
    names = naming.Namespace(_CLIENT_MEMBERS, avoid_builtins=True)
    packages = []
    for spec in sorted(loaded, key=lambda s: s.display_name):
        product = build_product(spec)
        packages.append(build_package(product, names.claim(naming.snake(product.name))))
    return packages


def plan(specs: Sequence[Path], output: Path, templates: Path | None = None) -> Plan:
    """The complete new tree in memory, formatted, with its manifest.

    SpecError (every diagnostic) if any spec is invalid. Validation runs in this process, before
    anything is modelled; the OpenAPI 3.1 check (the slow part) is skipped for specs the
    previous manifest shows passed it (``trusted_specs``).
    """
    loaded, siblings, problems = load_paths(list(specs))
    previous = Manifest.read(output)
    code = generator_sha256()  # hashes every module: once per run
    trusted = trusted_specs(previous, code)
    problems = sorted(set(problems + validate_loaded(loaded, siblings, trusted)))
    if has_errors(problems):
        raise SpecError(problems)
    return _build(loaded, specs, output, templates, previous, code)


def trusted_specs(previous: Manifest | None, code: str) -> frozenset[str]:
    """The verdict cache: content hashes of the specs that passed the OpenAPI check last time.

    A manifest is written only after every spec passed validation, so each spec hash it records
    is such a verdict; it counts while the code that loaded and validated it (``generator_sha256``
    covers the generator and thg_spec: ``code``) and the validator (``validator_identity``) are
    unchanged.
    """
    if previous is None or previous.validator != validator_identity():
        return frozenset()
    if previous.generator_sha256 != code:
        return frozenset()
    return frozenset(h for name, h in previous.specs.items() if not name.startswith("released/"))


def _build(
    loaded: Sequence[LoadedSpec],
    specs: Sequence[Path],
    output: Path,
    templates: Path | None,
    previous: Manifest | None,
    code: str,
) -> Plan:
    packages = _model(loaded)
    release, released_products = load_released(output)
    versioning = plan_version([p.product for p in packages], release, released_products)
    version = versioning.version
    env = template_environment(templates)
    try:
        spec_texts = [(Path(s.display_name).name, s.text) for s in loaded]
        # An overlay travels with its document: the package's specs must read as generated from.
        overlays = [overlay_for(s.path) for s in loaded]
        spec_texts += [(o.name, o.read_text("utf-8")) for o in overlays if o is not None]
        rendered = render_files(env, packages, version, versioning.changelog, spec_texts)
    except jinja2.TemplateError as error:
        where = (
            f"{error.filename}:{error.lineno}"
            if isinstance(error, jinja2.TemplateSyntaxError)
            else type(error).__name__
        )
        raise TemplateError(f"template error ({where}): {error}") from error
    files = format_files(rendered, previous.files if previous else {}, output)
    manifest = Manifest(
        generator_sha256=code,
        templates_sha256=templates_sha256(template_sources(templates)),
        specs=spec_hashes(specs, output, {s.display_name: s.sha256 for s in loaded}),
        version=version,
        validator=validator_identity(),
        files={f.path: (f.raw_sha256, sha256(f.data)) for f in files},
    )
    return Plan(files, manifest, previous, versioning)


def generate(
    specs: Sequence[Path], output: Path, templates: Path | None = None
) -> tuple[list[str], list[str]]:
    """Write the client into ``output``; returns (written, removed) paths.

    OutputPathError before any work when ``output`` cannot be a folder we write."""
    check_output_folder(output)
    result = plan(specs, output, templates)
    return write_tree(output, result.files, result.manifest, result.previous)


def check(specs: Sequence[Path], output: Path, templates: Path | None = None) -> list[str]:
    """What differs between ``output`` and what ``specs`` would produce (empty: up to date).

    Plans the whole tree: the CLI asks the manifest first (``output_is_current``), which hashes
    every spec, template, module and output file, and calls this only when that cannot tell."""
    result = plan(specs, output, templates)
    problems = tree_differences(output, result.files)
    if interrupted(output):
        problems.append(f"incomplete {output}: a generate was interrupted while writing it")
    problems.extend(f"leftover {p}" for p in leftovers(output))
    if result.previous is None:
        problems.append(f"missing  {MANIFEST}")
    else:
        expected = {f.path for f in result.files}
        problems.extend(f"stale    {p}" for p in sorted(set(result.previous.files) - expected))
        if not result.previous.inputs_equal(result.manifest):
            problems.append(f"outdated {MANIFEST} (specs, templates or generator changed)")
    return problems


def release(specs: Sequence[Path], output: Path, templates: Path | None = None) -> str:
    """Record the current generation as released (version, specs, changelog) and regenerate
    so the changelog shows it released; returns the version."""
    result = plan(specs, output, templates)
    record_release(output, specs, result.versioning.version, result.versioning.changelog)
    generate(specs, output, templates)
    return result.versioning.version
