"""The manifest (``.codegen.json``): what produced ``generated/`` and the hash of every file.

With it ``check`` can tell in milliseconds that nothing changed (same specs, templates and
generator; every file still as written), and ``generate`` can skip formatting unchanged files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thg_spec.paths import display_name, input_sha256

from . import __version__
from .formatter import formatter_identity

MANIFEST = ".codegen.json"
JOURNAL = ".codegen-writing.json"  # present while generate writes (writer.py): half-written tree
_GENERATOR_ROOT = Path(__file__).resolve().parent


def _builtin_templates() -> Path:
    # A built distribution carries the templates inside the package (pyproject's package-dir maps
    # the top-level templates/ there); an editable install of a checkout reads templates/ itself.
    packaged = _GENERATOR_ROOT / "templates"
    return packaged if packaged.is_dir() else _GENERATOR_ROOT.parents[1] / "templates"


BUILTIN_TEMPLATES = _builtin_templates()


def template_sources(overrides: Path | None = None) -> dict[str, str]:
    """Name -> text of every template in effect (an override replaces the built-in of its name)."""
    found: dict[str, str] = {}
    for folder in [BUILTIN_TEMPLATES] + ([overrides] if overrides else []):
        for path in sorted(folder.glob("*.j2")):
            found[path.name] = path.read_text(encoding="utf-8")
    return dict(sorted(found.items()))


def _input_sha256(path: Path) -> str:
    """A spec's bytes with its overlay's (thg_spec.paths.input_sha256), as the loader hashes a
    spec an overlay applied to: an overlay edit makes `check` look again."""
    try:
        return input_sha256(path)
    except OSError as error:
        return f"unreadable ({error.strerror or type(error).__name__})"


def spec_hashes(
    paths: Sequence[Path], output: Path | None = None, read: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The generation's inputs besides code: the specs, and the release recorded in
    ``output/released/`` (its version, specs and changelog decide the version and changelog).
    ``read``: display name -> hash of the specs already read (the bytes generated from)."""
    hashes = {}
    for path in paths:
        name = display_name(path)
        hashes[name] = (read or {}).get(name) or _input_sha256(path)
    released = output / "released" if output is not None else None
    if released is not None and released.is_dir():
        for path in sorted(p for p in released.rglob("*") if p.is_file()):
            key = "released/" + path.relative_to(released).as_posix()
            hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def _code_roots() -> list[Path]:
    # Every module of the generator and of the spec front-end it models with: a hand-kept list
    # of "the modules that matter" went stale and let ``check`` pass over a stale tree.
    # Found, not imported: ``check`` on unchanged specs should not pay for importing the loader.
    from importlib.util import find_spec

    spec = find_spec("thg_spec")
    if spec is None or spec.origin is None:
        raise RuntimeError("the spec front-end (thg-spec) is not installed")
    return [_GENERATOR_ROOT, Path(spec.origin).resolve().parent]


def generator_sha256() -> str:
    """One hash over the code that shapes the output (templates are hashed apart): every file of
    the installed generator and front-end packages, and the formatter's name and version."""
    digest = hashlib.sha256(formatter_identity().encode() + b"\0")
    for root in _code_roots():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
                continue
            if path.parent == BUILTIN_TEMPLATES or path.suffix == ".j2":
                continue  # templates_sha256 covers them, overrides included
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}".encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def templates_sha256(sources: Mapping[str, str]) -> str:
    digest = hashlib.sha256()
    for name, text in sorted(sources.items()):
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    generator_sha256: str
    templates_sha256: str
    specs: dict[str, str]  # spec display name -> sha256
    version: str
    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (raw, final)
    # openapi-spec-validator's identity when the specs passed: with ``specs`` and
    # ``generator_sha256``, the verdict cache (generate.trusted_specs). Not an input of the tree.
    validator: str = ""

    def inputs_equal(self, other: Manifest) -> bool:
        return (
            self.generator_sha256 == other.generator_sha256
            and self.templates_sha256 == other.templates_sha256
            and self.specs == other.specs
        )

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "generator": {
                "name": "thg-codegen",
                "version": __version__,
                "sha256": self.generator_sha256,
            },
            "templates": {"sha256": self.templates_sha256},
            "specs": dict(sorted(self.specs.items())),
            "version": self.version,
            "validated_with": self.validator,
            "files": {
                path: {"raw": raw, "sha256": final}
                for path, (raw, final) in sorted(self.files.items())
            },
        }
        return json.dumps(data, indent=2, ensure_ascii=True) + "\n"

    @classmethod
    def read(cls, output: Path) -> Manifest | None:
        try:
            data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
            return cls(
                generator_sha256=str(data["generator"]["sha256"]),
                templates_sha256=str(data["templates"]["sha256"]),
                specs={str(k): str(v) for k, v in data["specs"].items()},
                version=str(data["version"]),
                files={
                    str(path): (str(entry["raw"]), str(entry["sha256"]))
                    for path, entry in data["files"].items()
                },
                validator=str(data.get("validated_with", "")),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


def output_is_current(specs: Sequence[Path], output: Path, templates: Path | None) -> bool:
    """True when the manifest proves ``output`` current without rendering anything: the same
    specs, templates and generator, and every file still as that run wrote it. Imports nothing
    heavy, so ``thg-codegen check`` on unchanged specs answers in milliseconds."""
    previous = Manifest.read(output)
    if previous is None or (output / JOURNAL).exists():
        return False
    current = Manifest(
        generator_sha256(),
        templates_sha256(template_sources(templates)),
        spec_hashes(specs, output),
        previous.version,
    )
    if not previous.inputs_equal(current):
        return False
    for path, (_, final) in previous.files.items():
        try:
            if hashlib.sha256((output / path).read_bytes()).hexdigest() != final:
                return False
        except OSError:
            return False
    return True
