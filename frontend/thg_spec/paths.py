"""Which files are specs and how to name them: no parsing, so a caller that only lists or names
specs (``thg-codegen check`` on unchanged specs) does not import the loader and its YAML parser."""

from __future__ import annotations

from pathlib import Path

# The file suffixes read as specs, and how.
JSON_SUFFIXES = frozenset({".json"})
SPEC_SUFFIXES = frozenset({".yaml", ".yml"}) | JSON_SUFFIXES


def display_name(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def discover_specs(folder: Path) -> list[Path]:
    """Every spec entry of `folder`: a name ending in .yaml, .yml or .json, whatever it is. An
    entry that cannot be read (a dangling symbolic link, a directory, no permission) is kept, so
    that loading it reports its path instead of the product silently disappearing. Hidden names
    (editors' lock files such as `.#x.yaml`) are not specs."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in SPEC_SUFFIXES and not p.name.startswith(".")
    )
