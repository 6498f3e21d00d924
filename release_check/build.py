"""Building the runtime's and the generated package's wheel and sdist, and ``twine check``.

Each folder is copied aside first (without egg-info, caches or old builds), so what is built is
what a fresh clone would build. The build runs ``python -m build --no-isolation`` in one cached
build environment holding the folders' declared build requirements: an isolated build makes two
throwaway environments per folder (about 15 s each here), the cached one builds in seconds.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .cache import cache_lock, is_ready, mark_ready, prune
from .commands import ReleaseCheckError, run

BUILD_TIMEOUT = 300.0
INSTALL_TIMEOUT = 600.0
BUILD_FRONTEND = "build>=1.2"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_COPY_IGNORE = shutil.ignore_patterns(
    "*.egg-info", "__pycache__", "*.pyc", ".mypy_cache", ".pytest_cache", "build", "dist"
)


@dataclass(frozen=True)
class Built:
    """One folder's distributions."""

    project: Path
    wheel: Path
    sdist: Path


def build_requirements(projects: Sequence[Path]) -> list[str]:
    """Every ``[build-system] requires`` of ``projects``, plus the ``build`` frontend."""
    found = {BUILD_FRONTEND}
    for project in projects:
        data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
        found.update(data.get("build-system", {}).get("requires", []))
    return sorted(found)


def ensure_build_env(cache: Path, requirements: Sequence[str]) -> Path:
    """The Python of a build environment holding ``requirements``, made once per set of them."""
    key = hashlib.sha256("\n".join([sys.version, *requirements]).encode()).hexdigest()[:16]
    env = cache / f"build-env-{key}"
    python = env / "bin" / "python"
    if is_ready(env):
        return python
    with cache_lock(cache):
        if is_ready(env):  # made by a concurrent run while we waited
            return python
        prune(cache, "build-env-*", keep=env)
        run([sys.executable, "-m", "venv", "--without-pip", env], what="build env", timeout=60)
        # This interpreter's pip installs into the new environment, so it needs no pip of its own.
        pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", python, "install"]
        run([*pip, "-q", *requirements], what="build env: pip install", timeout=INSTALL_TIMEOUT)
        mark_ready(env, "\n".join(requirements) + "\n")
    return python


def build(project: Path, work: Path, build_python: Path) -> Built:
    """Build ``project``'s sdist, then its wheel from that sdist, into ``work``."""
    source = work / "src" / project.name
    out = work / "dist" / project.name
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(project, source, ignore=_COPY_IGNORE)
    command: list[str | Path] = [
        build_python,
        "-m",
        "build",
        "--no-isolation",
        "--outdir",
        out,
        source,
    ]
    run(command, what=f"build {project.name}/", timeout=BUILD_TIMEOUT, cwd=work)
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise ReleaseCheckError(f"build {project.name}/: expected one wheel and one sdist in {out}")
    return Built(project, wheels[0], sdists[0])


def twine_check(paths: Sequence[Path]) -> list[str]:
    """``twine check`` of ``paths``: raises on errors, returns the warnings (metadata a package
    index would accept but shows badly, such as a missing long description)."""
    output = run(
        [sys.executable, "-m", "twine", "check", *paths],
        what="twine check",
        timeout=120,
        # Wide enough that no "Checking <path>" line wraps and loses the file name.
        env={"NO_COLOR": "1", "COLUMNS": "10000", "PATH": "/usr/bin:/bin"},
    )
    warnings: list[str] = []
    current = ""
    for line in _ANSI.sub("", output).splitlines():
        if line.startswith("Checking "):
            current = Path(line.removeprefix("Checking ").split(":")[0]).name
        elif "WARNING" in line:
            warnings.append(f"{current}: {line.split('WARNING', 1)[1].strip()}")
    return warnings
