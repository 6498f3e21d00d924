"""OLD and NEW as the user names them: a spec file, a folder of specs, or a git revision.

A path that exists wins; otherwise the argument is a revision of the git repository around the
working directory, and its `specs/` folder is read with `git ls-tree`/`git show` into a temporary
folder, so no work tree is touched. Diagnostics of such specs name `REV:specs/<file>`.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from pathlib import Path

from thg_spec import Product
from thg_spec.paths import discover_specs, display_name
from thg_spec.pipeline import SpecError, load_products

SPECS_FOLDER = "specs"


class SourceError(Exception):
    """OLD or NEW names nothing usable; the message says what was tried."""


def _git(root: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if done.returncode != 0:
        raise SourceError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def _repository_root() -> Path:
    try:
        top = _git(Path.cwd(), "rev-parse", "--show-toplevel")
    except (SourceError, OSError) as exc:
        raise SourceError(f"not a git repository here ({exc})") from exc
    return Path(top.decode("utf-8").strip())


def _load_revision(revision: str) -> list[Product]:
    root = _repository_root()
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except SourceError:
        raise SourceError(
            f"{revision!r} is neither a spec file, a folder, nor a git revision"
        ) from None
    listing = _git(root, "ls-tree", "-z", "--name-only", revision, f"{SPECS_FOLDER}/")
    names = sorted(
        entry.decode("utf-8")
        for entry in listing.split(b"\0")
        if entry.endswith(b".yaml") and entry.count(b"/") == 1
    )
    if not names:
        raise SourceError(f"no {SPECS_FOLDER}/*.yaml at revision {revision!r}")
    with tempfile.TemporaryDirectory(prefix="thg-diff-") as tmp:
        folder = Path(tmp) / SPECS_FOLDER
        folder.mkdir()
        shown: dict[str, str] = {}
        for name in names:
            target = folder / Path(name).name
            target.write_bytes(_git(root, "show", f"{revision}:{name}"))
            shown[display_name(target)] = f"{revision}:{name}"
        try:
            return load_products(folder)
        except SpecError as error:
            raise SpecError(
                [dataclasses.replace(d, file=shown.get(d.file, d.file)) for d in error.diagnostics]
            ) from None


def load_source(source: str) -> list[Product]:
    """The products of a spec file, a specs folder, or a git revision's `specs/`.

    Raises SpecError (located diagnostics) when a spec is invalid, SourceError when `source`
    names nothing usable.
    """
    path = Path(source)
    if path.is_dir():
        if not discover_specs(path):
            raise SourceError(f"no spec files in {source} (looked for *.yaml)")
        return load_products(path)
    if path.is_file():
        return load_products([path])
    return _load_revision(source)
