"""Format stage: black, in process, never twice for the same text.

The manifest of the previous run records, per file, the hash of its text before formatting; when
a file's raw text is unchanged and the file on disk is still what that run wrote, its bytes are
reused as they are. In CI the committed ``generated/`` is therefore the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import black
from black.mode import TargetVersion

from .render.files import RenderedFile

LINE_LENGTH = 100
_MODE = black.Mode(
    line_length=LINE_LENGTH,
    target_versions={TargetVersion.PY39},
)
# Below this many files to format a pool costs more than it saves.
_POOL_THRESHOLD = 24


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class FormattedFile:
    path: str
    data: bytes
    raw_sha256: str  # hash of the rendered text before formatting


class FormattingError(Exception):
    """A rendered file is not valid Python (a template bug or an override's)."""

    def __init__(self, path: str, error: Exception) -> None:
        self.path = path
        super().__init__(f"{path}: the rendered code does not parse: {error}")


def format_python(text: str) -> str:
    return black.format_str(text, mode=_MODE)


def _format_one(item: tuple[str, str]) -> tuple[str, str | None, str]:
    path, text = item
    try:
        formatted = format_python(text)
        # black's grammar accepts some code Python refuses (a duplicate argument name):
        # compiling here turns such a generator bug into a clean error before anything is written.
        compile(formatted, path, "exec", dont_inherit=True)
        return path, formatted, ""
    except Exception as error:  # black reports syntax errors with several exception types
        return path, None, str(error)


def format_files(
    files: Sequence[RenderedFile],
    previous: Mapping[str, tuple[str, str]],
    output: Path,
    *,
    jobs: int = 0,
) -> list[FormattedFile]:
    """Format every Python file; ``previous`` maps a path to (raw sha256, final sha256) of the
    last run, whose output in ``output`` is reused where nothing changed."""
    done: dict[str, FormattedFile] = {}
    todo: list[tuple[str, str]] = []
    for f in files:
        data = f.text.encode("utf-8")
        raw = sha256(data)
        if not f.python:
            done[f.path] = FormattedFile(f.path, data, raw)
            continue
        cached = _reusable(output, f.path, raw, previous)
        if cached is not None:
            done[f.path] = FormattedFile(f.path, cached, raw)
        else:
            todo.append((f.path, f.text))
    if len(todo) >= _POOL_THRESHOLD and (jobs or 2) > 1:
        with ProcessPoolExecutor(max_workers=jobs or None) as pool:
            results = list(pool.map(_format_one, todo, chunksize=8))
    else:
        results = [_format_one(item) for item in todo]
    raw_text = dict(todo)
    for path, formatted, error in results:
        if formatted is None:
            raise FormattingError(path, ValueError(error))
        raw = sha256(raw_text[path].encode("utf-8"))
        done[path] = FormattedFile(path, formatted.encode("utf-8"), raw)
    return [done[f.path] for f in files]


def _reusable(
    output: Path, path: str, raw: str, previous: Mapping[str, tuple[str, str]]
) -> bytes | None:
    recorded = previous.get(path)
    if recorded is None or recorded[0] != raw:
        return None
    try:
        data = (output / path).read_bytes()
    except OSError:
        return None
    return data if sha256(data) == recorded[1] else None
