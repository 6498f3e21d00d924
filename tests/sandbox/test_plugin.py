"""The pytest plugin: registered by the distribution's entry point, lazy until its fixture is
used, then a running sandbox with URLs and credentials."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys

import pytest

from thg_sandbox.pytest_plugin import remember_products
from thg_spec import Product

from .conftest import SPECS

pytest_plugins = ["pytester"]

USES_THE_FIXTURE = """
import httpx

def test_the_fixture_serves_the_api(thg_sandbox):
    assert thg_sandbox.base_url.startswith("http://127.0.0.1:")
    assert thg_sandbox.token_url == thg_sandbox.base_url + "/oauth/token"
    assert {"brandco", "thg", "sandbox"} <= set(thg_sandbox.organisations)
    brandco = thg_sandbox.organisations["brandco"]
    assert brandco.client_secret not in repr(thg_sandbox)
    token = httpx.post(thg_sandbox.token_url, json={
        "client_id": brandco.client_id, "client_secret": brandco.client_secret,
        "grant_type": "client_credentials", "audience": thg_sandbox.audience,
    }).json()["access_token"]
    listed = httpx.get(
        thg_sandbox.base_url + "/api/thg-fulfil/v1/brandco/inventory",
        headers={"Authorization": "Bearer " + token},
    )
    assert listed.status_code == 200
    assert listed.json()["data"] == []

def test_one_sandbox_per_session(thg_sandbox):
    assert thg_sandbox.faults is thg_sandbox.running.sandbox.faults
"""


@pytest.fixture(autouse=True)
def _specs_read_once(products: list[Product]) -> None:
    # The inner sessions run in this process: hand them the specs this session has read.
    remember_products(SPECS, products)


def ini(pytester: pytest.Pytester, extra: str = "") -> None:
    # The inner sessions load this venv's plugins too; pytest-asyncio wants its loop scope set.
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n" + extra)


def test_the_distribution_registers_the_plugin() -> None:
    points = importlib.metadata.entry_points(group="pytest11")
    assert "thg_sandbox.pytest_plugin" in {p.value for p in points if p.name == "thg_sandbox"}


def test_the_fixture_with_the_specs_option(pytester: pytest.Pytester) -> None:
    ini(pytester)
    pytester.makepyfile(USES_THE_FIXTURE)
    result = pytester.runpytest_inprocess(f"--thg-sandbox-specs={SPECS}")
    result.assert_outcomes(passed=2)


def test_the_fixture_with_default_and_ini_specs(pytester: pytest.Pytester) -> None:
    shutil.copytree(SPECS, pytester.path / "api-specs")
    pytester.makepyfile(USES_THE_FIXTURE)
    ini(pytester, "thg_sandbox_specs = api-specs\n")
    pytester.runpytest_inprocess().assert_outcomes(passed=2)
    (pytester.path / "api-specs").rename(pytester.path / "specs")
    ini(pytester)
    pytester.runpytest_inprocess().assert_outcomes(passed=2)


OWN_ORGANISATIONS = """
def test_the_configured_organisations(thg_sandbox):
    assert set(thg_sandbox.organisations) == {"shopco", "wareco"}
    assert thg_sandbox.organisations["shopco"].client_id == "shop-1"
"""

ORGANISATIONS = """
[[organisations]]
slug = "shopco"
clients = [{client_id = "shop-1", client_secret = "s3cret"}]

[[organisations]]
slug = "wareco"
clients = [{client_id = "ware-1", client_secret = "w4re"}]
"""


def test_the_fixture_with_a_config_file(pytester: pytest.Pytester) -> None:
    ini(pytester, f"thg_sandbox_specs = {SPECS}\nthg_sandbox_config = orgs.toml\n")
    (pytester.path / "orgs.toml").write_text(ORGANISATIONS)
    pytester.makepyfile(OWN_ORGANISATIONS)
    pytester.runpytest_inprocess().assert_outcomes(passed=1)
    (pytester.path / "broken.toml").write_text("organisations = 3\n")
    broken = pytester.runpytest_inprocess("--thg-sandbox-config=broken.toml")
    broken.assert_outcomes(errors=1)
    broken.stdout.fnmatch_lines(["*thg_sandbox: *broken.toml*"])


READY_CLIENTS = """
import asyncio

import pytest
from thg_connect.thg_fulfil import ApprovalApproved, Barcode, Dimensions, InventoryItem

CANDLE = InventoryItem(
    consumer_reference="test_sku",
    title="Candle",
    description="A soy wax candle in a glass jar",
    type="home",
    barcodes=[Barcode(barcode="5056379500014", type="ean")],
    dimensions=Dimensions(depth=8, height=10, mass=0.4, width=8),
    batch_controlled=False,
)


@pytest.mark.parametrize("run", [1, 2, 3])
def test_every_test_may_create_the_same_sku(thg_clients, run):
    items = thg_clients.consumer.thg_fulfil.inventory
    item = items.create(CANDLE)
    assert [found.id for found in items.list()] == [item.id]  # nothing of the other tests
    approval = items(item.id).approval.get().attributes  # the sandbox organisation approved it
    assert isinstance(approval, ApprovalApproved)
    assert thg_clients.provider.owner == "thg" and thg_clients["sandbox"].owner == "sandbox"


def test_async_clients(thg_async_clients):
    async def main():
        async with thg_async_clients.consumer as brand:
            item = await brand.thg_fulfil.inventory.create(CANDLE)
            return item.attributes.consumer_reference

    assert asyncio.run(main()) == "test_sku"


def test_faults_and_urls_stay_reachable(thg_sandbox, thg_clients):
    assert thg_sandbox.faults is thg_sandbox.running.sandbox.faults
    assert thg_sandbox.client("thg").owner == "thg"
    assert list(thg_clients.consumer.thg_fulfil.inventory.list()) == []


def test_one_server_for_the_session(thg_sandbox_session, thg_sandbox):
    assert thg_sandbox.base_url == thg_sandbox_session.base_url
"""


def test_each_test_gets_a_fresh_platform_and_ready_clients(pytester: pytest.Pytester) -> None:
    # No specs option and no ./specs: the installed client's own specs are served.
    # In a child process, as a user's suite runs: the client's and httpx's modules first imported
    # by an in-process session are dropped after it, and later tests of this one would meet
    # second copies of their exception classes.
    ini(pytester)
    pytester.makepyfile(READY_CLIENTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=6)


def test_the_default_specs_are_the_installed_clients() -> None:
    from thg_sandbox.specs_source import default_specs

    served = {p.name: p.read_bytes() for p in default_specs().iterdir()}
    assert served == {p.name: p.read_bytes() for p in SPECS.glob("*.yaml")}


def test_a_missing_specs_folder_is_a_clear_error(pytester: pytest.Pytester) -> None:
    ini(pytester)
    pytester.makepyfile(USES_THE_FIXTURE)
    result = pytester.runpytest_inprocess("--thg-sandbox-specs=nowhere")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*thg_sandbox: no specs folder at*nowhere*"])


def test_loading_the_plugin_imports_nothing_of_the_sandbox() -> None:
    # In a fresh interpreter: this one has imported the sandbox for the other tests. (That the
    # entry point loads it is shown above: the inner sessions get the fixture without `-p`.)
    code = (
        "import sys, thg_sandbox.pytest_plugin\n"
        "print(sorted(m for m in sys.modules if m.startswith(('thg_sandbox.', 'thg_codegen',"
        " 'uvicorn', 'starlette'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['thg_sandbox.pytest_plugin']"
