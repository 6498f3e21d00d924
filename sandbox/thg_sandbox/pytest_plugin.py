"""pytest plugin (entry point `pytest11`): the `thg_sandbox` fixture.

    def test_inventory(thg_sandbox):
        brandco = thg_sandbox.organisations["brandco"]
        ...  # get a token from thg_sandbox.token_url for thg_sandbox.audience, call base_url

The sandbox starts on a free 127.0.0.1 port with an in-memory database the first time a test
asks for the fixture, once per session, and stops at the end of the session. Specs come from
`--thg-sandbox-specs DIR`, else the `thg_sandbox_specs` ini option (relative to the ini file),
else `./specs`; organisations and partnerships from `--thg-sandbox-config FILE` (or the
`thg_sandbox_config` ini option), else the built-in brandco/thg/sandbox. Loading this plugin imports nothing of the sandbox: sessions that never use the
fixture pay nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from thg_spec import Product

    from .faults import FaultPlans
    from .server import RunningSandbox

SPECS_OPTION = "--thg-sandbox-specs"
SPECS_INI = "thg_sandbox_specs"
DEFAULT_SPECS = "specs"
CONFIG_OPTION = "--thg-sandbox-config"
CONFIG_INI = "thg_sandbox_config"


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)  # never in reprs, assertion rewrites or logs


@dataclass(frozen=True)
class SandboxUnderTest:
    """What a test needs to talk to the sandbox."""

    base_url: str
    token_url: str
    audience: str  # send as `audience` when asking for a token
    organisations: dict[str, Credentials]  # by organisation slug
    running: RunningSandbox = field(repr=False)

    @property
    def faults(self) -> FaultPlans:
        """Fault plans (`thg_sandbox.faults`): `faults.create({...})`, `faults.consumed(id)`."""
        return self.running.faults


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("thg-sandbox", "THG Connect sandbox")
    group.addoption(
        SPECS_OPTION,
        dest="thg_sandbox_specs",
        default=None,
        metavar="DIR",
        help="the specs folder the thg_sandbox fixture serves (default: ./specs)",
    )
    parser.addini(SPECS_INI, "the specs folder the thg_sandbox fixture serves", default="")
    group.addoption(
        CONFIG_OPTION,
        dest="thg_sandbox_config",
        default=None,
        metavar="FILE",
        help="organisations and partnerships (TOML or YAML) for the thg_sandbox fixture",
    )
    parser.addini(CONFIG_INI, "organisations and partnerships file for thg_sandbox", default="")


def _path_setting(config: pytest.Config, dest: str, ini: str, default: str | None) -> Path | None:
    """A command-line path (relative to where pytest runs), else an ini one (relative to the
    ini file), else the default (relative to where pytest runs)."""
    given = config.getoption(dest)
    if given:
        return (config.invocation_params.dir / str(given)).resolve()
    from_ini = str(config.getini(ini) or "")
    if from_ini:
        base = config.inipath.parent if config.inipath else config.rootpath
        return (base / from_ini).resolve()
    return None if default is None else (config.invocation_params.dir / default).resolve()


def specs_folder(config: pytest.Config) -> Path:
    found = _path_setting(config, "thg_sandbox_specs", SPECS_INI, DEFAULT_SPECS)
    assert found is not None
    return found


# Reading the specs is most of a start-up (seconds); a process that starts several sessions
# (pytester, IDE runners) reads the same files once. Keyed by content, not by path.
_loaded: dict[str, list[Product]] = {}


def _specs_key(specs: Path) -> str:
    from thg_spec.validation import discover_specs

    digest = hashlib.sha256()
    for path in sorted(discover_specs(specs)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def remember_products(specs: Path, products: list[Product]) -> None:
    """For a harness that has loaded `specs` already: the fixture will not read them again."""
    _loaded.setdefault(_specs_key(specs), products)


def _products(specs: Path) -> list[Product]:
    from thg_spec.pipeline import load_products

    key = _specs_key(specs)
    if key not in _loaded:
        _loaded[key] = load_products(specs)
    return _loaded[key]


@pytest.fixture(scope="session")
def thg_sandbox(pytestconfig: pytest.Config) -> Iterator[SandboxUnderTest]:
    """A running sandbox (in memory, on a free loopback port) for the whole session."""
    from .server import running_sandbox  # here, not at the top: see the module docstring

    specs = specs_folder(pytestconfig)
    if not specs.is_dir():
        pytest.fail(
            f"thg_sandbox: no specs folder at {specs}; pass {SPECS_OPTION} or set {SPECS_INI}",
            pytrace=False,
        )
    config = None
    config_file = _path_setting(pytestconfig, "thg_sandbox_config", CONFIG_INI, None)
    if config_file is not None:
        from .config import ConfigError, load_config

        try:
            config = load_config(config_file)
        except ConfigError as exc:
            pytest.fail(f"thg_sandbox: {exc}", pytrace=False)
    with running_sandbox(specs, config, products=_products(specs)) as running:
        yield SandboxUnderTest(
            base_url=running.base_url,
            token_url=running.token_url,
            audience=running.base_url,
            organisations={
                slug: Credentials(c.client_id, c.client_secret)
                for slug, c in running.credentials.items()
            },
            running=running,
        )
