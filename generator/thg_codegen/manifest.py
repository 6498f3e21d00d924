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

from . import __version__
from .loader import display_name

MANIFEST = ".codegen.json"
_GENERATOR_ROOT = Path(__file__).resolve().parent
BUILTIN_TEMPLATES = _GENERATOR_ROOT / "templates"


def template_sources(overrides: Path | None = None) -> dict[str, str]:
    """Name -> text of every template in effect (an override replaces the built-in of its name)."""
    found: dict[str, str] = {}
    for folder in [BUILTIN_TEMPLATES] + ([overrides] if overrides else []):
        for path in sorted(folder.glob("*.j2")):
            found[path.name] = path.read_text(encoding="utf-8")
    return dict(sorted(found.items()))


def spec_hashes(paths: Sequence[Path], output: Path | None = None) -> dict[str, str]:
    """The generation's inputs besides code: the specs, and the release recorded in
    ``output/released/`` (its version, specs and changelog decide the version and changelog)."""
    hashes = {display_name(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    released = output / "released" if output is not None else None
    if released is not None and released.is_dir():
        for path in sorted(p for p in released.rglob("*") if p.is_file()):
            key = "released/" + path.relative_to(released).as_posix()
            hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


# The modules whose code decides the output; the validator, the CLI and ``diff`` do not.
_OUTPUT_SOURCES = ("model", "render", "naming.py", "formatting.py", "generate.py", "writer.py",
                   "conventions.py", "spec_index.py", "pointer.py")  # fmt: skip


def generator_sha256() -> str:
    """One hash over the generator sources that shape the output (templates hashed apart)."""
    digest = hashlib.sha256()
    paths: list[Path] = []
    for name in _OUTPUT_SOURCES:
        target = _GENERATOR_ROOT / name
        paths.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
    for path in paths:
        digest.update(path.relative_to(_GENERATOR_ROOT).as_posix().encode() + b"\0")
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

    def inputs_equal(self, other: Manifest) -> bool:
        return (
            self.generator_sha256 == other.generator_sha256
            and self.templates_sha256 == other.templates_sha256
            and self.specs == other.specs
        )

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "generator": {"name": "thg-codegen", "version": __version__,
                          "sha256": self.generator_sha256},
            "templates": {"sha256": self.templates_sha256},
            "specs": dict(sorted(self.specs.items())),
            "version": self.version,
            "files": {
                path: {"raw": raw, "sha256": final}
                for path, (raw, final) in sorted(self.files.items())
            },
        }  # fmt: skip
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
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


def output_is_current(specs: Sequence[Path], output: Path, templates: Path | None) -> bool:
    """True when the manifest proves ``output`` current without rendering anything: the same
    specs, templates and generator, and every file still as that run wrote it. Imports nothing
    heavy, so ``thg-codegen check`` on unchanged specs answers in milliseconds."""
    previous = Manifest.read(output)
    if previous is None:
        return False
    current = Manifest(
        generator_sha256(), templates_sha256(template_sources(templates)),
        spec_hashes(specs, output), previous.version,
    )  # fmt: skip
    if not previous.inputs_equal(current):
        return False
    for path, (_, final) in previous.files.items():
        try:
            if hashlib.sha256((output / path).read_bytes()).hexdigest() != final:
                return False
        except OSError:
            return False
    return True
