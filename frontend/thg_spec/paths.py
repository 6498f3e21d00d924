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


# `<stem>.overlay.yaml` beside `<stem>.json`: an OpenAPI Overlay holding the hints a published
# document lacks (overlay.py); never a spec of its own.
OVERLAY_MARK = ".overlay"


def is_overlay(path: Path) -> bool:
    return path.suffix.lower() in SPEC_SUFFIXES and path.stem.lower().endswith(OVERLAY_MARK)


def overlay_for(spec: Path) -> Path | None:
    """The overlay beside `spec`, if there is one."""
    for suffix in (".yaml", ".yml", ".json"):
        candidate = spec.with_name(f"{spec.stem}{OVERLAY_MARK}{suffix}")
        if candidate.is_file():
            return candidate
    return None


def input_sha256(spec: Path) -> str:
    """What a generation from `spec` depends on: its bytes, and its overlay's when it has one
    (the same value the loader gives a spec after its overlay applied)."""
    import hashlib

    own = hashlib.sha256(spec.read_bytes()).hexdigest()
    overlay = overlay_for(spec)
    if overlay is None:
        return own
    theirs = hashlib.sha256(overlay.read_bytes()).hexdigest()
    return hashlib.sha256(f"{own}+{theirs}".encode()).hexdigest()


def discover_specs(folder: Path) -> list[Path]:
    """Every spec entry of `folder`: a name ending in .yaml, .yml or .json, whatever it is. An
    entry that cannot be read (a dangling symbolic link, a directory, no permission) is kept, so
    that loading it reports its path instead of the product silently disappearing. Hidden names
    (editors' lock files such as `.#x.yaml`) and overlays (`x.overlay.yaml`) are not specs."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in SPEC_SUFFIXES and not p.name.startswith(".") and not is_overlay(p)
    )
