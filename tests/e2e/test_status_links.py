"""Resource links, `meta.status` and every status's `values()`, through a generated client over
real HTTP on 127.0.0.1 (issue 14; S1, S5b, S7b; CONVENTIONS §3 and §6).

The product is the generator's own test spec (`tests/generator/specs/valid/mini.yaml`: a
`widget` owned by the consumer with a `check` status the provider writes), not one of `specs/`:
nothing here depends on which entities the platform's products have, which is the point (the
sandbox and the generator are driven by the model alone). The copy gets two edits a platform
spec would make: the widget's create answers 200, as the platform's creates do (S2, S3), and the
check gets a PUT so the test can watch `meta.status` follow a change of state.

`thg-codegen generate` writes the client into a temporary folder; a driver script runs it in a
subprocess (the generated package is named `thg_connect`, like the repository's own).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from thg_sandbox.server import RunningSandbox, running_sandbox

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "generator" / "specs" / "valid" / "mini.yaml"

# The check status gains a PUT (its states are PASSED and FAILED, with a reason).
CHECK_PUT = """    put:
      operationId: changeWidgetCheck
      summary: Change the check
      description: Changes the widget's check status.
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/CheckRequest'}
      responses:
        '200': {$ref: '#/components/responses/CheckOne'}
        '404': {$ref: '#/components/responses/Error'}
"""
CHECK_LOOKUP = "  /api/mini/v1/{owner}/widget.check/{checkId}:\n"
WIDGET_CREATE = """      responses:
        '201': {$ref: '#/components/responses/WidgetOne'}"""

DRIVER = r"""
import asyncio, json, os
from thg_connect import AsyncClient, Client, ClientConfig
from thg_connect.mini import CheckFailed, CheckPassed, Widget

consumer = ClientConfig(**json.loads(os.environ["THG_CONSUMER"]))
provider = ClientConfig(**json.loads(os.environ["THG_PROVIDER"]))
seen = {}


def links(found):
    return {"self": found.self_, "related": found.related, "describedBy": found.described_by}


with Client(consumer) as brand, Client(provider) as partner:
    widgets = brand.mini.widgets
    created = widgets.create(Widget(name="Gear"))
    seen["id"] = created.id
    seen["created_status"] = created.raw_response.status_code
    seen["created_links"] = links(created.links)
    seen["created_states"] = created.meta.states
    check = partner.for_owner("brandco").mini.widgets(created.id).check
    seen["values"] = check.values()
    seen["consumer_values"] = widgets(created.id).check.values()
    status = check.create(CheckPassed(state="PASSED"))
    seen["check_links"] = links(status.links)
    seen["after_create"] = widgets(created.id).get().meta.states
    check.update(CheckFailed(state="FAILED", reason="bent"))
    got = widgets(created.id).get()
    seen["after_update"] = got.meta.states
    seen["raw_status"] = got.meta.status
    seen["got_links"] = links(got.links)
    other = widgets.create(Widget(name="Cog"))
    page = widgets.list(page_size=1)
    seen["listed"] = {w.id: w.meta.states for w in page}
    seen["listed_links"] = {w.id: links(w.links) for w in page}
    seen["other"] = other.id


async def run_async() -> None:
    async with AsyncClient(provider) as partner:
        check = partner.for_owner("brandco").mini.widgets(seen["id"]).check
        seen["async_values"] = await check.values()

