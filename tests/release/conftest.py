"""One build of both distributions and one sandbox subprocess per test session.

The venvs are cached in ``.release-check/`` (shared with ``scripts/release-check``) and keyed by
the wheels' contents, so a repeat run installs nothing. ``THG_FULL_MATRIX=1`` checks every
Python 3.9-3.13 found on the machine instead of 3.11 alone (the client), and instead of the ends
3.9 and 3.13 (the testing kit).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from release_check.build import Built
from release_check.kit import KitRow, check_kit
from release_check.matrix import (
    Distributions,
    Row,
    build_distributions,
    check_python,
    write_examples,
)
from release_check.publish import build_others, readme_test_file
from release_check.sandbox_process import SandboxProcess
from release_check.venvs import SUPPORTED, find_interpreter

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".release-check"
FULL_MATRIX = os.environ.get("THG_FULL_MATRIX") == "1"
CI_PYTHON = "3.11"


# The testing kit's ends in CI (3.11 is the publish step's, from a package index); every Python
# with THG_FULL_MATRIX=1 (about 30 s more per Python with a cold cache).
KIT_CI_PYTHONS = ("3.9", "3.13")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "python_minor" in metafunc.fixturenames:
        metafunc.parametrize("python_minor", SUPPORTED if FULL_MATRIX else (CI_PYTHON,))
    if "kit_minor" in metafunc.fixturenames:
        metafunc.parametrize("kit_minor", SUPPORTED if FULL_MATRIX else KIT_CI_PYTHONS)


@pytest.fixture(scope="session")
def release_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("release")


@pytest.fixture(scope="session")
def sandbox_process(release_work: Path) -> Iterator[SandboxProcess]:
    with SandboxProcess(ROOT, release_work / "sandbox.log") as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def distributions(release_work: Path, sandbox_process: SandboxProcess) -> Distributions:
    # Asks for the sandbox first so that it loads the specs while the build runs.
    return build_distributions(ROOT, release_work, CACHE)


@pytest.fixture(scope="session")
def python_rows(
    release_work: Path, sandbox_process: SandboxProcess, distributions: Distributions
) -> dict[str, Row]:
    """Filled on demand: one install/import/models/smoke row per Python minor version."""
    return {}


@pytest.fixture
def python_row(
    python_minor: str,
    python_rows: dict[str, Row],
    release_work: Path,
    sandbox_process: SandboxProcess,
    distributions: Distributions,
) -> Row:
    if python_minor not in python_rows:
        interpreter = find_interpreter(python_minor)
        if interpreter is None:
            pytest.skip(f"python{python_minor} is not installed on this machine")
        examples = write_examples(ROOT, release_work)
        python_rows[python_minor] = check_python(
            interpreter,
            distributions,
            sandbox_process,
            work=release_work,
            cache=CACHE,
            examples=examples,
        )
    return python_rows[python_minor]


@pytest.fixture(scope="session")
def others(release_work: Path, distributions: Distributions) -> list[Built]:
    """``frontend/`` and ``sandbox/`` built once for the kit rows and the publish step."""
    return build_others(ROOT, release_work, CACHE)


@pytest.fixture(scope="session")
def kit_rows() -> dict[str, KitRow]:
    """Filled on demand: one testing-kit row per Python minor version."""
    return {}


@pytest.fixture
def kit_row(
    kit_minor: str,
    kit_rows: dict[str, KitRow],
    release_work: Path,
    distributions: Distributions,
    others: list[Built],
) -> KitRow:
    if kit_minor not in kit_rows:
        interpreter = find_interpreter(kit_minor)
        if interpreter is None:
            pytest.skip(f"python{kit_minor} is not installed on this machine")
        wheels = [distributions.runtime.wheel, distributions.generated.wheel]
        kit_rows[kit_minor] = check_kit(
            interpreter,
            [*wheels, *(b.wheel for b in others)],
            work=release_work,
            cache=CACHE,
            test_file=readme_test_file(ROOT),
        )
    return kit_rows[kit_minor]
