"""Which formatter writes the files: ``ruff format`` where its binary is installed, else black.

Kept apart from ``formatting`` (which imports the render stage, and so Jinja): the manifest names
the formatter in the generator's hash, and ``check`` on unchanged specs must stay light.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def ruff_binary() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except ImportError:
        return None
    try:
        return str(find_ruff_bin())
    except FileNotFoundError:
        return None


def formatter_identity() -> str:
    """The formatter that will write the files, by name and version (its style can change)."""
    from importlib.metadata import PackageNotFoundError, version

    name = "ruff" if ruff_binary() is not None else "black"
    try:
        return f"{name} {version(name)}"
    except PackageNotFoundError:
        return f"{name} unknown"
