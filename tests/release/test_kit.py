"""The testing kit on every Python the client supports (issue 16): the four wheels and pytest in a
venv per Python, at that Python's pins; ``thg-sandbox serve`` without ``--specs``, the smoke test
and the README's fixture test run with what it installed. CI runs the ends, 3.9 and 3.13 (3.11
is the publish step's); ``THG_FULL_MATRIX=1`` runs every Python found. The pins files are checked
here without the network."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from release_check.build import Built
from release_check.commands import ReleaseCheckError
from release_check.kit import KitRow, format_kit_table
from release_check.matrix import Distributions
from release_check.pins import canonical, format_pins, parse_pins, pins_file, read_pins
from release_check.publish import readme_test_file
from release_check.venvs import SUPPORTED, Interpreter

from .conftest import ROOT

OURS = {"thg-connect", "thg-connect-core", "thg-sandbox", "thg-spec"}


def test_the_kit_serves_the_installed_specs_and_passes_smoke_and_fixture_test(
    kit_row: KitRow, distributions: Distributions
) -> None:
    assert kit_row.install in {"ok", "cached"}, kit_row.failure
    assert (kit_row.smoke, kit_row.fixture_test) == ("ok", "ok"), kit_row.failure
    assert set(kit_row.installed) == OURS
    version = distributions.generated.wheel.name.split("-")[1]
    assert kit_row.installed["thg-connect"] == version


def _metadata(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return archive.read(name).decode()


def test_the_sandbox_and_front_end_wheels_say_they_install_on_3_9(others: list[Built]) -> None:
    metadata_of = {built.project.name: _metadata(built.wheel) for built in others}
    sandbox, spec = metadata_of["sandbox"], metadata_of["frontend"]
    for metadata in (sandbox, spec):
        assert "\nRequires-Python: >=3.9\n" in metadata
    # The backports, each only where the standard library or the port is missing.
    assert 'Requires-Dist: tomli>=1.1; python_version < "3.11"' in sandbox
    assert 'Requires-Dist: openapi-spec-validator-rs>=0.2.3; python_version >= "3.10"' in spec
    assert 'Requires-Dist: openapi-spec-validator<0.8,>=0.7.1; python_version < "3.10"' in spec


def test_the_kit_runs_the_readmes_own_test_file(tmp_path: Path) -> None:
    found = readme_test_file(ROOT)
    assert found.startswith("# test_inventory.py") and found.count("\ndef test_") >= 2
    (tmp_path / "README.md").write_text("# no test file here\n", encoding="utf-8")
    with pytest.raises(ReleaseCheckError, match="test_inventory.py"):
        readme_test_file(tmp_path)


# --- the pins, without the network ---


def _constraints() -> tuple[str, dict[str, str]]:
    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    (python,) = re.findall(r"Resolved on Python (\d+\.\d+)\.\d+", text)
    pins = {
        canonical(line.split("==")[0]): line.split("==")[1].strip()
        for line in text.splitlines()
        if "==" in line and not line.startswith("#")
    }
    return python, pins


@pytest.mark.parametrize("minor", SUPPORTED)
def test_each_python_has_pins_for_the_kit_and_not_for_our_own(minor: str) -> None:
    pins = read_pins(pins_file(minor))
    assert not {name for name in pins if name.startswith("thg-")}
    # the server, the client's transport and models, the test runner, the spec front-end's
    assert {"starlette", "uvicorn", "httpx", "pydantic", "pytest", "openapi-spec-validator"} <= set(
        pins
    )
    below_311 = tuple(int(part) for part in minor.split(".")) < (3, 11)
    assert ("tomli" in pins) == below_311  # the config file's TOML reader before tomllib
    # The Rust port of the OpenAPI validator needs 3.10; on 3.9 the stock one decides alone.
    assert ("openapi-spec-validator-rs" in pins) == (minor != "3.9")


def test_the_pins_and_constraints_txt_were_refreshed_together() -> None:
    # On the Python constraints.txt is resolved on, the kit resolves to the same versions.
    python, constraints = _constraints()
    pins = read_pins(pins_file(python))
    assert {
        name: version for name, version in pins.items() if constraints.get(name) != version
    } == {}


def test_a_pins_file_with_anything_but_pins_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "py3.9.txt"
    path.write_text("# fine\nhttpx==0.28.1\nstarlette>=0.37\n", encoding="utf-8")
    with pytest.raises(ReleaseCheckError, match=r"py3\.9\.txt:3: not a `name==version` pin"):
        read_pins(path)


_NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,6}([._-][A-Za-z0-9]{1,4}){0,2}", fullmatch=True)
_VERSIONS = st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,4}){0,3}(\.post[0-9]|rc[0-9])?", fullmatch=True)


@given(st.dictionaries(_NAMES, _VERSIONS, max_size=12))
def test_pins_read_back_as_written(pins: dict[str, str]) -> None:
    unique = {canonical(name): (name, version) for name, version in pins.items()}
    interpreter = Interpreter("3.9", "3.9.18", Path("/usr/bin/python3.9"), None)
    text = format_pins(interpreter, unique.values())
    assert parse_pins(text, "pins") == {key: version for key, (_, version) in unique.items()}
    assert "Resolved on Python 3.9.18." in text


def test_the_kit_table_shows_each_python_and_each_failure() -> None:
    rows = [
        KitRow("3.9", "3.9.18", "ok", "ok", "FAIL", 31.0, "published pytest: exit 1"),
        KitRow("3.10"),
        KitRow("3.13", "3.13.0", "cached", "ok", "ok", 4.25),
    ]
    assert format_kit_table(rows).splitlines()[1:] == [
        "python     install  smoke  fixture  seconds",
        "3.9.18     ok       ok     FAIL        31.0",
        "3.10       not found on this machine: skipped",
        "3.13.0     cached   ok     ok           4.2",
        "",
        "kit python3.9.18: published pytest: exit 1",
    ]
    assert [row.ok for row in rows] == [False, True, True]
