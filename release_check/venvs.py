"""The Pythons to check on, and the venvs holding the wheels under test (cached).

A venv is keyed by the Python's version, the wheels' content hashes, the other requirements and
the pins: a repeat run with the same distributions reuses it, any change makes a new one (old
ones go after an hour unused). Each venv is made ``--without-pip`` and filled by running the
interpreter's own bundled pip wheel (ensurepip's), so nothing but the distributions and their
dependencies ends up in it, and no pip is downloaded. The dependencies are installed at the
versions of that Python's pins file (``pins.py``) when one is given.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .build import INSTALL_TIMEOUT
from .cache import cache_lock, is_ready, mark_ready, prune
from .commands import ReleaseCheckError, clean_env, run
from .contents import wheel_content_sha256

SUPPORTED = ("3.9", "3.10", "3.11", "3.12", "3.13")
# Runs on the candidate Python: its version, and where its bundled pip wheel would be.
_VERSION = (
    "import sys, ensurepip, os; print('%d.%d.%d' % sys.version_info[:3]); "
    "print(os.path.dirname(ensurepip.__file__))"
)


@dataclass(frozen=True)
class Interpreter:
    minor: str  # "3.9"
    version: str  # "3.9.18"
    path: Path
    bundled_pip: Path | None  # ensurepip's pip wheel, when the build kept it


@dataclass(frozen=True)
class Venv:
    python: Path
    cached: bool
    seconds: float


def _patch(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def _candidates(minor: str) -> list[Path]:
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = [
        d / "bin" / f"python{minor}"
        for d in sorted(root.glob(f"{minor}.*"), key=lambda d: _patch(d.name), reverse=True)
        if re.fullmatch(rf"{re.escape(minor)}\.\d+", d.name)  # no 3.13.0t, 3.12-dev, …
    ]
    on_path = shutil.which(f"python{minor}")
    return [p for p in found if p.exists()] + ([Path(on_path)] if on_path else [])


def find_interpreter(minor: str) -> Interpreter | None:
    """The newest Python ``minor`` under pyenv's versions, else ``pythonX.Y`` on PATH."""
    for path in _candidates(minor):
        try:
            out = run([path, "-I", "-c", _VERSION], what=f"python{minor} --version", timeout=30)
        except ReleaseCheckError:
            continue
        version, ensurepip_dir = out.split()[:2]
        if version.rsplit(".", 1)[0] != minor:
            continue
        wheels = sorted(Path(ensurepip_dir, "_bundled").glob("pip-*.whl"))
        return Interpreter(minor, version, path, wheels[-1] if wheels else None)
    return None


def venv_key(
    interpreter: Interpreter,
    wheels: Sequence[Path],
    requirements: Sequence[str] = (),
    constraints: Path | None = None,
) -> str:
    digest = hashlib.sha256(interpreter.version.encode())
    for wheel in wheels:
        digest.update(wheel.name.encode() + wheel_content_sha256(wheel).encode())
    for requirement in requirements:
        digest.update(b"\0" + requirement.encode())
    if constraints is not None:
        digest.update(b"\0constraints\0" + constraints.read_bytes())
    return digest.hexdigest()[:16]


def ensure_venv(
    interpreter: Interpreter,
    wheels: Sequence[Path],
    cache: Path,
    *,
    fresh: bool = False,
    requirements: Sequence[str] = (),
    constraints: Path | None = None,
    prefix: str = "",
) -> Venv:
    """A venv on ``interpreter`` with ``wheels``, ``requirements`` (names from the registry) and
    their dependencies installed, at the versions of the ``constraints`` file if given;
    ``prefix`` tells apart venvs of different contents on one Python (pruned separately)."""
    started = time.monotonic()
    prefix = f"{prefix}py{interpreter.minor}-"
    key = venv_key(interpreter, wheels, requirements, constraints)
    home = cache / "venvs" / (prefix + key)
    python = home / "bin" / "python"
    if is_ready(home) and not fresh:
        return Venv(python, True, time.monotonic() - started)
    with cache_lock(cache):
        if is_ready(home) and not fresh:  # made by a concurrent run while we waited
            return Venv(python, True, time.monotonic() - started)
        if fresh:
            shutil.rmtree(home, ignore_errors=True)
        prune(cache / "venvs", prefix + "*", keep=home)
        _create(interpreter, home, [*wheels, *requirements], constraints)
        mark_ready(home, "\n".join([*(w.name for w in wheels), *requirements]) + "\n")
    return Venv(python, False, time.monotonic() - started)


def _create(
    interpreter: Interpreter,
    home: Path,
    wheels: Sequence[Path | str],
    constraints: Path | None,
) -> None:
    python = home / "bin" / "python"
    home.parent.mkdir(parents=True, exist_ok=True)
    what = f"python{interpreter.minor}"
    if interpreter.bundled_pip is not None:
        run([interpreter.path, "-m", "venv", "--without-pip", home], what=what, timeout=120)
        pip: list[str | Path] = [python, interpreter.bundled_pip / "pip"]
    else:
        run([interpreter.path, "-m", "venv", home], what=what, timeout=300)
        pip = [python, "-m", "pip"]
    install = [*pip, "install", "--quiet", "--no-input", "--disable-pip-version-check"]
    if constraints is not None:
        install += ["--constraint", constraints]
        # The pins file alone: a PIP_CONSTRAINT meant for this repo's installs would contradict it.
        env = {k: v for k, v in clean_env().items() if k != "PIP_CONSTRAINT"}
    else:
        env = clean_env()
    run([*install, *wheels], what=f"{what}: pip install", timeout=INSTALL_TIMEOUT, env=env)
