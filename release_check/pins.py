"""Exact versions per Python for the release check's venvs: ``release_check/pins/py3.X.txt``.

``constraints.txt`` pins this repo's own installs and is resolved on Python 3.11, where several
of its versions need 3.10 or 3.11 (pytest 9, python-multipart 0.0.34, openapi-spec-validator
0.9, …): it cannot install on 3.9 or 3.10. So each Python the client supports gets the
resolution of the same published ranges on itself, of exactly what a user's test environment
holds (the four distributions of ``KIT_PROJECTS`` and the test runner), written by
``python -m release_check.pins`` (which ``bash scripts/lock`` runs after writing
``constraints.txt``) and used as pip constraints by every venv of the matrix: a release check
run twice installs the same versions, and a dependency's new release changes nothing until the
pins are refreshed and reviewed.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from .commands import ReleaseCheckError, clean_env, run
from .venvs import SUPPORTED, Interpreter, find_interpreter

PINS_DIR = Path(__file__).with_name("pins")
KIT_PROJECTS = ("runtime", "generated", "frontend", "sandbox")
TEST_RUNNER = "pytest"  # what the user's test environment adds besides our distributions
RESOLVE_TIMEOUT = 600.0
_OURS = re.compile(r"thg[-_.]")
_PIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!_-]+")


def pins_file(minor: str) -> Path:
    return PINS_DIR / f"py{minor}.txt"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    return parse_pins(path.read_text(encoding="utf-8"), str(path))


def parse_pins(text: str, source: str) -> dict[str, str]:
    """``name -> version`` (canonical names) of a pins file's ``text``; raises, naming
    ``source`` and the line, on any line that is neither a comment nor a pin."""
    pins: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        pin = line.split("#", 1)[0].strip()
        if not pin:
            continue
        if not _PIN.fullmatch(pin):
            raise ReleaseCheckError(f"{source}:{number}: not a `name==version` pin: {line!r}")
        name, version = pin.split("==")
        pins[canonical(name)] = version
    return pins


def format_pins(interpreter: Interpreter, pins: Iterable[tuple[str, str]]) -> str:
    header = [
        "# The release check's venvs on this Python (release_check/pins.py): written by",
        "# bash scripts/lock, which resolves the kit's published ranges here.",
        f"# Resolved on Python {interpreter.version}.",
    ]
    lines = sorted((f"{name}=={version}" for name, version in pins), key=str.lower)
    return "\n".join(header + lines) + "\n"


def resolve(interpreter: Interpreter, root: Path, work: Path) -> list[tuple[str, str]]:
    """What pip installs on ``interpreter`` for the kit from the projects' own ranges (no pins),
    as ``(name, version)``, our own distributions left out (they are the ones under test)."""
    venv = work / f"py{interpreter.minor}"
    shutil.rmtree(venv, ignore_errors=True)
    run([interpreter.path, "-m", "venv", venv], what=f"python{interpreter.minor} venv", timeout=300)
    report = work / f"py{interpreter.minor}.json"
    command: list[str | Path] = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
    command += ["--disable-pip-version-check", "--dry-run", "--ignore-installed"]
    command += ["--report", report, *(root / project for project in KIT_PROJECTS), TEST_RUNNER]
    env = {k: v for k, v in clean_env().items() if k != "PIP_CONSTRAINT"}
    run(command, what=f"python{interpreter.minor}: resolve", timeout=RESOLVE_TIMEOUT, env=env)
    installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    found = [(str(i["metadata"]["name"]), str(i["metadata"]["version"])) for i in installs]
    return [(name, version) for name, version in found if not _OURS.match(name)]


def write_pins(root: Path, minors: Sequence[str] = SUPPORTED) -> list[str]:
    """Refresh the pins of every Python of ``minors`` found here; a line per Python."""
    done: list[str] = []
    with tempfile.TemporaryDirectory(prefix="release-pins-") as scratch:
        for minor in minors:
            interpreter = find_interpreter(minor)
            if interpreter is None:
                done.append(f"python{minor}: not found, {pins_file(minor).name} left as it is")
                continue
            pins = resolve(interpreter, root, Path(scratch))
            PINS_DIR.mkdir(exist_ok=True)
            pins_file(minor).write_text(format_pins(interpreter, pins), encoding="utf-8")
            done.append(f"python{interpreter.version}: {len(pins)} pins")
    return done


if __name__ == "__main__":
    try:
        for line in write_pins(Path(__file__).resolve().parents[1]):
            print(line, file=sys.stderr)
    except ReleaseCheckError as exc:
        print(f"pins: {exc}", file=sys.stderr)
        sys.exit(1)
