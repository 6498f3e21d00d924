"""Write stage: the new tree, complete and checked in memory, replaces the old one.

Nothing is written until every file has been rendered and formatted, so a bad spec or a broken
template leaves ``generated/`` byte-identical. Each changed file is written to a temporary name
beside it and renamed over the old one (atomic per file); files the previous run wrote and this
one does not are removed; the manifest goes last. Every path is checked to stay inside the
output folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from .formatting import FormattedFile, sha256
from .manifest import MANIFEST, Manifest


class UnsafePathError(ValueError):
    pass


def safe_target(output: Path, relative: str) -> Path:
    """``output / relative``, refusing anything that could leave ``output``."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts):
        raise UnsafePathError(f"refusing to write {relative!r}: not a plain relative path")
    target = output.joinpath(*pure.parts)
    root = output.resolve()
    if root not in target.resolve().parents:
        raise UnsafePathError(f"refusing to write {relative!r}: outside {output}")
    return target


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.thg-codegen-tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, target)


def write_tree(
    output: Path,
    files: Sequence[FormattedFile],
    manifest: Manifest,
    previous: Manifest | None,
) -> tuple[list[str], list[str]]:
    """Write ``files`` into ``output``; returns (written, removed) relative paths."""
    output.mkdir(parents=True, exist_ok=True)
    targets = [(f, safe_target(output, f.path)) for f in files]
    stale = sorted(set(previous.files) - {f.path for f in files}) if previous else []
    stale_targets = [(path, safe_target(output, path)) for path in stale]
    written = []
    for f, target in targets:
        try:
            unchanged = target.read_bytes() == f.data
        except OSError:
            unchanged = False
        if not unchanged:
            _write_atomic(target, f.data)
            written.append(f.path)
    removed = []
    for path, target in stale_targets:
        if target.is_file():
            target.unlink()
            removed.append(path)
            _prune_empty(target.parent, output)
    _write_atomic(output / MANIFEST, manifest.to_json().encode("utf-8"))
    return written, removed


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def tree_differences(output: Path, files: Iterable[FormattedFile]) -> list[str]:
    """What differs between ``output`` and ``files``: one line per file (changed, missing)."""
    problems = []
    for f in files:
        target = output / f.path
        try:
            data = target.read_bytes()
        except OSError:
            problems.append(f"missing  {f.path}")
            continue
        if sha256(data) != sha256(f.data):
            problems.append(f"changed  {f.path}")
    return problems
