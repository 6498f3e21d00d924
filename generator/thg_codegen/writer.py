"""Write stage: the new tree, complete and checked in memory, replaces the old one.

Nothing is written until every file has been rendered and formatted, so a bad spec or a broken
template leaves ``generated/`` byte-identical. Each changed file is written to a temporary name
beside it and renamed over the old one (atomic per file); files the previous run wrote and this
one does not are removed; the manifest goes last. Every path is checked to stay inside the
output folder.

A run can still be killed between two files. So the write is journalled: before the first file,
``.codegen-writing.json`` lists every path the old and the new tree own; it is removed only after
the new manifest is in place. While it exists the tree is known half-written: ``check`` says so
(and never trusts the manifest), and the next ``generate`` removes what neither tree should keep
and sweeps the temporary files (``*.thg-codegen-tmp``) a killed run left behind.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from .formatting import FormattedFile, sha256
from .manifest import JOURNAL, MANIFEST, Manifest

TEMPORARY_SUFFIX = ".thg-codegen-tmp"


class UnsafePathError(ValueError):
    pass


class OutputPathError(Exception):
    """The output folder cannot be written (a file in the way, read-only, the filesystem root);
    one line naming the path."""


def check_output_folder(output: Path) -> None:
    """Refuse, before any work, an output folder that cannot be one."""
    resolved = output.resolve()
    if resolved == Path(resolved.anchor):
        raise OutputPathError(f"refusing to write into {output}: it is the filesystem root")
    for folder in [output, *output.parents]:
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                raise OutputPathError(f"cannot write into {output}: {folder} is not a folder")
            if not os.access(folder, os.W_OK | os.X_OK):
                raise OutputPathError(f"cannot write into {output}: {folder} is read-only")
            return


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
    temporary = target.with_name(f".{target.name}{TEMPORARY_SUFFIX}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:  # KeyboardInterrupt included: leave no temporary file behind
        temporary.unlink(missing_ok=True)
        raise


def interrupted(output: Path) -> bool:
    """Whether a generate was interrupted while writing ``output`` (its journal is still there)."""
    return (output / JOURNAL).is_file()


def leftovers(output: Path) -> list[str]:
    """Temporary files an interrupted generate left in ``output`` (relative paths)."""
    found: list[str] = []
    for folder, _, names in os.walk(output):
        found.extend(
            Path(folder, n).relative_to(output).as_posix()
            for n in names
            if n.endswith(TEMPORARY_SUFFIX)
        )
    return sorted(found)


def _journal_paths(output: Path) -> set[str]:
    try:
        owned = json.loads((output / JOURNAL).read_text(encoding="utf-8"))["owned"]
        return {str(p) for p in owned}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def write_tree(
    output: Path,
    files: Sequence[FormattedFile],
    manifest: Manifest,
    previous: Manifest | None,
) -> tuple[list[str], list[str]]:
    """Write ``files`` into ``output``; returns (written, removed) relative paths.

    OutputPathError (one line, with the path) when the folder cannot be written."""
    check_output_folder(output)
    try:
        return _write_tree(output, files, manifest, previous)
    except OSError as error:
        where = error.filename if error.filename is not None else output
        reason = error.strerror or str(error)
        raise OutputPathError(f"cannot write {where}: {reason}") from error


def _write_tree(
    output: Path,
    files: Sequence[FormattedFile],
    manifest: Manifest,
    previous: Manifest | None,
) -> tuple[list[str], list[str]]:
    output.mkdir(parents=True, exist_ok=True)
    targets = [(f, safe_target(output, f.path)) for f in files]
    new = {f.path for f in files}
    owned = (set(previous.files) if previous else set()) | _journal_paths(output)
    stale_targets = [(path, safe_target(output, path)) for path in sorted(owned - new)]
    for path in leftovers(output):
        (output / path).unlink(missing_ok=True)
    journal = {"owned": sorted(owned | new)}
    _write_atomic(output / JOURNAL, json.dumps(journal, indent=0).encode("utf-8"))
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
    (output / JOURNAL).unlink()
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
