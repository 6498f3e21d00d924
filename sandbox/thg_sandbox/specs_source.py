"""Which specs the sandbox serves when none are named: those of the installed client.

The generated `thg-connect` wheel carries the specs it was generated from as package data
(`thg_connect/_specs/`), so `pip install thg-connect thg-sandbox` serves exactly the API the
installed client speaks, with no clone of the specs. Found without importing the client (its
import brings pydantic and httpx): the pytest plugin asks this at start-up.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

CLIENT_PACKAGE = "thg_connect"
SPECS_FOLDER = "_specs"  # the generator's render.files.SPECS_FOLDER
FALLBACK = Path("specs")


def installed_client_specs() -> Path | None:
    """The specs folder of the installed `thg-connect`, or None (not installed, or older than
    the release that began carrying its specs)."""
    try:
        found = importlib.util.find_spec(CLIENT_PACKAGE)
    except (ImportError, ValueError):
        return None
    for location in (found.submodule_search_locations or []) if found else []:
        folder = Path(location) / SPECS_FOLDER
        if folder.is_dir():
            return folder
    return None


def default_specs() -> Path:
    """The installed client's specs, else `./specs`."""
    return installed_client_specs() or FALLBACK
