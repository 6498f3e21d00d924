"""The testing kit per Python (issue 16): a venv per Python 3.9-3.13 holding the built wheels of
all four distributions and the test runner, at that Python's pins, where the publish step's
checks run with what it installed: ``thg-sandbox serve`` without ``--specs`` (the installed
client's), the smoke test through the installed client, and the README's ``thg_clients`` test
under pytest. The publish step does the same on one Python with the packages installed by name
from a package index; this is the same user's environment on every Python the client supports.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .build import Built
from .commands import ReleaseCheckError
from .pins import TEST_RUNNER, pins_file
from .publish import check_installed
from .venvs import Interpreter, ensure_venv, find_interpreter

KIT_PREFIX = "kit-"  # the kit's venvs beside the client's in .release-check/venvs


@dataclass
class KitRow:
    """One Python's kit results: each step "ok", "cached", "FAIL" or "-" (not reached)."""

    minor: str
    version: str = "not found"
    install: str = "-"
    smoke: str = "-"  # thg-sandbox serve without --specs, then the smoke test
    fixture_test: str = "-"
    seconds: float = 0.0
    failure: str = ""
    installed: dict[str, str] = field(default_factory=dict)  # our distributions -> version

    @property
    def ok(self) -> bool:
        return self.version == "not found" or not self.failure


def check_kit(
    interpreter: Interpreter,
    wheels: Sequence[Path],
    *,
    work: Path,
    cache: Path,
    test_file: str,
    fresh: bool = False,
) -> KitRow:
    """The kit's venv on ``interpreter`` and the installed checks, ``test_file`` being the
    README's fixture-based test file; failures land in the row."""
    row = KitRow(interpreter.minor, interpreter.version)
    started = time.monotonic()
    try:
        pins = pins_file(interpreter.minor)
        if not pins.is_file():
            raise ReleaseCheckError(f"no {pins}: run bash scripts/lock")
        venv = ensure_venv(
            interpreter,
            wheels,
            cache,
            fresh=fresh,
            requirements=(TEST_RUNNER,),
            constraints=pins,
            prefix=KIT_PREFIX,
        )
        row.install = "cached" if venv.cached else "ok"
    except ReleaseCheckError as exc:
        row.install, row.failure = "FAIL", str(exc)
        row.seconds = time.monotonic() - started
        return row
    folder = work / f"kit-py{interpreter.minor}"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        result = check_installed(venv.python, folder, test_file=test_file)
    except ReleaseCheckError as exc:  # the installed versions could not be read
        row.smoke, row.failure = "FAIL", str(exc)
    else:
        row.installed = result.installed
        row.smoke, row.fixture_test, row.failure = result.smoke, result.fixture_test, result.failure
    row.seconds = time.monotonic() - started
    return row


def check_kits(
    built: Sequence[Built],
    minors: Sequence[str],
    *,
    work: Path,
    cache: Path,
    test_file: str,
    fresh: bool = False,
    report: Callable[[str], None] = lambda line: None,
) -> list[KitRow]:
    """A kit row per Python of ``minors`` (not found: a row saying so)."""
    wheels = [b.wheel for b in built]
    rows: list[KitRow] = []
    for minor in minors:
        interpreter = find_interpreter(minor)
        if interpreter is None:
            report(f"==> kit python{minor}: not found on this machine, skipped")
            rows.append(KitRow(minor))
            continue
        report(f"==> kit python{interpreter.version}: venv, serve, smoke, fixture test")
        rows.append(
            check_kit(interpreter, wheels, work=work, cache=cache, test_file=test_file, fresh=fresh)
        )
    return rows


def format_kit_table(rows: Sequence[KitRow]) -> str:
    lines = [
        "testing kit (the four wheels + pytest at each Python's pins; thg-sandbox serve, "
        "smoke, README fixture test):",
        f"{'python':<10} {'install':<8} {'smoke':<6} {'fixture':<8} {'seconds':>7}",
    ]
    for row in rows:
        if row.version == "not found":
            lines.append(f"{row.minor:<10} not found on this machine: skipped")
            continue
        lines.append(
            f"{row.version:<10} {row.install:<8} {row.smoke:<6} {row.fixture_test:<8} "
            f"{row.seconds:>7.1f}"
        )
    for row in rows:
        if row.failure:
            lines += ["", f"kit python{row.version}: {row.failure}"]
    return "\n".join(lines)