asyncio.run(run_async())
print(json.dumps(seen))
"""


def _config(running: RunningSandbox, org: str) -> str:
    credentials = running.credentials[org]
    return json.dumps(
        {
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "owner": org,
            "base_url": running.base_url,
            "token_url": running.token_url,
            "audience": running.base_url,
        }
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the specs folder, the generated client) of the edited mini spec."""
    root = tmp_path_factory.mktemp("mini")
    specs = root / "specs"
    specs.mkdir()
    text = MINI.read_text(encoding="utf-8")
    assert text.count(CHECK_LOOKUP) == 1 and text.count(WIDGET_CREATE) == 1
    text = text.replace(CHECK_LOOKUP, CHECK_PUT + CHECK_LOOKUP)
    text = text.replace(WIDGET_CREATE, WIDGET_CREATE.replace("'201'", "'200'"))
    (specs / "mini.yaml").write_text(text, encoding="utf-8")
    client = root / "client"
    run = subprocess.run(
        [sys.executable, "-m", "thg_codegen", "generate", str(specs), "-o", str(client)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return specs, client


@pytest.fixture(scope="module")
def driven(generated: tuple[Path, Path]) -> Iterator[tuple[RunningSandbox, dict[str, Any]]]:
    """The sandbox serving the edited spec, and what the driver saw through the client."""
    specs, client = generated
    with running_sandbox(specs) as running:
        paths = [str(client / "src"), str(REPO / "runtime" / "src")]
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(paths),
            "THG_CONSUMER": _config(running, "brandco"),
            "THG_PROVIDER": _config(running, "thg"),
        }
        run = subprocess.run(
            [sys.executable, "-c", DRIVER],
            capture_output=True, text=True, timeout=120, check=False, env=env,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        yield running, json.loads(run.stdout.strip().splitlines()[-1])


def test_values_lists_the_states_of_the_status_sync_and_async(
    driven: tuple[RunningSandbox, dict[str, Any]],
) -> None:
    _, seen = driven
    assert seen["values"] == ["PASSED", "FAILED"]  # the oneOf mapping's states, in its order
    assert seen["consumer_values"] == seen["async_values"] == ["PASSED", "FAILED"]


def test_meta_status_follows_each_write_of_the_status(
    driven: tuple[RunningSandbox, dict[str, Any]],
) -> None:
    _, seen = driven
    assert seen["created_states"] == {}  # no check yet
    assert seen["after_create"] == {"check": "PASSED"}
    assert seen["after_update"] == {"check": "FAILED"}
    assert seen["raw_status"] == {"check": {"value": "FAILED"}}  # the platform's shape (S7b)
    # Pages carry it too (one widget a page: the paginator reads both pages).
    assert seen["listed"] == {seen["id"]: {"check": "FAILED"}, seen["other"]: {}}


def test_a_create_answers_the_status_its_spec_declares(
    driven: tuple[RunningSandbox, dict[str, Any]],
) -> None:
    _, seen = driven
    assert seen["created_status"] == 200  # the edited spec says 200; the client takes it


def test_resource_links_name_the_item_its_collection_and_its_schema(
    driven: tuple[RunningSandbox, dict[str, Any]],
) -> None:
    running, seen = driven
    base = running.base_url
    widget = f"{base}/api/mini/v1/brandco/widget/{seen['id']}"
    schema = f"{base}/openapi/mini.json#/components/schemas/Widget"
    expected = {
        "self": widget,
        "related": f"{base}/api/mini/v1/brandco/widget",
        "describedBy": schema,
    }
    assert seen["created_links"] == seen["got_links"] == expected
    assert seen["listed_links"][seen["id"]] == expected
    # A status's own URL is its path under the parent, and its related link is the parent.
    assert seen["check_links"] == {
        "self": f"{widget}/check",
        "related": widget,
        "describedBy": f"{base}/openapi/mini.json#/components/schemas/Check",
    }


def test_described_by_resolves_in_the_spec_the_sandbox_serves(
    driven: tuple[RunningSandbox, dict[str, Any]],
) -> None:
    _, seen = driven
    document_url, _, pointer = seen["got_links"]["describedBy"].partition("#")
    document = httpx.get(document_url, timeout=10).json()  # public, as the platform's is
    node: Any = document
    for token in pointer.split("/")[1:]:
        node = node[token.replace("~1", "/").replace("~0", "~")]
    assert node["required"] == ["name"] and "name" in node["properties"]
