"""Format stage: black's style, never twice for the same text.

Black is the project's standard, but on a large product it is most of the generation time (at 300
entity types, black alone took longer than everything else together: bench/RESULTS.md). So the
files are written by ``ruff format`` (black's style, same line length and target; a compiled
binary, one short process per file, several at once), and ``black --check generated/`` stays a
test of the result. Where ruff is not installed, black formats in process.

The manifest of the previous run records, per file, the hash of its text before formatting; when
a file's raw text is unchanged and the file on disk is still what that run wrote, its bytes are
reused as they are. In CI the committed ``generated/`` is therefore the cache.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .formatter import ruff_binary
from .render.files import RenderedFile

LINE_LENGTH = 100
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
    # Imported here: black is the fallback formatter and takes a tenth of a second to import.
    import black
    from black.mode import TargetVersion

    mode = black.Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY39})
    return black.format_str(text, mode=mode)


def _ruff_format(ruff: str, path: str, text: str) -> str:
    # --isolated: no configuration file of the working directory may change the output.
    command = [
        ruff,
        "format",
        "--isolated",
        "--line-length",
        str(LINE_LENGTH),
        "--target-version",
        "py39",
        "--stdin-filename",
        path,
        "-",
    ]
    result = subprocess.run(command, input=text, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise ValueError(result.stderr.strip() or f"ruff format exited {result.returncode}")
    return result.stdout


def _ruff_one(item: tuple[str, str]) -> tuple[str, str | None, str]:
    path, text = item
    ruff = ruff_binary()
    assert ruff is not None
    try:
        formatted = _ruff_format(ruff, path, text)
        compile(formatted, path, "exec", dont_inherit=True)
        return path, formatted, ""
    except Exception as error:
        return path, None, str(error)


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
        if not f.python:
            done[f.path] = FormattedFile(f.path, data, sha256(data))
            continue
        raw = sha256(data)
        cached = _reusable(output, f.path, raw, previous)
        if cached is not None:
            done[f.path] = FormattedFile(f.path, cached, raw)
        else:
            todo.append((f.path, f.text))
    if ruff_binary() is not None and todo:
        with ThreadPoolExecutor(max_workers=jobs or 4) as threads:
            results = list(threads.map(_ruff_one, todo))
    elif len(todo) >= _POOL_THRESHOLD and (jobs or 2) > 1:
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
    return data if sha256(data) == recorded[1] else None  # the file is still what we wrote
